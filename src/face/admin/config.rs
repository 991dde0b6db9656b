//! `POST /api/auth-sandbox/config`: a tenant's settings (creating the tenant when its
//! `projectId` is new), answered with the tenant's config and its default client's
//! credentials; `GET /api/auth-sandbox/config?configId=…` reads them.

use super::{json_body, AdminError};
use crate::config::{configure, tenant_view, TenantSettings};
use crate::http::answer::{json, HttpResponse};
use crate::http::request::HttpRequest;
use crate::shared::Shared;
use crate::store::TenantKey;
use crate::tenant::{index_of, unknown_tenant};

/// `POST /config {projectId?, enabled?, accessTokenTTL?, refreshTokenTTL?, errorSimulation?,
/// issuerPath?, algorithm?}`.
pub(crate) fn update(shared: &Shared, req: &HttpRequest) -> Result<HttpResponse, AdminError> {
    let settings: TenantSettings = json_body(req)?;
    let index = configure(shared, &settings)?;
    Ok(json(200, &tenant_view(shared, index)))
}

/// `GET /config?configId=…` (or `projectId`; left out = the default tenant).
pub(crate) fn show(shared: &Shared, req: &HttpRequest) -> Result<HttpResponse, AdminError> {
    let query = super::query(req, &["configId", "projectId"])?;
    let id = query.get("configId").or_else(|| query.get("projectId"));
    let index = match id {
        Some(id) => tenant_index_by_name(shared, id)?,
        None => TenantKey::DEFAULT,
    };
    Ok(json(200, &tenant_view(shared, index)))
}

fn tenant_index_by_name(shared: &Shared, id: &str) -> Result<TenantKey, AdminError> {
    let store = shared.lock();
    index_of(&store, id)
        .ok_or_else(|| AdminError::not_found(format!("configId: {}", unknown_tenant(&store, id))))
}
