//! Who is calling the identity face, and may they?
//!
//! Three kinds of credentials pass (docs/identity.md#guard):
//! - `Authorization: Bearer <admin_token>` (the admin API's token), compared in constant
//!   time: may do everything;
//! - `Authorization: Bearer <token>` of a user: an active access token of this tenant whose
//!   session checked a password (`/auth/login`, the OIDC password grant with or without its
//!   MFA step, their refreshes, or `/auth/impersonate` by a caller this guard let in) and
//!   whose `sub` is still a user; its permissions are the user's effective ones (own + roles');
//! - `X-API-Key: mka_…`: a key made with `POST /apikeys`, found by its hash and not expired
//!   on the server's clock; its permissions are the key's own list.
//!
//! No or bad credentials → 401 Unauthorized; good ones without the permission → 403. A
//! caller other than the admin token may grant only permissions it holds (`may_grant`).
//!
//! ```text
//! let caller = guard::require(ctx, req, guard::USERS_MANAGE)?;
//! ```

use serde_json::Value;

use super::error::IdentityError;
use super::IdentityCtx;
use crate::check::{active_access_token, is_admin_token, proved_password};
use crate::http::request::HttpRequest;
use crate::store::rbac::{beyond_granter, ApiKey, API_KEY_PREFIX};

/// Guards `/users…` and `/auth/impersonate`.
pub(crate) const USERS_MANAGE: &str = "Users:Manage";
/// Guards `/roles…`.
pub(crate) const ROLES_MANAGE: &str = "Roles:Manage";
/// Guards `/permissions…`.
pub(crate) const PERMISSIONS_MANAGE: &str = "Permissions:Manage";
/// Guards `/apikeys…`.
pub(crate) const API_KEYS_MANAGE: &str = "ApiKeys:Manage";

/// The `act.sub` of tokens the admin token impersonates with (it is no user).
pub(crate) const ADMIN_ACTOR: &str = "mockauth-admin";

/// An authenticated caller.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Caller {
    /// The server's admin token: every permission.
    Admin,
    /// A user, by a bearer token.
    User {
        id: String,
        /// Effective permissions (own + roles'), read when the request came in.
        permissions: Vec<String>,
        /// The token's own `act` claim when it is an impersonation token (RFC 8693 §4.1).
        act: Option<Value>,
    },
    /// An API key.
    ApiKey {
        id: String,
        permissions: Vec<String>,
    },
}

impl Caller {
    /// Whether the caller holds `permission`.
    pub(crate) fn has(&self, permission: &str) -> bool {
        match self {
            Caller::Admin => true,
            Caller::User { permissions, .. } | Caller::ApiKey { permissions, .. } => {
                permissions.iter().any(|p| p == permission)
            }
        }
    }

    /// Who the caller is, as the `act.sub` of a token it impersonates with: the user's id,
    /// `apikey:<id>` for a key, [`ADMIN_ACTOR`] for the admin token.
    pub(crate) fn actor(&self) -> String {
        match self {
            Caller::Admin => ADMIN_ACTOR.to_owned(),
            Caller::User { id, .. } => id.clone(),
            Caller::ApiKey { id, .. } => format!("apikey:{id}"),
        }
    }
}

/// The caller of `req`, or 401 when it carries no good credentials.
pub(crate) fn identify(ctx: &IdentityCtx<'_>, req: &HttpRequest) -> Result<Caller, IdentityError> {
    if let Some(token) = req.bearer_token() {
        if is_admin_token(ctx.shared, req) {
            return Ok(Caller::Admin);
        }
        return bearer_user(ctx, token);
    }
    if let Some(key) = req.header("x-api-key") {
        return api_key(ctx, key.trim());
    }
    Err(IdentityError::unauthorized(
        "This endpoint needs credentials: Authorization: Bearer <token from POST /auth/login>, \
         X-API-Key: <mka_… key from POST /apikeys>, or the admin token (auth.admin_token())",
    ))
}

