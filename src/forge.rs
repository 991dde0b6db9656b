//! Tokens made wrong on purpose, each in exactly one way, for negative tests of a verifier.
//!
//! A forgery starts as the token `issue_token` would mint (same plan, same ledger records)
//! and is then broken either in its claims before signing (time, issuer, audience,
//! revocation) or in its header, payload or signature after.

use std::fmt;

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::hmac;
use aws_lc_rs::rsa::PublicKeyComponents;
use aws_lc_rs::signature::{ParsedPublicKey, ECDSA_P256_SHA256_FIXED, ED25519};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD as B64};
use base64::Engine as _;
use serde_json::{json, Value};

use crate::keys::{KeySet, SigningKey, POOL_SIZE};
use crate::mint::{decode_unverified, Claims};
use crate::store::Ledger;
use crate::types::Algorithm;

/// One way a token can be wrong. Pass it to
/// [`TokenBuilder::forge`](crate::TokenBuilder::forge); every kind is rejected by the
/// server's own `/userinfo` and `/introspect`, and all but [`Revoked`](Forgery::Revoked)
/// by any JWT verifier that checks signature, `iss`, `aud`, `exp` and `nbf` against the
/// JWKS (revocation is visible only to introspection).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Forgery {
    /// `exp` an hour before the server's now (beyond any verifier's leeway); `iat` and
    /// `nbf` one lifetime before that.
    Expired,
    /// `nbf` and `iat` an hour after the server's now; `exp` one lifetime after that.
    NotYetValid,
    /// `iss` is `https://wrong-issuer.invalid`.
    WrongIssuer,
    /// `aud` is `https://wrong-audience.invalid`.
    WrongAudience,
    /// The header names the server's own `kid`, but another key of the bundled pool signed
    /// it (for HS256, another secret): the signature does not verify.
    WrongKey,
    /// Signed by the server's key, but the header's `kid` (same shape) is in no JWKS.
    UnknownKid,
    /// `alg: none` and an empty signature ([RFC 8725 §2.1](https://www.rfc-editor.org/rfc/rfc8725#section-2.1)).
    AlgNone,
    /// `alg: HS256`, MACed with the server's public key in PEM as the secret: the classic
    /// algorithm confusion attack on verifiers that let the header pick the algorithm.
    /// Needs a server that signs with a public key (RS256, ES256 or EdDSA).
    AlgorithmConfusion,
    /// A valid token whose payload was changed afterwards (`scope` gains `admin`), with
    /// the original signature.
    TamperedPayload,
    /// A valid token, revoked in the server's ledger as `/revoke` would.
    Revoked,
}

impl Forgery {
    /// Every kind, for a test that tries them all.
    pub const ALL: [Forgery; 10] = [
        Forgery::Expired,
        Forgery::NotYetValid,
        Forgery::WrongIssuer,
        Forgery::WrongAudience,
        Forgery::WrongKey,
        Forgery::UnknownKid,
        Forgery::AlgNone,
        Forgery::AlgorithmConfusion,
        Forgery::TamperedPayload,
        Forgery::Revoked,
    ];

    /// A short stable name: `expired`, `not_yet_valid`, `wrong_issuer`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Forgery::Expired => "expired",
            Forgery::NotYetValid => "not_yet_valid",
            Forgery::WrongIssuer => "wrong_issuer",
            Forgery::WrongAudience => "wrong_audience",
            Forgery::WrongKey => "wrong_key",
            Forgery::UnknownKid => "unknown_kid",
            Forgery::AlgNone => "alg_none",
            Forgery::AlgorithmConfusion => "algorithm_confusion",
            Forgery::TamperedPayload => "tampered_payload",
            Forgery::Revoked => "revoked",
        }
    }
}

