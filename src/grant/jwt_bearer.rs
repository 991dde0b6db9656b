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
    match number("exp") {
        None => return Err(OAuthError::invalid_grant("assertion has no exp")),
        Some(exp) if exp <= now => return Err(OAuthError::invalid_grant("assertion has expired")),
        Some(_) => {}
    }
    if number("nbf").is_some_and(|nbf| nbf > now.saturating_add(LEEWAY_SECONDS)) {
        return Err(OAuthError::invalid_grant(
            "assertion is not valid yet (nbf)",
        ));
    }
    if let Some(jti) = text("jti") {
        let used = &mut d.tenant_mut().ledger.used_assertions;
        if !used.insert(format!("{}:{jti}", client.id.as_str())) {
            return Err(OAuthError::invalid_grant(
                "assertion jti was already used (replay)",
            ));
        }
    }
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