/// The caller of `req` if it holds `permission`: 401 without good credentials, 403 without
/// the permission.
pub(crate) fn require(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
    permission: &str,
) -> Result<Caller, IdentityError> {
    let caller = identify(ctx, req)?;
    if caller.has(permission) {
        return Ok(caller);
    }
    let who = match &caller {
        Caller::User { id, .. } => format!("user {id:?}"),
        Caller::ApiKey { id, .. } => format!("API key {id:?}"),
        Caller::Admin => "the admin token".to_owned(),
    };
    Err(IdentityError::forbidden(format!(
        "{who} lacks the permission {permission:?}; grant it to the user (directly or through a role) or to the API key"
    ))
    .detail("requiredPermission", permission))
}

/// Refuses (403 naming the permission) a grant of `granted` by a caller that lacks one of
/// them; the admin token may grant anything.
pub(crate) fn may_grant<'a>(
    caller: Option<&Caller>,
    granted: impl IntoIterator<Item = &'a String>,
) -> Result<(), IdentityError> {
    let held = match caller {
        None | Some(Caller::Admin) => return Ok(()),
        Some(Caller::User { permissions, .. } | Caller::ApiKey { permissions, .. }) => permissions,
    };
    match beyond_granter(held, granted) {
        None => Ok(()),
        Some(permission) => Err(IdentityError::forbidden(format!(
            "The caller may grant only permissions it holds itself, and lacks {permission:?}; \
             grant it to the caller first (the admin token may grant anything)"
        ))
        .detail("requiredPermission", permission.as_str())),
    }
}

/// The user of an active access token of this tenant whose session checked a password.
fn bearer_user(ctx: &IdentityCtx<'_>, token: &str) -> Result<Caller, IdentityError> {
    let claims = active_access_token(ctx.shared, ctx.tenant, token).map_err(|why| {
        IdentityError::unauthorized(format!(
            "The bearer token is not accepted: {why}. Log in again with POST /auth/login"
        ))
    })?;
    let sub = claims
        .get("sub")
        .and_then(Value::as_str)
        .unwrap_or_default();
    // Only a session that checked a password may manage users: an auto-approved
    // `/authorize` (any `login_hint`) or a client's own token proves nobody.
    if !ctx.with_tenant(|t| proved_password(t, &claims)) {
        return Err(IdentityError::unauthorized(
            "The bearer token was issued without a password check (an auto-approved /authorize, \
             a client_credentials or minted token); log in with POST /auth/login or the password \
             grant",
        ));
    }
    let permissions = ctx.with_tenant(|t| {
        let user = t.user(sub)?;
        Some(t.effective_permissions(user))
    });
    let Some(permissions) = permissions else {
        return Err(IdentityError::unauthorized(format!(
            "The bearer token's subject {sub:?} is no user of this tenant (a client's token, or a deleted user); \
             log in with POST /auth/login"
        )));
    };
    Ok(Caller::User {
        id: sub.to_owned(),
        permissions,
        act: claims.get("act").cloned(),
    })
}

/// The API key presented in `X-API-Key`.
fn api_key(ctx: &IdentityCtx<'_>, key: &str) -> Result<Caller, IdentityError> {
    if !key.starts_with(API_KEY_PREFIX) {
        return Err(IdentityError::unauthorized(format!(
            "X-API-Key must be a key made with POST /apikeys (it starts with {API_KEY_PREFIX:?})"
        )));
    }
    let hash = ApiKey::hash_of(key);
    let now = ctx.now();
    let found = ctx.with_tenant(|t| {
        t.rbac
            .api_keys
            .iter()
            .find(|k| k.key_hash == hash)
            .map(|k| (k.id.clone(), k.permissions.clone(), k.is_live(now)))
    });
    match found {
        None => Err(IdentityError::unauthorized(
            "The X-API-Key is unknown: it was never issued by this tenant, or it was deleted",
        )),
        Some((id, _, false)) => Err(IdentityError::unauthorized(format!(
            "The API key {id:?} has expired (server clock); make a new one with POST /apikeys"
        ))),
        Some((id, permissions, true)) => Ok(Caller::ApiKey { id, permissions }),
    }
}
