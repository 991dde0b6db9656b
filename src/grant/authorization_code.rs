//! The authorization code grant ([RFC 6749 §4.1](https://www.rfc-editor.org/rfc/rfc6749#section-4.1))
//! with PKCE ([RFC 7636](https://www.rfc-editor.org/rfc/rfc7636)): the `/authorize` step that
//! issues a code, and the `/token` step that redeems it.

use aws_lc_rs::digest;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;

use super::domain::Domain;
use super::issue::{self, Subject, TokenPlan};
use super::scope;
use crate::error::{ErrorCode, OAuthError};
use crate::http::body::Params;
use crate::store::{Client, CodeRecord, Pkce, SignIn};
use crate::types::GrantType;

/// Why `/authorize` refused: shown to the user agent, or sent back to the client.
#[derive(Debug)]
pub(crate) enum AuthorizeError {
    /// The redirect URI cannot be trusted, so the error is shown, never redirected (RFC 6749 §4.1.2.1).
    Shown(OAuthError),
    /// The redirect URI is good: the error goes back to it with `state`.
    Redirect {
        redirect_uri: String,
        state: Option<String>,
        error: OAuthError,
    },
}

/// A successful authorization: where to send the user agent, with which code.
#[derive(Debug)]
pub(crate) struct Authorized {
    pub(crate) redirect_uri: String,
    pub(crate) code: String,
    pub(crate) state: Option<String>,
}

/// Validates an authorization request and issues a code, auto-approving as the default user
/// or as the user `login_hint` names.
pub(crate) fn authorize(d: &mut Domain<'_>, params: &Params) -> Result<Authorized, AuthorizeError> {
    let shown = |mut e: OAuthError| {
        e.status = 400;
        AuthorizeError::Shown(e)
    };
    let client_id = params.require("client_id").map_err(shown)?;
    let client = d.tenant().client(client_id).map_err(shown)?.clone();
    let redirect_uri = match params.get("redirect_uri") {
        // RFC 6749 §3.1.2: no fragment, whatever the client's redirect policy accepts.
        Some(uri) if uri.contains('#') => {
            return Err(shown(OAuthError::invalid_request(format!(
                "redirect_uri {uri:?} must not contain a fragment (RFC 6749 §3.1.2)"
            ))))
        }
        Some(uri) if client.accepts_redirect(uri) => uri.to_owned(),
        Some(uri) => {
            return Err(shown(OAuthError::invalid_request(format!(
                "redirect_uri {uri:?} is not registered for client {client_id:?}; register it \
                 with .redirect_uri({uri:?}) when declaring the client"
            ))))
        }
        None if client.redirect_uris.len() == 1 => client.redirect_uris[0].clone(),
        None => {
            return Err(shown(OAuthError::invalid_request(format!(
            "redirect_uri is required: client {client_id:?} has no single registered redirect URI"
        ))))
        }
    };
    let state = params.get("state").map(str::to_owned);
    let redirect = |error: OAuthError| AuthorizeError::Redirect {
        redirect_uri: redirect_uri.clone(),
        state: state.clone(),
        error,
    };
    match params.get("response_type") {
        Some("code") => {}
        Some(other) => {
            return Err(redirect(OAuthError::new(
                ErrorCode::UnsupportedResponseType,
                format!("response_type {other:?} is not supported; use \"code\""),
            )))
        }
        None => {
            return Err(redirect(OAuthError::invalid_request(
                "missing parameter \"response_type\"",
            )))
        }
    }
    if !client.allows_grant(GrantType::AuthorizationCode) {
        return Err(redirect(OAuthError::new(
            ErrorCode::UnauthorizedClient,
            format!("client {client_id:?} may not use the authorization_code grant"),
        )));
    }
    let scopes = scope::resolve(&client, params.get("scope")).map_err(redirect)?;
    let pkce = pkce_challenge(&client, params).map_err(redirect)?;
    let user_id = match params.get("login_hint") {
        Some(hint) => d
            .tenant()
            .find_user(hint)
            .map(|u| u.id.clone())
            .ok_or_else(|| {
                redirect(OAuthError::new(
                    ErrorCode::AccessDenied,
                    format!("login_hint {hint:?} names no user of this tenant"),
                ))
            })?,
        None => d
            .tenant()
            .find_user(crate::store::DEFAULT_USERNAME)
            .or_else(|| d.tenant().users.values().next())
            .map(|u| u.id.clone())
            .ok_or_else(|| {
                redirect(OAuthError::new(
                    ErrorCode::AccessDenied,
                    "the tenant has no user to log in",
                ))
            })?,
    };
    let code = d.store.token("ac_");
    let record = CodeRecord {
        client_id: client.id.clone(),
        user_id,
        redirect_uri: params.get("redirect_uri").map(str::to_owned),
        scope: scopes,
        nonce: params.get("nonce").map(str::to_owned),
        pkce,
        auth_time: d.now,
        expires_at: d
            .now
            .saturating_add(d.tenant().lifetimes.authorization_code.as_secs()),
        redeemed_by: None,
    };
    d.tenant_mut().ledger.codes.insert(code.clone(), record);
    Ok(Authorized {
        redirect_uri,
        code,
        state,
    })
}

