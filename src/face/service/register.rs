//! `POST /auth/register {identifier, password, type, refId}` → 201 `{accountId}`: a new
//! account, which is a new user of the tenant (username = identifier).

use serde::Deserialize;
use serde_json::json;

use super::error::ServiceError;
use super::input::{caller, json_body, non_empty};
use crate::http::answer::{json, HttpResponse};
use crate::http::request::HttpRequest;
use crate::journal::Annotation;
use crate::password;
use crate::shared::{Shared, TenantRef};
use crate::store::{NewUser, ServiceAccount};

const EXAMPLE: &str = r#"{"identifier": "alice@example.test", "password": "P@ssw0rd123", "type": "user", "refId": "507f1f77bcf86cd799439011"}"#;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RegisterBody {
    identifier: String,
    password: String,
    #[serde(rename = "type")]
    kind: String,
    ref_id: String,
}

pub(super) fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
    seen: &mut Annotation,
) -> Result<HttpResponse, ServiceError> {
    let caller = caller(shared, tenant, req)?;
    seen.client_id = Some(caller.app.id);
    let body: RegisterBody = json_body(req, EXAMPLE)?;
    seen.username = Some(body.identifier.clone());
    non_empty("identifier", &body.identifier)?;
    non_empty("password", &body.password)?;
    non_empty("type", &body.kind)?;
    non_empty("refId", &body.ref_id)?;
    // An email-shaped identifier is the user's email too (otherwise the fixtures' default).
    let email = if body.identifier.contains('@') {
        body.identifier.clone()
    } else {
        format!("{}@example.test", body.identifier)
    };
    let new = NewUser {
        name: body.identifier.clone(),
        username: body.identifier.clone(),
        // Hashed before the lock: argon2 is the slow part.
        password_hash: password::hash(&body.password),
        email,
        email_verified: true,
        roles: vec!["user".to_owned()],
        service: Some(ServiceAccount {
            kind: body.kind,
            ref_id: body.ref_id,
        }),
        ..NewUser::default()
    };
    let now = shared.clock.unix();
    let created = shared.lock().add_user(tenant.index, new, now).map_err(|_| {
        ServiceError::conflict(format!(
            "identifier {:?} is already registered; log in with it (POST /auth/login) or register another",
            body.identifier
        ))
    })?;
    Ok(json(201, &json!({ "accountId": created.id })))
}
