//! The service face (contract §6, seed `002_*`): a standalone account service whose access
//! tokens carry claims fetched from the application's callback.

use hyper::Method;

use crate::endpoint::Endpoint;
use crate::http::answer::{json, HttpResponse};
use crate::http::request::HttpRequest;
use crate::shared::{Shared, TenantRef};

/// Which endpoint a path below the face's prefix is. Unknown paths answer 404 `{error, message}`.
pub(crate) fn classify(method: &Method, below: &str) -> Result<Endpoint, Box<HttpResponse>> {
    match below.trim_end_matches('/') {
        "/auth/register" => Ok(Endpoint::ServiceRegister),
        "/auth/login" => Ok(Endpoint::ServiceLogin),
        "/auth/refresh" => Ok(Endpoint::ServiceRefresh),
        "/auth/revoke" => Ok(Endpoint::ServiceRevoke),
        _ => Err(Box::new(json(
            404,
            &serde_json::json!({ "error": "not_found", "message": format!("no service endpoint {method} {below}") }),
        ))),
    }
}

/// Answers one request of the service face.
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
        &serde_json::json!({ "error": "not_implemented", "message": format!("{endpoint} is being built") }),
    )
}
