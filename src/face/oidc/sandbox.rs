//! The two non-OAuth checks: `/validate` (a client secret as an API key) and
//! `/basic` (RFC 7617 user credentials).

use hyper::header::{HeaderValue, WWW_AUTHENTICATE};
use serde_json::json;
use subtle::ConstantTimeEq as _;

use crate::check::check_password;
use crate::error::OAuthError;
use crate::http::answer::{json, HttpResponse};
use crate::http::request::HttpRequest;
use crate::shared::{Shared, TenantRef};
use crate::store::{LoginRefusal, MAX_FAILED_LOGINS};

/// `X-API-Key: <client secret>` → the client it belongs to.
pub(crate) fn validate(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
) -> Result<HttpResponse, OAuthError> {
    let key = req.header("x-api-key").unwrap_or_default().as_bytes();
    let found = shared.with_tenant(tenant, |t| {
        // Compare against every secret, in constant time each, so timing says nothing.
        let mut found = None;
        for client in t.clients.values() {
            if let Some(secret) = &client.secret {
                if bool::from(secret.secret().as_bytes().ct_eq(key)) && !key.is_empty() {
                    found = Some(client.clone());
                }
            }
        }
        found
    });
    Ok(match found {
        Some(client) => json(
            200,
            &json!({
                "valid": true,
                "client_id": client.id.as_str(),
                "client_name": client.name,
                "scopes": client.scopes,
            }),
        ),
        None => json(401, &json!({ "valid": false, "error": "invalid_api_key" })),
    })
}

/// `Authorization: Basic base64(username:password)` → the user's profile.
pub(crate) fn basic(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
) -> Result<HttpResponse, OAuthError> {
    let credentials = req.basic_credentials().ok().flatten();
    let checked = match credentials {
        Some((username, given)) => check_password(shared, tenant, &username, &given),
        None => Err(LoginRefusal::Wrong {
            remaining: MAX_FAILED_LOGINS,
        }),
    };
    Ok(match checked {
        Ok(user) => json(
            200,
            &json!({
                "authenticated": true,
                "user": { "id": user.id, "username": user.username, "email": user.email, "roles": user.roles },
            }),
        ),
        Err(refusal) => {
            let body = match refusal {
                LoginRefusal::Locked { .. } | LoginRefusal::NowLocked => {
                    json!({ "error": "invalid_credentials", "error_description": refusal.describe() })
                }
                _ => json!({ "error": "invalid_credentials" }),
            };
            let mut answer = json(401, &body);
            answer.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static(r#"Basic realm="mockauth""#),
            );
            answer
        }
    })
}
