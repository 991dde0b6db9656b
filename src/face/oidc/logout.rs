//! `/logout` ([OIDC RP-Initiated Logout](https://openid.net/specs/openid-connect-rpinitiated-1_0.html)):
//! revokes the session the `id_token_hint` names and redirects to a registered URI.

use hyper::Method;
use serde_json::{json, Value};

use crate::error::OAuthError;
use crate::http::answer::{json, redirect, with_query, HttpResponse};
use crate::http::body::Params;
use crate::http::request::HttpRequest;
use crate::mint;
use crate::shared::{Shared, TenantRef};

/// Ends a session.
pub(crate) fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
) -> Result<HttpResponse, OAuthError> {
    let params = if req.method == Method::POST {
        Params::from_body(req)?
    } else {
        Params::from_form(req.query.as_bytes())?
    };
    let keys = shared.with_tenant(tenant, |t| t.keys.clone());
    // An expired id_token is still a fine hint: logout often comes after it expires.
    let hint = match params.get("id_token_hint") {
        Some(token) => Some(mint::verify(&keys, token).map_err(|r| {
            OAuthError::invalid_request(format!("id_token_hint rejected: {}", r.describe()))
        })?),
        None => None,
    };
    let hinted_client = hint.as_ref().and_then(|c| match c.get("aud") {
        Some(Value::Array(auds)) => auds.first().and_then(Value::as_str).map(str::to_owned),
        Some(Value::String(aud)) => Some(aud.clone()),
        _ => None,
    });
    let client_id = params.get("client_id").map(str::to_owned).or(hinted_client);
    let sid = hint
        .as_ref()
        .and_then(|c| c.get("sid"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let post_logout = params.get("post_logout_redirect_uri");
    shared.with_tenant(tenant, |t| {
        if let Some(uri) = post_logout {
            let id = client_id.as_deref().ok_or_else(|| {
                OAuthError::invalid_request("post_logout_redirect_uri needs client_id or id_token_hint")
            })?;
            let client = t.client(id).map_err(|e| OAuthError::invalid_request(e.description))?;
            if !client.accepts_post_logout_redirect(uri) {
                return Err(OAuthError::invalid_request(format!(
                    "post_logout_redirect_uri {uri:?} is not registered for client {id:?}; register it with .post_logout_redirect_uri({uri:?})"
                )));
            }
        }
        if let Some(sid) = &sid {
            t.ledger.revoke_family(sid);
        }
        Ok(())
    })?;
    match post_logout {
        Some(uri) => {
            let query: Vec<(&str, &str)> = params
                .get("state")
                .map(|s| ("state", s))
                .into_iter()
                .collect();
            Ok(redirect(&if query.is_empty() {
                uri.to_owned()
            } else {
                with_query(uri, &query)
            }))
        }
        None => Ok(json(200, &json!({ "logged_out": true, "sid": sid }))),
    }
}
