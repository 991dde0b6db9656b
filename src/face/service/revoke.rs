//! `POST /auth/revoke {refreshToken}` → 204: the refresh token stops working; access tokens
//! already issued live until they expire.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde::Deserialize;

use super::error::ServiceError;
use super::input::{caller, json_body, non_empty};
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::journal::Annotation;
use crate::shared::{Shared, TenantRef};

const EXAMPLE: &str = r#"{"refreshToken": "srt_…"}"#;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RevokeBody {
    refresh_token: String,
}

pub(super) fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
    seen: &mut Annotation,
) -> Result<HttpResponse, ServiceError> {
    let caller = caller(shared, tenant, req)?;
    seen.client_id = Some(caller.app.id.clone());
    let body: RevokeBody = json_body(req, EXAMPLE)?;
    non_empty("refreshToken", &body.refresh_token)?;
    let username = {
        let mut store = shared.lock();
        let user_id = store
            .revoke_service_refresh(tenant.index, &caller.app.id, &body.refresh_token)
            .map_err(ServiceError::invalid_refresh_token)?;
        store[tenant.index]
            .user(&user_id)
            .map(|u| u.username.clone())
    };
    seen.username = username;
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::NO_CONTENT;
    Ok(response)
}
