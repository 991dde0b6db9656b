//! `POST /api/auth-sandbox/clients`: registers an OAuth client in a tenant.

use super::{json_body, AdminError};
use crate::config::{add_client, client_view, ClientSpec};
use crate::http::answer::{json, HttpResponse};
use crate::http::request::HttpRequest;
use crate::shared::Shared;

/// `{configId?, clientName, grantTypes?, redirectUris?, scopes?, public?, clientId?,
/// clientSecret?, postLogoutRedirectUris?, allowAnyLoopbackPort?}` → 201 `{client_id,
/// client_secret?, client_name, config_id, public, grant_types, redirect_uris, scopes, …}`.
pub(crate) fn create(shared: &Shared, req: &HttpRequest) -> Result<HttpResponse, AdminError> {
    let spec: ClientSpec = json_body(req)?;
    let (tenant, id) = add_client(shared, &spec)?;
    Ok(json(201, &client_view(shared, tenant, &id)))
}
