//! `POST /auth/login`, `/auth/refresh` and `/auth/validate`: the auth group
//! (docs/identity.md#auth-endpoints).
//!
//! Login: argon2 runs outside the store lock, between a first step (who, locked out?) and
//! a last one (count the failure, or issue the tokens). Refresh rotates within the login's
//! ledger family; a rotated token that comes back revokes the family (replay).

use std::time::{Duration, UNIX_EPOCH};

use serde_json::{json, Value};

use super::body::JsonBody;
use super::error::IdentityError;
use super::token::{self, IdentityToken, TokenRequest, IDENTITY_CLIENT, REFRESH_PREFIX};
use super::{lockout, IdentityCtx};
use crate::check::{active_access_token, check_password};
use crate::clock::iso8601;
use crate::http::answer::{no_store, HttpResponse};
use crate::http::request::HttpRequest;
use crate::journal::Annotation;
use crate::store::{RefreshRefusal, SignIn, User};

/// `POST /auth/login {username, password}` → `{token, refreshToken, expiresAt, user}`.
/// `username` may also be the user's email.
pub(crate) fn login(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
) -> Result<HttpResponse, IdentityError> {
    let mut body = JsonBody::parse(req)?;
    let username = body.required_string("username");
    let given = body.required_string("password");
    body.finish("Invalid login request")?;
    let (Some(username), Some(given)) = (username, given) else {
        return Err(IdentityError::bad_body(
            "username and password are required",
        ));
    };
    let now = ctx.now();
    let user =
        check_password(ctx.shared, ctx.tenant, &username, &given).map_err(lockout::refused)?;
    let mut store = ctx.shared.lock();
    let index = ctx.tenant.index;
    let permissions = store[index].effective_permissions(&user);
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
            act: None,
            sign_in: SignIn::Password,
        },
    );
    let refresh_token = token::refresh(&mut store, index, &user.id, &family, now);
    drop(store);
    let answer = json!({
        "token": access.sign(),
        "refreshToken": refresh_token,
        "expiresAt": expires_at(&access),
        "user": {
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "roles": user.roles,
            "permissions": permissions,
        },
    });
    Ok(annotated(&user, no_store(200, &answer)))
}

/// `POST /auth/refresh {refreshToken}` → `{token, refreshToken, expiresAt}`; the presented
/// refresh token stops working.
pub(crate) fn refresh(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
) -> Result<HttpResponse, IdentityError> {
    let mut body = JsonBody::parse(req)?;
    let presented = body.required_string("refreshToken");
    body.finish("Invalid refresh request")?;
    let Some(presented) = presented else {
        return Err(IdentityError::bad_body("refreshToken is required"));
    };
    let now = ctx.now();
    let mut store = ctx.shared.lock();
    let index = ctx.tenant.index;
    let live = store
        .redeem_refresh(index, REFRESH_PREFIX, &presented, IDENTITY_CLIENT, now)
        .map_err(refused)?;
    let (user, family) = (live.user, live.family);
    let permissions = store[index].effective_permissions(&user);
    let access = token::access(
        &mut store,
        &TokenRequest {
            tenant: index,
            issuer: &ctx.tenant.issuer,
            user: &user,
            permissions: &permissions,
            family: &family,
            now,
            act: None,
            // The family exists: it keeps how its user signed in.
            sign_in: SignIn::Assumed,
        },
    );
    let refresh_token = token::refresh(&mut store, index, &user.id, &family, now);
    drop(store);
    let answer = json!({
        "token": access.sign(),
        "refreshToken": refresh_token,
        "expiresAt": expires_at(&access),
    });
    Ok(annotated(&user, no_store(200, &answer)))
}

/// The 401 for a refresh token that does not (or no longer) work.
fn refused(refusal: RefreshRefusal) -> IdentityError {
    IdentityError::unauthorized(match refusal {
        RefreshRefusal::Unknown | RefreshRefusal::IssuedTo(_) => {
            "Unknown refresh token; use the refreshToken of POST /auth/login or /auth/refresh"
        }
        RefreshRefusal::Revoked => "The refresh token has been revoked; log in again",
        RefreshRefusal::Replayed => {
            "The refresh token was already used; its whole session is now revoked (replay detected). Log in again"
        }
        RefreshRefusal::Expired => "The refresh token has expired (server clock); log in again",
        RefreshRefusal::UserGone => "The user of this refresh token no longer exists",
    })
}

/// `POST /auth/validate {token}` → 200 `{isValid}`; needs no credentials. A token is valid
/// when it is an active access token of this tenant (signature, issuer, expiry on the
/// server's clock, not revoked) whose user still exists.
pub(crate) fn validate(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
) -> Result<HttpResponse, IdentityError> {
    let mut body = JsonBody::parse(req)?;
    let presented = body.required_string("token");
    body.finish("Invalid validate request")?;
    let Some(presented) = presented else {
        return Err(IdentityError::bad_body("token is required"));
    };
    let is_valid = active_access_token(ctx.shared, ctx.tenant, &presented).is_ok_and(|claims| {
        let sub = claims
            .get("sub")
            .and_then(Value::as_str)
            .unwrap_or_default();
        ctx.with_tenant(|t| t.user(sub).is_some())
    });
    Ok(no_store(200, &json!({ "isValid": is_valid })))
}

/// `exp` as ISO 8601 UTC with milliseconds, as `expiresAt` is written.
pub(super) fn expires_at(token: &IdentityToken) -> String {
    iso8601(UNIX_EPOCH + Duration::from_secs(token.expires_at()))
}

/// `response`, telling the journal which user it concerned.
pub(super) fn annotated(user: &User, response: HttpResponse) -> HttpResponse {
    Annotation {
        client_id: None,
        username: Some(user.username.clone()),
    }
    .attach(response)
}
