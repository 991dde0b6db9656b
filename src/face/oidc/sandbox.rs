//! The sandbox's two non-OAuth checks: `/validate` (a client secret as an API key) and
//! `/basic` (RFC 7617 user credentials).

use hyper::header::{HeaderValue, WWW_AUTHENTICATE};
use serde_json::json;
use subtle::ConstantTimeEq as _;

use crate::error::OAuthError;
use crate::http::answer::{json, HttpResponse};
use crate::http::request::HttpRequest;
use crate::password;
use crate::shared::{Shared, TenantRef};

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
    let user = credentials.and_then(|(username, given)| {
        let user = shared.with_tenant(tenant, |t| t.find_user(&username).cloned())?;
        password::verify(&given, &user.password_hash).then_some(user)
    });
    Ok(match user {
        Some(user) => json(
            200,
            &json!({
                "authenticated": true,
                "user": { "id": user.id, "username": user.username, "email": user.email, "roles": user.roles },
            }),
        ),
        None => {
            let mut answer = json(401, &json!({ "error": "invalid_credentials" }));
            answer.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static(r#"Basic realm="mockauth""#),
            );
            answer
        }
    })
}
