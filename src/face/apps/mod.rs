//! The apps face (docs/apps.md): email-and-password auth for apps at
//! `{prefix}/auth/{app_id}/…` of the server origin. Each app is a tenant of the one domain
//! (its id is the app id), made on first use: its users are the tenant's users, its tokens
//! are signed with the tenant's key, its sessions are ledger families under the store's
//! one refresh rule, and its logins go through the one password check and lockout.

mod app;
mod audit;
mod bearer;
mod body;
mod email;
mod error;
mod jwks;
mod login;
mod logout;
mod me;
mod policy;
mod refresh;
mod session;
mod signup;
mod user_view;

pub(crate) use app::locate;
pub(crate) use error::AppsError;

use crate::endpoint::Endpoint;
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::journal::Annotation;
use crate::shared::{Shared, TenantRef};

/// One call of the face: what every handler reads, and what it tells the journal.
struct Call<'a> {
    shared: &'a Shared,
    tenant: &'a TenantRef,
    app_id: &'a str,
    req: &'a HttpRequest,
    seen: Annotation,
}

/// 413 in the face's shape, for a body over the server's limit (refused before routing).
pub(crate) fn too_large(limit: usize) -> HttpResponse {
    AppsError::payload_too_large(limit).answer()
}

/// Answers one request of the face (its endpoint and method already checked by
/// [`locate`]). The answer carries the app (as the client) and the user to the journal.
pub(crate) fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    app_id: &str,
    endpoint: Endpoint,
    req: &HttpRequest,
) -> HttpResponse {
    let mut call = Call {
        shared,
        tenant,
        app_id,
        req,
        seen: Annotation {
            client_id: Some(app_id.to_owned()),
            username: None,
        },
    };
    let outcome = match endpoint {
        Endpoint::AppsSignup => signup::handle(&mut call),
        Endpoint::AppsLogin => login::handle(&mut call),
        Endpoint::AppsRefresh => refresh::handle(&mut call),
        Endpoint::AppsLogout => logout::handle(&mut call),
        Endpoint::AppsMe => me::handle(&mut call),
        Endpoint::AppsJwks => Ok(jwks::handle(&call)),
        other => Err(AppsError::not_found(other.as_str())),
    };
    let response = outcome.unwrap_or_else(|err| err.answer());
    call.seen.attach(response)
}