impl fmt::Display for Forgery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `iss` of a [`Forgery::WrongIssuer`] token: a reserved name ([RFC 2606](https://www.rfc-editor.org/rfc/rfc2606)).
const WRONG_ISSUER: &str = "https://wrong-issuer.invalid";
/// The `aud` of a [`Forgery::WrongAudience`] token.
const WRONG_AUDIENCE: &str = "https://wrong-audience.invalid";
/// How far outside its validity window a time forgery lies: beyond any sane leeway.
const OUT_OF_WINDOW_SECONDS: u64 = 3600;

/// Breaks the claims (under the store lock, before signing).
pub(crate) fn before_signing(forgery: Forgery, access: &mut Claims, ledger: &mut Ledger, now: u64) {
    let number = |name: &str| access.get(name).and_then(Value::as_u64).unwrap_or(now);
    let lifetime = number("exp").saturating_sub(number("iat"));
    let mut set_window = |start: u64| {
        for name in ["iat", "nbf"] {
            access.insert(name.into(), json!(start));
        }
        if access.contains_key("auth_time") {
            access.insert("auth_time".into(), json!(start));
        }
        access.insert("exp".into(), json!(start + lifetime));
    };
    match forgery {
        Forgery::Expired => {
            set_window(now.saturating_sub(OUT_OF_WINDOW_SECONDS + lifetime));
        }
        Forgery::NotYetValid => set_window(now.saturating_add(OUT_OF_WINDOW_SECONDS)),
        Forgery::WrongIssuer => {
            access.insert("iss".into(), json!(WRONG_ISSUER));
        }
        Forgery::WrongAudience => {
            access.insert("aud".into(), json!(WRONG_AUDIENCE));
        }
        Forgery::Revoked => {
            if let Some(jti) = access.get("jti").and_then(Value::as_str) {
                let exp = access
                    .get("exp")
                    .and_then(Value::as_u64)
                    .unwrap_or(u64::MAX);
                ledger.revoke_access(jti, exp);
            }
        }
        _ => {}
    }
}

/// Breaks the header, payload or signature of the signed `token`.
#[track_caller]
pub(crate) fn after_signing(forgery: Forgery, token: String, keys: &KeySet) -> String {
    let (header, claims) = decode_unverified(&token).expect("the server signs well-formed JWTs");
    let mut parts = token.splitn(3, '.');
    let (Some(header_part), Some(payload_part), Some(signature_part)) =
        (parts.next(), parts.next(), parts.next())
    else {
        unreachable!("decode_unverified checked the three parts")
    };
    let signing = keys.signing();
    match forgery {
        Forgery::WrongKey => {
            let input = format!("{header_part}.{payload_part}");
            let signature = another_key(keys).sign(input.as_bytes());
            format!("{input}.{}", B64.encode(signature))
        }
        Forgery::UnknownKid => {
            let mut header = header;
            header.insert("kid".into(), json!(unknown_kid(keys)));
            let input = format!("{}.{payload_part}", encode(&header));
            format!("{input}.{}", B64.encode(signing.sign(input.as_bytes())))
        }
        Forgery::AlgNone => {
            let mut header = header;
            header.insert("alg".into(), json!("none"));
            format!("{}.{payload_part}.", encode(&header))
        }
        Forgery::AlgorithmConfusion => {
            let pem = public_key_pem(&signing).unwrap_or_else(|| {
                panic!(
                    "Forgery::AlgorithmConfusion needs a server that signs with a public key \
                     (RS256, ES256 or EdDSA); this one signs with {}. Start it with \
                     MockAuth::builder().algorithm(Algorithm::RS256)",
                    signing.alg()
                )
            });
            let mut header = header;
            header.insert("alg".into(), json!("HS256"));
            let input = format!("{}.{payload_part}", encode(&header));
            let key = hmac::Key::new(hmac::HMAC_SHA256, pem.as_bytes());
            let tag = hmac::sign(&key, input.as_bytes());
            format!("{input}.{}", B64.encode(tag.as_ref()))
        }
        Forgery::TamperedPayload => {
            let mut claims = claims;
            let scope = claims.get("scope").and_then(Value::as_str).unwrap_or("");
            let escalated = format!("{scope} admin").trim_start().to_owned();
            claims.insert("scope".into(), json!(escalated));
            format!("{header_part}.{}.{signature_part}", encode(&claims))
        }
        _ => token,
    }
}

/// A header or claims set as a base64url JWS part.
fn encode(part: &Claims) -> String {
    B64.encode(serde_json::to_vec(part).expect("JSON map serializes"))
}

/// A key of the server's algorithm that signs nothing this server publishes, under the
/// server's own `kid`.
#[track_caller]
fn another_key(keys: &KeySet) -> SigningKey {
    let signing = keys.signing();
    let kid = signing.kid().to_owned();
    if let Some(secret) = signing.hmac_secret() {
        let other: Vec<u8> = secret.iter().map(|byte| !byte).collect();
        return SigningKey::from_pool(Algorithm::HS256, 0, kid, &other);
    }
    let material = |jwk: &Value| (jwk["n"].clone(), jwk["x"].clone(), jwk["y"].clone());
    let mut taken: Vec<Value> = keys.jwks()["keys"].as_array().cloned().unwrap_or_default();
    taken.extend(signing.public_jwk());
    (0..POOL_SIZE)
        .map(|index| SigningKey::from_pool(signing.alg(), index, kid.clone(), b""))
        .find(|candidate| {
            let mine = candidate.public_jwk().map(|jwk| material(&jwk));
            !taken.iter().any(|jwk| Some(material(jwk)) == mine)
        })
        .unwrap_or_else(|| {
            panic!(
                "Forgery::WrongKey needs a bundled {} key this server does not publish, but it \
                 publishes all {POOL_SIZE}; call auth.retire_old_keys() first",
                signing.alg()
            )
        })
}

/// A `kid` shaped like the server's (`rs256-1a2b3c4d`) that no published key has: its hex
/// part inverted, so a seeded server forges the same one every run.
fn unknown_kid(keys: &KeySet) -> String {
    let signing = keys.signing();
    let (prefix, hex) = signing.kid().rsplit_once('-').unwrap_or(("kid", "0"));
    let mut number = !u32::from_str_radix(hex, 16).unwrap_or(0);
    loop {
        let kid = format!("{prefix}-{number:08x}");
        if keys.find(Some(&kid)).is_none() {
            return kid;
        }
        number = number.wrapping_add(1);
    }
}

/// The public key as a verifier would load it: SubjectPublicKeyInfo in PEM. `None` for
/// HMAC keys, which have no public half.
fn public_key_pem(key: &SigningKey) -> Option<String> {
    let jwk = key.public_jwk()?;
    let field = |name: &str| B64.decode(jwk[name].as_str()?).ok();
    let der = match key.alg() {
        Algorithm::RS256 => {
            let components = PublicKeyComponents {
                n: field("n")?,
                e: field("e")?,
            };
            components.as_der().ok()?.as_ref().to_vec()
        }
        Algorithm::ES256 => {
            let mut point = vec![0x04];
            point.extend(field("x")?);
            point.extend(field("y")?);
            let parsed = ParsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point).ok()?;
            parsed.as_der().ok()?.as_ref().to_vec()
        }
        Algorithm::EdDSA => {
            let parsed = ParsedPublicKey::new(&ED25519, field("x")?).ok()?;
            parsed.as_der().ok()?.as_ref().to_vec()
        }
        // HMAC keys have no public half.
        _ => return None,
    };
    let base64 = STANDARD.encode(der);
    let lines: Vec<&str> = base64
        .as_bytes()
        .chunks(64)
        .map(|line| std::str::from_utf8(line).expect("base64 is ASCII"))
        .collect();
    Some(format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        lines.join("\n")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_public_key_algorithm_has_a_pem_and_hmac_has_none() {
        for alg in [Algorithm::RS256, Algorithm::ES256, Algorithm::EdDSA] {
            let key = SigningKey::from_pool(alg, 0, "k".into(), b"");
            let pem = public_key_pem(&key).unwrap_or_else(|| panic!("{alg} has a PEM"));
            assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pem}");
        }
        let hmac = SigningKey::from_pool(Algorithm::HS256, 0, "k".into(), b"secret");
        assert_eq!(public_key_pem(&hmac), None);
    }

    #[test]
    fn the_unknown_kid_keeps_the_shape_of_the_servers_kid() {
        let keys = KeySet::new(SigningKey::from_pool(
            Algorithm::RS256,
            0,
            "rs256-0000ffff".into(),
            b"",
        ));
        assert_eq!(unknown_kid(&keys), "rs256-ffff0000");
    }
}
