//! `POST /api/auth-sandbox/applications`: registers an application of the service face.

use super::{json_body, AdminError};
use crate::config::{add_application, application_view, ApplicationSpec};
use crate::http::answer::{json, HttpResponse};
use crate::http::request::HttpRequest;
use crate::shared::Shared;

/// `{configId?, name, secret?, claimsUrl?}` → 201 `{id, name, secret, claimsUrl, configId}`
/// (a random secret when left out; `claimsUrl` plain `http://`, with the cargo feature
/// `claims-url`). A taken name or secret is 409.
pub(crate) fn create(shared: &Shared, req: &HttpRequest) -> Result<HttpResponse, AdminError> {
    let spec: ApplicationSpec = json_body(req)?;
    let (tenant, id) = add_application(shared, &spec)?;
    Ok(json(201, &application_view(shared, tenant, &id)))
}
