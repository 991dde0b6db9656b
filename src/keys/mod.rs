//! Signing keys, their `kid`s, the JWKS document, and signature checks.
//!
//! A [`KeySet`] holds the key that signs now plus the keys still published for verification.
//! Keys come from the bundled pool (see `bundled.rs`), so setting one up costs an `Arc` clone.

mod bundled;
mod rotation;

use std::sync::Arc;

use aws_lc_rs::rsa::KeyPair as RsaKeyPair;
use aws_lc_rs::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _, UnparsedPublicKey};
use aws_lc_rs::{hmac, rand as lc_rand};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use serde_json::{json, Value};

use rand::RngCore;

use crate::types::Algorithm;

pub(crate) use bundled::POOL_SIZE;

/// The private half of one key.
enum Material {
    Rsa(Arc<RsaKeyPair>),
    Ec(Arc<EcdsaKeyPair>),
    Ed(Arc<Ed25519KeyPair>),
    Hmac(Box<hmac::Key>, Vec<u8>),
}

/// One signing key with its `kid`.
pub(crate) struct SigningKey {
    kid: String,
    alg: Algorithm,
    material: Material,
    /// Which key of the bundled pool this is; a rotation takes the next one.
    pool_index: usize,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .finish()
    }
}

impl SigningKey {
    /// Key number `index` of the bundled pool for `alg` (HS256: `secret` is the key).
    pub(crate) fn from_pool(alg: Algorithm, index: usize, kid: String, secret: &[u8]) -> Self {
        let material = match alg {
            Algorithm::RS256 => Material::Rsa(bundled::rsa(index)),
            Algorithm::ES256 => Material::Ec(bundled::ec(index)),
            Algorithm::EdDSA => Material::Ed(bundled::ed(index)),
            Algorithm::HS256 => Material::Hmac(
                Box::new(hmac::Key::new(hmac::HMAC_SHA256, secret)),
                secret.to_vec(),
            ),
        };
        Self {
            kid,
            alg,
            material,
            pool_index: index % POOL_SIZE,
        }
    }

    /// An HS256 key made of a client's secret, without a `kid` (the client knows which key).
    pub(crate) fn client_secret(secret: &[u8]) -> Self {
        let material = Material::Hmac(
            Box::new(hmac::Key::new(hmac::HMAC_SHA256, secret)),
            secret.to_vec(),
        );
        Self {
            kid: String::new(),
            alg: Algorithm::HS256,
            material,
            pool_index: 0,
        }
    }

    /// The `kid`; empty for a key that has none.
    pub(crate) fn kid(&self) -> &str {
        &self.kid
    }

    pub(crate) fn alg(&self) -> Algorithm {
        self.alg
    }

    /// The HS256 secret, if this is an HMAC key.
    pub(crate) fn hmac_secret(&self) -> Option<&[u8]> {
        match &self.material {
            Material::Hmac(_, raw) => Some(raw),
            _ => None,
        }
    }

    /// Signs `message` (the JWS signing input).
    pub(crate) fn sign(&self, message: &[u8]) -> Vec<u8> {
        match &self.material {
            Material::Rsa(key) => {
                let mut sig = vec![0; key.public_modulus_len()];
                // PKCS#1 v1.5 signing is deterministic; the RNG argument is unused.
                key.sign(
                    &signature::RSA_PKCS1_SHA256,
                    &lc_rand::SystemRandom::new(),
                    message,
                    &mut sig,
                )
                .expect("RSA signing with a valid key cannot fail");
                sig
            }
            Material::Ec(key) => key
                .sign(&lc_rand::SystemRandom::new(), message)
                .expect("ECDSA signing with a valid key cannot fail")
                .as_ref()
                .to_vec(),
            Material::Ed(key) => key.sign(message).as_ref().to_vec(),
            Material::Hmac(key, _) => hmac::sign(key, message).as_ref().to_vec(),
        }
    }

    /// Checks `sig` over `message` with this key's public half.
    pub(crate) fn verify(&self, message: &[u8], sig: &[u8]) -> bool {
        match &self.material {
            Material::Rsa(key) => UnparsedPublicKey::new(
                &signature::RSA_PKCS1_2048_8192_SHA256,
                key.public_key().as_ref(),
            )
            .verify(message, sig)
            .is_ok(),
            Material::Ec(key) => UnparsedPublicKey::new(
                &signature::ECDSA_P256_SHA256_FIXED,
                key.public_key().as_ref(),
            )
            .verify(message, sig)
            .is_ok(),
            Material::Ed(key) => {
                UnparsedPublicKey::new(&signature::ED25519, key.public_key().as_ref())
                    .verify(message, sig)
                    .is_ok()
            }
            Material::Hmac(key, _) => hmac::verify(key, message, sig).is_ok(),
        }
    }

