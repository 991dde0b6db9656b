//! `/introspect` ([RFC 7662](https://www.rfc-editor.org/rfc/rfc7662)).
//!
//! Takes `{token}` as JSON without client authentication, and a form
//! with client authentication (what RFC 7662 clients send).

use serde_json::{json, Value};

use crate::check::active_access_token;
use crate::error::OAuthError;
use crate::grant::{authenticate, PresentedClient, SecretRule, REFRESH_PREFIX};
use crate::http::answer::{json, HttpResponse};
use crate::http::body::Params;
use crate::http::request::{HttpRequest, MediaType};
use crate::shared::{Shared, TenantRef};

/// Says whether a token is active, and what it is.
pub(crate) fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
) -> Result<HttpResponse, OAuthError> {
    let params = Params::from_body(req)?;
    let presented = PresentedClient::new(req.basic_credentials()?, &params);
    let is_json = req.media_type() == MediaType::Json;
    if presented.has_secret() || presented.client_id().is_some() || !is_json {
        shared.with_tenant(tenant, |t| {
            authenticate(t, &presented, SecretRule::Required)
        })?;
    }
    let token = params.require("token")?;
    Ok(json(200, &describe(shared, tenant, token)))
}

fn describe(shared: &Shared, tenant: &TenantRef, token: &str) -> Value {
    if let Ok(claims) = active_access_token(shared, tenant, token) {
        let mut answer = json!({ "active": true, "token_type": "access_token" });
        for name in [
            "sub",
            "client_id",
            "scope",
            "exp",
            "iat",
            "nbf",
            "iss",
            "aud",
            "jti",
            "sid",
        ] {
            if let Some(value) = claims.get(name) {
                answer[name] = value.clone();
            }
        }
        if let Some(username) = claims.get("preferred_username") {
            answer["username"] = username.clone();
        }
        // A preset may have renamed them (Okta's `cid` and `scp`, Entra's `azp` and `scp`).
        if let Some(client) = crate::preset::token_client(&claims) {
            answer["client_id"] = json!(client);
        }
        answer["scope"] = json!(crate::preset::token_scope(&claims));
        return answer;
    }
    let now = shared.clock.unix();
    let store = shared.lock();
    let Some(found) = store
        .find_refresh(tenant.index, REFRESH_PREFIX, token, now)
        .filter(|found| found.active)
    else {
        return json!({ "active": false });
    };
    json!({
        "active": true,
        "token_type": "refresh_token",
        "client_id": found.grant.holder,
        "sub": found.grant.user_id,
        "scope": found.grant.scope.join(" "),
        "exp": found.grant.expires_at,
        "iss": tenant.issuer,
    })
}
