//! The JWT bearer grant ([RFC 7523 §2.1](https://www.rfc-editor.org/rfc/rfc7523#section-2.1)):
//! an HS256 assertion signed with the client's secret, `aud` = the token URL.

use jsonwebtoken::{Algorithm as JwtAlgorithm, DecodingKey, Validation};
use serde_json::Value;

use super::domain::Domain;
use super::issue::{self, Subject, TokenPlan};
use super::scope;
use crate::error::OAuthError;
use crate::http::body::Params;
use crate::mint;
use crate::store::{Client, SignIn};

/// How far in the future an assertion's `iat`/`nbf` may be (clock skew between machines).
const LEEWAY_SECONDS: u64 = 60;

/// How far ahead an assertion's `exp` may lie (plus the leeway): its `jti` is remembered
/// that long, so the replay record stays bounded in time.
const MAX_LIFETIME_SECONDS: u64 = 300;

/// The client an assertion claims to come from (`client_id`, else its `iss`), read before
/// any verification so the right secret can be found.
pub(crate) fn claimed_client(params: &Params) -> Result<Option<String>, OAuthError> {
    if let Some(id) = params.get("client_id") {
        return Ok(Some(id.to_owned()));
    }
    let assertion = params.require("assertion")?;
    let (_, claims) = mint::decode_unverified(assertion)
        .map_err(|_| OAuthError::invalid_grant("assertion is not a well-formed JWT"))?;
    Ok(claims.get("iss").and_then(Value::as_str).map(str::to_owned))
}

/// Verifies the assertion and issues tokens for its `sub` (the client itself or a user).
pub(crate) fn exchange(
    d: &mut Domain<'_>,
    client: &Client,
    params: &Params,
) -> Result<TokenPlan, OAuthError> {
    let assertion = params.require("assertion")?;
    let Some(secret) = &client.secret else {
        return Err(OAuthError::invalid_grant(format!(
            "client {:?} is public: it has no secret to sign an assertion with",
            client.id.as_str()
        )));
    };
    let mut validation = Validation::new(JwtAlgorithm::HS256);
    // Time and audience are checked below against the server's own clock and URLs.
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let claims = jsonwebtoken::decode::<serde_json::Map<String, Value>>(
        assertion,
        &DecodingKey::from_secret(secret.secret().as_bytes()),
        &validation,
    )
    .map_err(|e| {
        OAuthError::invalid_grant(format!(
            "assertion rejected: {e} (it must be HS256, signed with the client secret)"
        ))
    })?
    .claims;

    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    let number = |name: &str| claims.get(name).and_then(Value::as_u64);
    if text("iss") != Some(client.id.as_str()) {
        return Err(OAuthError::invalid_grant(format!(
            "assertion iss {:?} must be the client id {:?}",
            text("iss"),
            client.id.as_str()
        )));
    }
    let token_url = d.token_url();
    let audience_ok = match claims.get("aud") {
        Some(Value::String(aud)) => *aud == token_url || aud == d.issuer,
        Some(Value::Array(auds)) => auds
            .iter()
            .any(|a| a.as_str() == Some(&token_url) || a.as_str() == Some(d.issuer)),
        _ => false,
    };
    if !audience_ok {
        return Err(OAuthError::invalid_grant(format!(
            "assertion aud must be the token URL {token_url:?}"
        )));
    }
    let now = d.now;
    let exp = match number("exp") {
        None => return Err(OAuthError::invalid_grant("assertion has no exp")),
        Some(exp) if exp <= now => return Err(OAuthError::invalid_grant("assertion has expired")),
        Some(exp) if exp > now.saturating_add(MAX_LIFETIME_SECONDS + LEEWAY_SECONDS) => {
            return Err(OAuthError::invalid_grant(format!(
                "assertion exp is {}s ahead; an assertion may live at most {MAX_LIFETIME_SECONDS}s \
                 (a replay window this server must remember)",
                exp - now
            )))
        }
        Some(exp) => exp,
    };
    if number("nbf").is_some_and(|nbf| nbf > now.saturating_add(LEEWAY_SECONDS)) {
        return Err(OAuthError::invalid_grant(
            "assertion is not valid yet (nbf)",
        ));
    }
    // RFC 7523 §3 item 7: a jti makes each assertion usable once; without one a stolen
    // assertion could be replayed until it expires.
    let jti = text("jti").ok_or_else(|| {
        OAuthError::invalid_grant("assertion has no jti; give each assertion a unique one")
    })?;
    let used = &mut d.tenant_mut().ledger.used_assertions;
    let key = format!("{}:{jti}", client.id.as_str());
    if used.contains_key(&key) {
        return Err(OAuthError::invalid_grant(
            "assertion jti was already used (replay)",
        ));
    }
    // Remembered until the assertion expires; the ledger's pruning forgets it then.
    used.insert(key, exp);
    let scopes = scope::resolve(client, params.get("scope"))?;
    let sub = text("sub").ok_or_else(|| OAuthError::invalid_grant("assertion has no sub"))?;
    let subject = if sub == client.id.as_str() {
        Subject::Client
    } else {
        let user = d.tenant().find_user(sub).cloned().ok_or_else(|| {
            OAuthError::invalid_grant(format!(
                "assertion sub {sub:?} names neither the client nor a user"
            ))
        })?;
        let family = d.store.id("sid_");
        Subject::User {
            user: Box::new(user),
            family,
            auth_time: now,
            nonce: None,
            sign_in: SignIn::Assertion,
        }
    };
    Ok(issue::plan(d, client, &subject, scopes))
}