    /// The public JWK ([RFC 7517](https://www.rfc-editor.org/rfc/rfc7517)); `None` for HMAC keys.
    pub(crate) fn public_jwk(&self) -> Option<Value> {
        let common = |mut jwk: Value| {
            jwk["kid"] = json!(self.kid);
            jwk["alg"] = json!(self.alg.as_str());
            jwk["use"] = json!("sig");
            Some(jwk)
        };
        match &self.material {
            Material::Rsa(key) => {
                let public = key.public_key();
                common(json!({
                    "kty": "RSA",
                    "n": B64.encode(public.modulus().big_endian_without_leading_zero()),
                    "e": B64.encode(public.exponent().big_endian_without_leading_zero()),
                }))
            }
            Material::Ec(key) => {
                // Uncompressed SEC1 point: 0x04 || x (32 bytes) || y (32 bytes).
                let point = key.public_key().as_ref();
                common(json!({
                    "kty": "EC",
                    "crv": "P-256",
                    "x": B64.encode(&point[1..33]),
                    "y": B64.encode(&point[33..65]),
                }))
            }
            Material::Ed(key) => common(json!({
                "kty": "OKP",
                "crv": "Ed25519",
                "x": B64.encode(key.public_key().as_ref()),
            })),
            Material::Hmac(..) => None,
        }
    }
}

/// The keys of one tenant: the one that signs, and every key a verifier may still meet.
#[derive(Debug, Clone)]
pub(crate) struct KeySet {
    signing: Arc<SigningKey>,
    /// Keys published in the JWKS, newest first; includes `signing` unless a rotation
    /// withheld it (see `rotation.rs`).
    published: Vec<Arc<SigningKey>>,
}

impl KeySet {
    /// Key `pool_index` of `alg` from the bundled pool, with a fresh `kid` (and, for HS256,
    /// a fresh secret).
    pub(crate) fn from_pool(
        rng: &mut impl rand::RngCore,
        alg: Algorithm,
        pool_index: usize,
    ) -> Self {
        let kid = format!(
            "{}-{:08x}",
            alg.as_str().to_ascii_lowercase(),
            rng.next_u32()
        );
        let mut hs_secret = [0u8; 32];
        rng.fill_bytes(&mut hs_secret);
        KeySet::new(SigningKey::from_pool(alg, pool_index, kid, &hs_secret))
    }

    pub(crate) fn new(signing: SigningKey) -> Self {
        let signing = Arc::new(signing);
        Self {
            published: vec![signing.clone()],
            signing,
        }
    }

    /// The key that signs new tokens.
    pub(crate) fn signing(&self) -> Arc<SigningKey> {
        self.signing.clone()
    }

    /// The key a token's `kid` names: the signing key (the server always knows its own key,
    /// published or not) or one of the published ones.
    pub(crate) fn find(&self, kid: Option<&str>) -> Option<Arc<SigningKey>> {
        match kid {
            Some(kid) if kid == self.signing.kid => Some(self.signing.clone()),
            Some(kid) => self.published.iter().find(|k| k.kid == kid).cloned(),
            None => Some(self.signing.clone()),
        }
    }

    /// The JWKS document.
    pub(crate) fn jwks(&self) -> Value {
        let keys: Vec<Value> = self
            .published
            .iter()
            .filter_map(|k| k.public_jwk())
            .collect();
        json!({ "keys": keys })
    }
}

/// Key number `pool_index` of the bundled pool for `alg`, with a fresh `kid`
/// (`{alg}-{8 hex}`) and, for HS256, a fresh 32-byte secret, both drawn from `rng`.
fn pool_key(alg: Algorithm, pool_index: usize, rng: &mut impl RngCore) -> SigningKey {
    let kid = format!(
        "{}-{:08x}",
        alg.as_str().to_ascii_lowercase(),
        rng.next_u32()
    );
    let mut secret = [0u8; 32];
    rng.fill_bytes(&mut secret);
    SigningKey::from_pool(alg, pool_index, kid, &secret)
}

/// The hash used for `at_hash` / `c_hash` with this algorithm
/// ([OIDC Core §3.1.3.6](https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken)).
pub(crate) fn left_half_hash(alg: Algorithm, input: &[u8]) -> String {
    use aws_lc_rs::digest;
    let algorithm = match alg {
        // Ed25519 pairs with SHA-512, as openidconnect-rs and other clients expect.
        Algorithm::EdDSA => &digest::SHA512,
        _ => &digest::SHA256,
    };
    let hash = digest::digest(algorithm, input);
    let bytes = hash.as_ref();
    B64.encode(&bytes[..bytes.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_algorithm_signs_and_verifies_its_own_signature() {
        for alg in [
            Algorithm::RS256,
            Algorithm::ES256,
            Algorithm::EdDSA,
            Algorithm::HS256,
        ] {
            let key =
                SigningKey::from_pool(alg, 0, "k".into(), b"0123456789abcdef0123456789abcdef");
            let sig = key.sign(b"header.payload");
            assert!(key.verify(b"header.payload", &sig), "{alg}");
            assert!(!key.verify(b"header.payloaX", &sig), "{alg}");
        }
    }

    #[test]
    fn jwks_publishes_public_keys_only() {
        let rsa = KeySet::new(SigningKey::from_pool(Algorithm::RS256, 1, "r1".into(), b""));
        let jwks = rsa.jwks();
        assert_eq!(jwks["keys"][0]["kty"], "RSA");
        assert_eq!(jwks["keys"][0]["kid"], "r1");
        assert_eq!(jwks["keys"][0]["e"], "AQAB");
        let hs = KeySet::new(SigningKey::from_pool(
            Algorithm::HS256,
            0,
            "h".into(),
            b"secret",
        ));
        assert_eq!(hs.jwks()["keys"].as_array().map(Vec::len), Some(0));
    }
}
