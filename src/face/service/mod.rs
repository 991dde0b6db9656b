//! The service face (docs/service.md): a standalone account service whose access tokens
//! carry claims fetched from the application's callback.
//!
//! Every call names its application with `x-application-secret`. Login and refresh ask the
//! application for the account's claims (its `claimsUrl`, or a Rust closure) between two
//! short steps under the store lock, never holding it while they wait; that wait is why
//! [`handle`] is the one async handler of the server (see `http::router::dispatch`).

mod claims;
#[cfg(feature = "claims-url")]
mod claims_url;
mod error;
mod input;
mod login;
mod refresh;
mod register;
mod revoke;
mod tokens;

use hyper::Method;

use crate::endpoint::Endpoint;
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::journal::Annotation;
use crate::shared::{Shared, TenantRef};
use error::ServiceError;

/// Which endpoint a path below the face's prefix is. Unknown paths answer 404 `{error, message}`.
pub(crate) fn classify(method: &Method, below: &str) -> Result<Endpoint, Box<HttpResponse>> {
    match below.trim_end_matches('/') {
        "/auth/register" => Ok(Endpoint::ServiceRegister),
        "/auth/login" => Ok(Endpoint::ServiceLogin),
        "/auth/refresh" => Ok(Endpoint::ServiceRefresh),
        "/auth/revoke" => Ok(Endpoint::ServiceRevoke),
        _ => Err(Box::new(
            ServiceError::not_found(format!(
                "no service endpoint {method} {below}; the service face serves POST /auth/register, /auth/login, /auth/refresh and /auth/revoke"
            ))
            .answer(),
        )),
    }
}

/// 413 in the face's shape, for a body over the server's limit (refused before routing).
pub(crate) fn too_large(limit: usize) -> HttpResponse {
    ServiceError::payload_too_large(limit).answer()
}

/// Answers one request of the service face. The answer carries the application and account
/// it concerned to the journal, whether it succeeded or not.
pub(crate) async fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    endpoint: Endpoint,
    req: &HttpRequest,
) -> HttpResponse {
    if req.method != Method::POST {
        return ServiceError::method_not_allowed(req.method.as_str(), &req.path).answer();
    }
    let mut seen = Annotation::default();
    let outcome = match endpoint {
        Endpoint::ServiceRegister => register::handle(shared, tenant, req, &mut seen),
        Endpoint::ServiceLogin => login::handle(shared, tenant, req, &mut seen).await,
        Endpoint::ServiceRefresh => refresh::handle(shared, tenant, req, &mut seen).await,
        Endpoint::ServiceRevoke => revoke::handle(shared, tenant, req, &mut seen),
        other => Err(ServiceError::not_found(format!(
            "{other} is not a service endpoint"
        ))),
    };
    seen.attach(outcome.unwrap_or_else(|err| err.answer()))
}