fn pkce_challenge(client: &Client, params: &Params) -> Result<Option<Pkce>, OAuthError> {
    let method = params.get("code_challenge_method");
    let Some(challenge) = params.get("code_challenge") else {
        if method.is_some() {
            return Err(OAuthError::invalid_request(
                "code_challenge_method without code_challenge",
            ));
        }
        if client.is_public() {
            return Err(OAuthError::invalid_request(format!(
                "client {:?} is public: PKCE is required (send code_challenge and code_challenge_method=S256)",
                client.id.as_str()
            )));
        }
        return Ok(None);
    };
    let method = match method.unwrap_or("plain") {
        m @ ("S256" | "plain") => m.to_owned(),
        other => {
            return Err(OAuthError::invalid_request(format!(
                "code_challenge_method {other:?} is not supported; use S256 or plain"
            )))
        }
    };
    if !is_pkce_string(challenge) {
        return Err(OAuthError::invalid_request(
            "code_challenge must be 43–128 characters of [A-Za-z0-9-._~]",
        ));
    }
    Ok(Some(Pkce {
        challenge: challenge.to_owned(),
        method,
    }))
}

/// RFC 7636 §4.1: 43–128 unreserved characters.
fn is_pkce_string(s: &str) -> bool {
    (43..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// Redeems a code at the token endpoint.
pub(crate) fn exchange(
    d: &mut Domain<'_>,
    client: &Client,
    params: &Params,
) -> Result<TokenPlan, OAuthError> {
    let code = params.require("code")?;
    let now = d.now;
    let ledger = &mut d.tenant_mut().ledger;
    let Some(record) = ledger.codes.get(code).cloned() else {
        return Err(OAuthError::invalid_grant("unknown authorization code"));
    };
    if let Some(family) = &record.redeemed_by {
        ledger.revoke_family(family);
        return Err(OAuthError::invalid_grant(
            "authorization code was already used; the tokens it issued are now revoked (RFC 6749 §4.1.2)",
        ));
    }
    if record.expires_at <= now {
        ledger.codes.remove(code);
        return Err(OAuthError::invalid_grant("authorization code has expired"));
    }
    if record.client_id != client.id {
        return Err(OAuthError::invalid_grant(format!(
            "authorization code was issued to client {:?}, not {:?}",
            record.client_id.as_str(),
            client.id.as_str()
        )));
    }
    match (&record.redirect_uri, params.get("redirect_uri")) {
        (Some(expected), Some(given)) if expected == given => {}
        (Some(expected), given) => {
            return Err(OAuthError::invalid_grant(format!(
                "redirect_uri {given:?} does not match {expected:?} from the authorization request"
            )))
        }
        (None, _) => {}
    }
    check_verifier(record.pkce.as_ref(), params.get("code_verifier"))?;
    let user = d.tenant().user(&record.user_id).cloned().ok_or_else(|| {
        OAuthError::invalid_grant("the user of this authorization code no longer exists")
    })?;
    let family = d.store.id("sid_");
    if let Some(entry) = d.tenant_mut().ledger.codes.get_mut(code) {
        entry.redeemed_by = Some(family.clone());
    }
    let subject = Subject::User {
        user: Box::new(user),
        family,
        auth_time: record.auth_time,
        nonce: record.nonce,
        // `/authorize` approves at once: nobody typed a password.
        sign_in: SignIn::Assumed,
    };
    Ok(issue::plan(d, client, &subject, record.scope))
}

fn check_verifier(pkce: Option<&Pkce>, verifier: Option<&str>) -> Result<(), OAuthError> {
    match (pkce, verifier) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(OAuthError::invalid_grant(
            "code_verifier sent, but the authorization request had no code_challenge",
        )),
        (Some(_), None) => Err(OAuthError::invalid_grant(
            "missing code_verifier: the authorization request used PKCE",
        )),
        (Some(pkce), Some(verifier)) => {
            if !is_pkce_string(verifier) {
                return Err(OAuthError::invalid_request(
                    "code_verifier must be 43–128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)",
                ));
            }
            let derived = match pkce.method.as_str() {
                "S256" => B64.encode(digest::digest(&digest::SHA256, verifier.as_bytes())),
                _ => verifier.to_owned(),
            };
            if derived == pkce.challenge {
                Ok(())
            } else {
                Err(OAuthError::invalid_grant(format!(
                    "code_verifier does not match the {} code_challenge",
                    pkce.method
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_verifier_matches_the_rfc_7636_appendix_b_example() {
        let pkce = Pkce {
            challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into(),
            method: "S256".into(),
        };
        assert!(check_verifier(
            Some(&pkce),
            Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        )
        .is_ok());
        assert!(check_verifier(
            Some(&pkce),
            Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX")
        )
        .is_err());
    }
}
