//! `POST /auth/impersonate {userId}` → `{token, expiresAt}`: a token for another user that
//! names the caller in an `act` claim ([RFC 8693 §4.1](https://www.rfc-editor.org/rfc/rfc8693#section-4.1)).
//!
//! The caller needs `Users:Manage` (the permission that could make such a user anyway).
//! `act.sub` is the caller's user id, `apikey:<id>` for an API key, or `mockauth-admin` for
//! the admin token; when the caller's own token was an impersonation token, its `act` is
//! nested inside, as RFC 8693 chains actors. Impersonation tokens come without a refresh
//! token: the impersonation ends when the token expires.

use serde_json::{json, Map, Value};

use super::auth::{annotated, expires_at};
use super::body::JsonBody;
use super::error::IdentityError;
use super::guard::{self, Caller};
use super::token::{self, TokenRequest};
use super::IdentityCtx;
use crate::http::answer::{no_store, HttpResponse};
use crate::http::request::HttpRequest;
use crate::store::SignIn;

/// Answers `POST /auth/impersonate`.
pub(crate) fn handle(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
) -> Result<HttpResponse, IdentityError> {
    let caller = guard::require(ctx, req, guard::USERS_MANAGE)?;
    let mut body = JsonBody::parse(req)?;
    let user_id = body.required_string("userId");
    body.finish("Invalid impersonation request")?;
    let Some(user_id) = user_id else {
        return Err(IdentityError::bad_body("userId is required"));
    };
    let now = ctx.now();
    let mut store = ctx.shared.lock();
    let index = ctx.tenant.index;
    let tenant = &store[index];
    let Some(user) = tenant.user(&user_id).cloned() else {
        return Err(IdentityError::not_found(format!(
            "No user with id {user_id:?} to impersonate; userId is the id that /auth/login and /users answer"
        ))
        .detail("userId", user_id));
    };
    let permissions = tenant.effective_permissions(&user);
    // Acting as a user grants its permissions: only to a caller that holds them all.
    guard::may_grant(Some(&caller), &permissions)?;
    let family = store.id("sid_");
    let access = token::access(
        &mut store,
        &TokenRequest {
            tenant: index,
            issuer: &ctx.tenant.issuer,
            user: &user,
            permissions: &permissions,
            family: &family,
            now,
            act: Some(act_claim(&caller)),
            sign_in: SignIn::Impersonated,
        },
    );
    drop(store);
    let answer = json!({ "token": access.sign(), "expiresAt": expires_at(&access) });
    Ok(annotated(&user, no_store(200, &answer)))
}

/// `{sub: <caller>}`, with the caller's own `act` nested when it was impersonating too.
fn act_claim(caller: &Caller) -> Value {
    let mut act = Map::new();
    act.insert("sub".into(), Value::String(caller.actor()));
    if let Caller::User {
        act: Some(prior), ..
    } = caller
    {
        act.insert("act".into(), prior.clone());
    }
    Value::Object(act)
}
