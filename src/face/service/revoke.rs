//! `POST /auth/revoke {refreshToken}` → 204: the refresh token stops working; access tokens
//! already issued live until they expire.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde::Deserialize;

use super::error::ServiceError;
use super::input::{caller, json_body, non_empty};
use super::tokens::REFRESH_PREFIX;
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::journal::Annotation;
use crate::shared::{Shared, TenantRef};
use crate::store::RefreshRefusal;

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
    let now = shared.clock.unix();
    let username = {
        let mut store = shared.lock();
        let found = store
            .find_refresh(tenant.index, REFRESH_PREFIX, &body.refresh_token, now)
            .filter(|found| found.grant.holder == caller.app.id)
            .ok_or(ServiceError::invalid_refresh_token(RefreshRefusal::Unknown))?;
        // A spent or expired token changes nothing (a double logout is no error); the live
        // one ends its session.
        let (family, active) = (found.family.to_owned(), found.active);
        let user_id = found.grant.user_id.clone();
        if active {
            store[tenant.index].ledger.revoke_family(&family);
        }
        store[tenant.index]
            .user(&user_id)
            .map(|u| u.username.clone())
    };
    seen.username = username;
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::NO_CONTENT;
    Ok(response)
}
