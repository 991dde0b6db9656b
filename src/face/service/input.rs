//! Reading a service-face call: the application its `x-application-secret` names, and its
//! JSON body as a typed value.

use serde::de::DeserializeOwned;

use super::error::ServiceError;
use crate::http::body::{starts_as_json_object, BodyKind};
use crate::http::request::HttpRequest;
use crate::shared::{Shared, TenantRef};
use crate::store::{Application, Lifetimes};

/// The header that names the calling application (and is forwarded to its claims endpoint).
pub(super) const SECRET_HEADER: &str = "x-application-secret";

/// The application a call names, with its tenant's lifetimes (read under the same lock).
#[derive(Debug)]
pub(super) struct Caller {
    pub(super) app: Application,
    pub(super) lifetimes: Lifetimes,
}

/// The application whose secret the call carries; 401 when it carries none or an unknown one.
pub(super) fn caller(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
) -> Result<Caller, ServiceError> {
    let Some(secret) = req.header(SECRET_HEADER).filter(|s| !s.is_empty()) else {
        return Err(ServiceError::invalid_application(format!(
            "the call has no {SECRET_HEADER} header; send the secret of one of the tenant's applications (auth.application(\"name\").create().secret() in Rust, POST /api/auth-sandbox/applications over HTTP)"
        )));
    };
    shared.with_tenant(tenant, |t| match t.application_by_secret(secret) {
        Some(app) => Ok(Caller {
            app: app.clone(),
            lifetimes: t.lifetimes,
        }),
        // Names no application: the caller is not authenticated.
        None => Err(ServiceError::invalid_application(format!(
            "no application of this tenant has this {SECRET_HEADER}; send the secret of one \
             (auth.application(\"name\").create().secret() in Rust, POST \
             /api/auth-sandbox/applications over HTTP)"
        ))),
    })
}

/// The JSON body as `T` (what the body is comes from [`BodyKind::of`], as for the journal
/// that records it); 415 for another Content-Type, 400 naming the field at fault.
/// `example` shows the body the endpoint takes.
pub(super) fn json_body<T: DeserializeOwned>(
    req: &HttpRequest,
    example: &str,
) -> Result<T, ServiceError> {
    match BodyKind::of(req) {
        BodyKind::Empty | BodyKind::Json | BodyKind::Form { declared: false } => {}
        BodyKind::Form { declared: true } => {
            return Err(ServiceError::unsupported_media_type(
                "application/x-www-form-urlencoded",
            ))
        }
        BodyKind::Other(other) => return Err(ServiceError::unsupported_media_type(&other)),
    }
    let text = std::str::from_utf8(&req.body).map_err(|_| {
        ServiceError::bad_request(format!("the body is not UTF-8 JSON; send {example}"))
    })?;
    if !starts_as_json_object(&req.body) {
        return Err(ServiceError::bad_request(format!(
            "the body must be a JSON object; send {example}"
        )));
    }
    crate::config::from_json(text)
        .map_err(|err| ServiceError::bad_request(format!("{}; send {example}", err.describe())))
}

/// 400 when a required text field is empty.
pub(super) fn non_empty(field: &str, value: &str) -> Result<(), ServiceError> {
    if value.is_empty() {
        Err(ServiceError::bad_request(format!(
            "{field} must not be empty"
        )))
    } else {
        Ok(())
    }
}
