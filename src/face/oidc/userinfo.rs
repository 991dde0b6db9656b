//! `/userinfo` ([OIDC Core §5.3](https://openid.net/specs/openid-connect-core-1_0.html#UserInfo)).

use hyper::Method;
use serde_json::{Map, Value};

use crate::check::active_access_token;
use crate::error::{ErrorCode, OAuthError};
use crate::http::answer::{json, HttpResponse};
use crate::http::body::Params;
use crate::http::request::HttpRequest;
use crate::shared::{Shared, TenantRef};

/// The profile of the user an access token belongs to.
pub(crate) fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
) -> Result<HttpResponse, OAuthError> {
    let from_body;
    let token = match req.bearer_token() {
        Some(token) => token,
        // RFC 6750 §2.2: a POSTed form may carry the token instead.
        None if req.method == Method::POST => {
            from_body =
                Params::from_body(req).map_err(|e| OAuthError::invalid_token(e.description))?;
            from_body.get("access_token").ok_or_else(|| {
                OAuthError::invalid_token(
                    "missing bearer token: send Authorization: Bearer <access_token>",
                )
            })?
        }
        None => {
            return Err(OAuthError::invalid_token(
                "missing bearer token: send Authorization: Bearer <access_token>",
            ))
        }
    };
    let claims = active_access_token(shared, tenant, token).map_err(OAuthError::invalid_token)?;
    let scopes = crate::preset::token_scope(&claims);
    if !scopes.split(' ').any(|s| s == "openid") {
        return Err(OAuthError::new(
            ErrorCode::InsufficientScope,
            "the token lacks the openid scope",
        ));
    }
    // Okta's access tokens carry the user's id in `uid` (their `sub` is the login).
    let sub = claims
        .get("uid")
        .or_else(|| claims.get("sub"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let profile: Option<Map<String, Value>> =
        shared.with_tenant(tenant, |t| t.user(sub).map(|u| u.profile()));
    let profile = profile.ok_or_else(|| {
        OAuthError::invalid_token("the token belongs to no user (a client_credentials token?)")
    })?;
    Ok(json(200, &Value::Object(profile)))
}
