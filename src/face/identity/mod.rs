//! The identity face: a JSON REST API for logging in and managing the tenant's users,
//! roles, permissions and API keys (docs/identity.md).
//!
//! [`handle`] wraps every request the same way: rate limit (per IP, server clock) → group
//! check (a disabled group is 404) → for management groups, the guard (the group's
//! `*:Manage` permission) → the group's handler → the security headers. Handlers return
//! `Result<HttpResponse, IdentityError>`; the error becomes `{error, message, details,
//! traceId}` here.
//!
//! Shared plumbing for the handlers:
//! - [`IdentityCtx`]: the server, the tenant, the caller (management groups);
//! - `error::{IdentityError, FieldErrors}`: the error answer, every bad field at once;
//! - `body::JsonBody`: JSON bodies read field by field;
//! - `guard::{identify, require, Caller}`: credentials and permissions;
//! - `token`: signing the face's JWTs.

mod auth;
pub(crate) mod body;
pub(crate) mod error;
pub(crate) mod guard;
mod headers;
mod impersonate;
mod lockout;
mod rate_limit;
pub(crate) mod token;

// The management groups (the identity-management helper's files).
mod apikeys;
mod managed;
mod permissions;
mod roles;
mod timestamp;
mod users;
mod validate;
mod views;

use hyper::Method;

use self::error::{ErrorType, IdentityError};
use self::guard::Caller;
use self::rate_limit::RateClass;
use crate::endpoint::Endpoint;
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::mount::FaceKind;
use crate::shared::{Shared, TenantRef};
use crate::store::Tenant;

/// What every identity handler gets besides the request.
#[derive(Debug)]
pub(crate) struct IdentityCtx<'a> {
    pub(crate) shared: &'a Shared,
    pub(crate) tenant: &'a TenantRef,
    /// The authenticated caller: `Some` for the management groups (already checked to hold
    /// the group's permission), `None` for `/auth/*`.
    pub(crate) caller: Option<Caller>,
}

impl IdentityCtx<'_> {
    /// The server clock, Unix seconds.
    pub(crate) fn now(&self) -> u64 {
        self.shared.clock.unix()
    }

    /// Runs `f` on the tenant under the store lock (one synchronous domain step).
    pub(crate) fn with_tenant<R>(&self, f: impl FnOnce(&mut Tenant) -> R) -> R {
        self.shared.with_tenant(self.tenant, f)
    }
}

/// A management group's handler: `segments` is the path below the face's prefix, split
/// (`["users", "{id}", "roles"]`).
type GroupHandler =
    fn(&IdentityCtx<'_>, &HttpRequest, &[&str]) -> Result<HttpResponse, IdentityError>;

/// Which endpoint a path below the face's prefix is, before any handler runs (fault rules
/// and the journal need to know). Unknown paths answer 404 in the face's error shape.
pub(crate) fn classify(method: &Method, below: &str) -> Result<Endpoint, Box<HttpResponse>> {
    let segments: Vec<&str> = below.trim_matches('/').split('/').collect();
    let endpoint = match segments.as_slice() {
        ["auth", "login"] => Endpoint::IdentityLogin,
        ["auth", "refresh"] => Endpoint::IdentityRefresh,
        ["auth", "validate"] => Endpoint::IdentityValidate,
        ["auth", "impersonate"] => Endpoint::IdentityImpersonate,
        ["users"] | ["users", _] | ["users", _, "roles" | "permissions"] => Endpoint::IdentityUsers,
        ["roles"] | ["roles", _] | ["roles", _, "permissions" | "users"] => Endpoint::IdentityRoles,
        ["permissions"] | ["permissions", _] => Endpoint::IdentityPermissions,
        ["apikeys"] | ["apikeys", _] => Endpoint::IdentityApiKeys,
        _ => {
            let err = IdentityError::not_found(format!(
                "No identity endpoint {method} {below}; the identity endpoints are /auth/login, \
                 /auth/refresh, /auth/validate, /auth/impersonate, /users, /roles, /permissions, /apikeys"
            ));
            return Err(Box::new(headers::secured(err.answer(&error::trace_id()))));
        }
    };
    Ok(endpoint)
}

/// Answers one request of the identity face.
pub(crate) fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    endpoint: Endpoint,
    req: &HttpRequest,
    below: &str,
) -> HttpResponse {
    let trace_id = error::trace_id();
    // A bug must answer in this face's shape too (the serve loop's catch answers OAuth's).
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        answer(shared, tenant, endpoint, req, below)
    }))
    .unwrap_or_else(|_| {
        Err(IdentityError::new(
            ErrorType::InternalError,
            format!(
                "mockauth bug: the identity handler for {} {} panicked; please report it",
                req.method, req.path
            ),
        ))
    });
    headers::secured(outcome.unwrap_or_else(|err| err.answer(&trace_id)))
}

/// The identity face's 413 for a body over the server's limit (the serve loop refuses it
/// before routing; this gives it the face's shape and headers).
pub(crate) fn too_large(limit: usize) -> HttpResponse {
    let err = IdentityError::new(
        ErrorType::PayloadTooLarge,
        format!("The request body exceeds the limit of {limit} bytes"),
    )
    .detail("limitBytes", limit);
    headers::secured(err.answer(&error::trace_id()))
}

fn answer(
    shared: &Shared,
    tenant: &TenantRef,
    endpoint: Endpoint,
    req: &HttpRequest,
    below: &str,
) -> Result<HttpResponse, IdentityError> {
    let (groups, limits) = shared
        .faces
        .iter()
        .find(|face| face.kind() == FaceKind::Identity)
        .map(crate::mount::Face::identity_options)
        .unwrap_or_default();
    let now_ms = shared
        .clock
        .now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    rate_limit::admit(
        &shared.identity_rate,
        &limits,
        tenant.index,
        RateClass::of(endpoint, &req.method),
        req.peer,
        now_ms,
    )?;
    let (enabled, group) = groups.allows(endpoint);
    if !enabled {
        return Err(IdentityError::not_found(format!(
            "The identity face's {group} endpoints are disabled on this server; enable them with \
             Face::identity().groups(IdentityGroups::all())"
        )));
    }
    let mut ctx = IdentityCtx {
        shared,
        tenant,
        caller: None,
    };
    let post_only =
        |handler: fn(&IdentityCtx<'_>, &HttpRequest) -> Result<HttpResponse, IdentityError>| {
            if req.method == Method::POST {
                handler(&ctx, req)
            } else {
                Err(IdentityError::method_not_allowed(
                    req.method.as_str(),
                    &req.path,
                    "POST",
                ))
            }
        };
    let (permission, handler): (&str, GroupHandler) = match endpoint {
        Endpoint::IdentityLogin => return post_only(auth::login),
        Endpoint::IdentityRefresh => return post_only(auth::refresh),
        Endpoint::IdentityValidate => return post_only(auth::validate),
        Endpoint::IdentityImpersonate => return post_only(impersonate::handle),
        Endpoint::IdentityUsers => (guard::USERS_MANAGE, users::handle),
        Endpoint::IdentityRoles => (guard::ROLES_MANAGE, roles::handle),
        Endpoint::IdentityPermissions => (guard::PERMISSIONS_MANAGE, permissions::handle),
        Endpoint::IdentityApiKeys => (guard::API_KEYS_MANAGE, apikeys::handle),
        other => {
            return Err(IdentityError::not_found(format!(
                "{other} is not an identity endpoint"
            )))
        }
    };
    ctx.caller = Some(guard::require(&ctx, req, permission)?);
    let segments: Vec<&str> = below.trim_matches('/').split('/').collect();
    handler(&ctx, req, &segments)
}
