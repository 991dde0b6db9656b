//! `POST /auth/refresh {refreshToken}` → 200 a new pair with fresh claims; the old refresh
//! token is spent only once the new pair is issued, so a failed claims call leaves it live.

use serde::Deserialize;

use super::claims;
use super::error::ServiceError;
use super::input::{caller, json_body, non_empty};
use super::tokens::{self, REFRESH_PREFIX};
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::journal::Annotation;
use crate::shared::{Shared, TenantRef};

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
        // A spent token revokes its family here (replay).
        let live = store
            .check_refresh(
                tenant.index,
                REFRESH_PREFIX,
                &body.refresh_token,
                &caller.app.id,
                now,
            )
            .map_err(ServiceError::invalid_refresh_token)?;
        store[tenant.index].account_of(&live.user)
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
