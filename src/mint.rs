//! Claims → signed compact JWS, and the reverse check. Pure functions: no store, no clock.
//!
//! HTTP issuance, in-process minting and forging all go through [`sign`], so a token minted
//! by a test is byte-for-byte the kind the token endpoint hands out.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::keys::{KeySet, SigningKey};

/// A JWT header or claims set.
pub(crate) type Claims = Map<String, Value>;

/// The `typ` header of access tokens ([RFC 9068 §2.1](https://www.rfc-editor.org/rfc/rfc9068#section-2.1)).
pub(crate) const ACCESS_TOKEN_TYP: &str = "at+jwt";
/// The `typ` header of id_tokens.
pub(crate) const ID_TOKEN_TYP: &str = "JWT";

/// Signs `claims` with `key` and returns the compact serialization.
pub(crate) fn sign(key: &SigningKey, typ: &str, claims: &Claims) -> String {
    let mut header = json!({ "alg": key.alg().as_str(), "typ": typ });
    if !key.kid().is_empty() {
        header["kid"] = json!(key.kid());
    }
    let mut token = String::with_capacity(1024);
    token.push_str(&B64.encode(header.to_string()));
    token.push('.');
    token.push_str(&B64.encode(serde_json::to_vec(claims).expect("JSON map serializes")));
    let sig = key.sign(token.as_bytes());
    token.push('.');
    token.push_str(&B64.encode(sig));
    token
}

/// Why a presented JWT was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// Not three base64url parts of JSON.
    Malformed,
    /// The header names a `kid` this server does not publish, or an algorithm it does not use.
    UnknownKey,
    /// The signature does not match.
    BadSignature,
}

impl Rejection {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Rejection::Malformed => "the token is not a well-formed JWT",
            Rejection::UnknownKey => {
                "the token's kid or alg does not match any key this server publishes"
            }
            Rejection::BadSignature => "the token's signature does not verify",
        }
    }
}

/// Decodes the claims of a compact JWS without checking anything.
pub(crate) fn decode_unverified(token: &str) -> Result<(Claims, Claims), Rejection> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(_s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Rejection::Malformed);
    };
    let header = decode_part(h)?;
    let claims = decode_part(p)?;
    Ok((header, claims))
}

fn decode_part(part: &str) -> Result<Claims, Rejection> {
    let bytes = B64.decode(part).map_err(|_| Rejection::Malformed)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Rejection::Malformed),
    }
}

/// Verifies `token` against `keys` and returns its claims.
///
/// The header's `alg` must be the named key's own: an `alg: none` token or an HS256 token
/// "signed" with an RSA public key is rejected (the classic algorithm-confusion attacks).
pub(crate) fn verify(keys: &KeySet, token: &str) -> Result<Claims, Rejection> {
    let (header, claims) = decode_unverified(token)?;
    let kid = header.get("kid").and_then(Value::as_str);
    let key = keys.find(kid).ok_or(Rejection::UnknownKey)?;
    if header.get("alg").and_then(Value::as_str) != Some(key.alg().as_str()) {
        return Err(Rejection::UnknownKey);
    }
    let (signing_input, sig) = token.rsplit_once('.').ok_or(Rejection::Malformed)?;
    let sig = B64.decode(sig).map_err(|_| Rejection::Malformed)?;
    if key.verify(signing_input.as_bytes(), &sig) {
        Ok(claims)
    } else {
        Err(Rejection::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Algorithm;

    fn keys() -> KeySet {
        KeySet::new(SigningKey::from_pool(
            Algorithm::RS256,
            0,
            "kid-0".into(),
            b"",
        ))
    }

    #[test]
    fn a_signed_token_verifies_and_keeps_its_claims() {
        let keys = keys();
        let mut claims = Map::new();
        claims.insert("sub".into(), json!("alice"));
        let token = sign(&keys.signing(), ACCESS_TOKEN_TYP, &claims);
        assert_eq!(verify(&keys, &token).unwrap()["sub"], "alice");
    }

    #[test]
    fn tampered_unsigned_and_garbage_tokens_are_rejected() {
        let keys = keys();
        let token = sign(&keys.signing(), ID_TOKEN_TYP, &Map::new());
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged_payload = B64.encode(r#"{"sub":"admin"}"#);
        parts[1] = &forged_payload;
        assert_eq!(
            verify(&keys, &parts.join(".")),
            Err(Rejection::BadSignature)
        );
        let none_header = B64.encode(r#"{"alg":"none","kid":"kid-0"}"#);
        let unsigned = format!("{none_header}.{forged_payload}.");
        assert_eq!(verify(&keys, &unsigned), Err(Rejection::UnknownKey));
        assert_eq!(verify(&keys, "garbage"), Err(Rejection::Malformed));
        assert_eq!(verify(&keys, "a.b.c"), Err(Rejection::Malformed));
    }
}
