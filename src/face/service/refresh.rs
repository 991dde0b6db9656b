//! `POST /auth/refresh {refreshToken}` → 200 a new pair with fresh claims; the old refresh
//! token is spent only once the new pair is issued, so a failed claims call leaves it live.

use serde::Deserialize;

use super::error::ServiceError;
use super::input::{caller, json_body, non_empty};
use super::{claims, tokens};
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::journal::Annotation;
use crate::shared::{Shared, TenantRef};
use crate::store::RefreshRefusal;

const EXAMPLE: &str = r#"{"refreshToken": "srt_…"}"#;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RefreshBody {
    refresh_token: String,
}

pub(super) async fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
    seen: &mut Annotation,
) -> Result<HttpResponse, ServiceError> {
    let caller = caller(shared, tenant, req)?;
    seen.client_id = Some(caller.app.id.clone());
    let body: RefreshBody = json_body(req, EXAMPLE)?;
    non_empty("refreshToken", &body.refresh_token)?;
    let now = shared.clock.unix();
    let account = {
        let mut store = shared.lock();
        let live =
            store.live_service_refresh(tenant.index, &caller.app.id, &body.refresh_token, now);
        if live == Err(RefreshRefusal::Rotated) {
            store.revoke_service_successors(tenant.index, &body.refresh_token);
        }
        let user_id = live.map_err(ServiceError::invalid_refresh_token)?;
        let tenant = &store[tenant.index];
        // Checked live under this same lock, so the user is there.
        tenant.account_of(&tenant.users[&user_id])
    };
    seen.username = Some(account.identifier().to_owned());
    let claims = claims::fetch(&caller.app, &account, caller.lifetimes.claims_timeout).await?;
    tokens::issue(
        shared,
        tenant,
        &caller,
        &account,
        claims,
        Some(&body.refresh_token),
    )
}
