//! `POST /api/auth-sandbox/users`: registers a user in a tenant.

use super::{json_body, AdminError};
use crate::config::{add_user, user_view, UserSpec};
use crate::http::answer::{json, HttpResponse};
use crate::http::request::HttpRequest;
use crate::shared::Shared;

/// `{configId?, username, email, password, roles?, mfaEnabled?, claims?, id?, name?,
/// emailVerified?}` → 201 `{id, username, email, email_verified, name, roles, claims,
/// mfa_enabled, config_id, totp_secret?}` (`totp_secret` in base32 when MFA is on; never
/// the password).
pub(crate) fn create(shared: &Shared, req: &HttpRequest) -> Result<HttpResponse, AdminError> {
    let spec: UserSpec = json_body(req)?;
    let (tenant, id) = add_user(shared, &spec)?;
    Ok(json(201, &user_view(shared, tenant, &id)))
}
