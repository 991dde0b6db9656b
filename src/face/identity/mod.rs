//! The identity face (contract §5, seed `001_*`): Moka.Auth's REST endpoints over the
//! tenant's users, roles, permissions and API keys.

use hyper::Method;

use crate::endpoint::Endpoint;
use crate::http::answer::{json, HttpResponse};
use crate::http::request::HttpRequest;
use crate::shared::{Shared, TenantRef};

/// Which endpoint a path below the face's prefix is, before any handler runs (fault rules
/// and the journal need to know). Unknown paths answer 404 in the face's error shape.
pub(crate) fn classify(method: &Method, below: &str) -> Result<Endpoint, Box<HttpResponse>> {
    let segments: Vec<&str> = below.trim_matches('/').split('/').collect();
    let endpoint = match segments.as_slice() {
        ["auth", "login"] => Endpoint::IdentityLogin,
        ["auth", "refresh"] => Endpoint::IdentityRefresh,
        ["auth", "validate"] => Endpoint::IdentityValidate,
        ["auth", "impersonate"] => Endpoint::IdentityImpersonate,
        ["users"] | ["users", _] | ["users", _, "roles" | "permissions"] => Endpoint::IdentityUsers,
        ["roles"] | ["roles", _] | ["roles", _, "permissions" | "users"] => Endpoint::IdentityRoles,
        ["permissions"] | ["permissions", _] => Endpoint::IdentityPermissions,
        ["apikeys"] | ["apikeys", _] => Endpoint::IdentityApiKeys,
        _ => {
            return Err(Box::new(json(
                404,
                &serde_json::json!({
                    "error": "NotFound",
                    "message": format!("no identity endpoint {method} {below}"),
                    "details": {},
                    "traceId": "",
                }),
            )))
        }
    };
    Ok(endpoint)
}

/// Answers one request of the identity face.
pub(crate) fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    endpoint: Endpoint,
    req: &HttpRequest,
    below: &str,
) -> HttpResponse {
    let _ = (shared, tenant, req, below);
    json(
        501,
        &serde_json::json!({ "error": "NotImplemented", "message": format!("{endpoint} is being built"), "details": {}, "traceId": "" }),
    )
}
