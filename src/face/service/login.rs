//! `POST /auth/login {identifier, password}` → 200 `{accessToken, refreshToken}`: checks the
//! password, asks the application for the account's claims, then issues the pair.

use serde::Deserialize;

use super::error::ServiceError;
use super::input::{caller, json_body, non_empty};
use super::{claims, tokens};
use crate::check::check_password;
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::journal::Annotation;
use crate::shared::{Shared, TenantRef};

const EXAMPLE: &str = r#"{"identifier": "alice@example.test", "password": "P@ssw0rd123"}"#;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    identifier: String,
    password: String,
}

pub(super) async fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
    seen: &mut Annotation,
) -> Result<HttpResponse, ServiceError> {
    let caller = caller(shared, tenant, req)?;
    seen.client_id = Some(caller.app.id.clone());
    let body: LoginBody = json_body(req, EXAMPLE)?;
    seen.username = Some(body.identifier.clone());
    non_empty("identifier", &body.identifier)?;
    non_empty("password", &body.password)?;
    // The one password check of every face, counted against the lockout.
    let user = check_password(shared, tenant, &body.identifier, &body.password)
        .map_err(ServiceError::invalid_credentials)?;
    let account = shared.with_tenant(tenant, |t| t.account_of(&user));
    seen.username = Some(account.identifier().to_owned());
    let claims = claims::fetch(&caller.app, &account, caller.lifetimes.claims_timeout).await?;
    tokens::issue(shared, tenant, &caller, &account, claims, None)
}
