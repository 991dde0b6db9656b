//! `/users…` of the identity face (guarded by `Users:Manage`):
//!
//! | call | answer |
//! |---|---|
//! | `GET /users` | 200 every user, by username |
//! | `POST /users {username, email, password, firstName?, lastName?, roles?, permissions?}` | 201 the user, with `id` and `createdAt` |
//! | `GET /users/{id}` | 200 the user |
//! | `PUT /users/{id}` | 200 the user, replaced whole; `password` is optional and changes it |
//! | `DELETE /users/{id}` | 204 |
//! | `GET /users/{id}/roles` | 200 the user's roles |
//! | `GET /users/{id}/permissions` | 200 its effective permissions (own + roles') |
//!
//! `{id}` is the user's id or its username. No answer carries a password or its hash.

use hyper::Method;

use super::error::IdentityError;
use super::guard::may_grant;
use super::managed::{created, is_read, managed, no_content, not_allowed, ok, path_id, refused};
use super::validate::Fields;
use super::{views, IdentityCtx};
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::password;
use crate::store::manage::{create_user, delete_user, find_user, replace_user, UserDraft};
use crate::store::rbac::{Permission, Role};
use crate::store::User;

/// The fields of a user body.
const FIELDS: [&str; 7] = [
    "username",
    "email",
    "password",
    "firstName",
    "lastName",
    "roles",
    "permissions",
];
const INVALID: &str = "Invalid user data";

/// Answers `/users…`; the caller already holds `Users:Manage`.
pub(crate) fn handle(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
    segments: &[&str],
) -> Result<HttpResponse, IdentityError> {
    match segments {
        ["users"] if is_read(req) => list(ctx),
        ["users"] if req.method == Method::POST => create(ctx, req),
        ["users"] => Err(not_allowed(req, "GET, POST")),
        ["users", id] if is_read(req) => show(ctx, &path_id(id)?),
        ["users", id] if req.method == Method::PUT => replace(ctx, req, &path_id(id)?),
        ["users", id] if req.method == Method::DELETE => delete(ctx, &path_id(id)?),
        ["users", _] => Err(not_allowed(req, "GET, PUT, DELETE")),
        ["users", id, "roles"] if is_read(req) => roles_of(ctx, &path_id(id)?),
        ["users", id, "permissions"] if is_read(req) => permissions_of(ctx, &path_id(id)?),
        _ => Err(not_allowed(req, "GET")),
    }
}

fn list(ctx: &IdentityCtx<'_>) -> Result<HttpResponse, IdentityError> {
    let mut users: Vec<User> = managed(ctx, |store, index, _| {
        store[index].users.values().cloned().collect()
    });
    users.sort_by(|a, b| a.username.cmp(&b.username));
    ok(&views::list(&users, views::user))
}

fn create(ctx: &IdentityCtx<'_>, req: &HttpRequest) -> Result<HttpResponse, IdentityError> {
    let (draft, problems) = read_draft(req, true)?;
    let user = managed(ctx, |store, index, now| {
        let granted = store[index].granted_by(&draft.roles, &draft.permissions);
        may_grant(ctx.caller.as_ref(), &granted)?;
        create_user(store, index, draft, problems, now).map_err(|r| refused(r, INVALID))
    })?;
    created(&views::user(&user))
}

fn show(ctx: &IdentityCtx<'_>, id: &str) -> Result<HttpResponse, IdentityError> {
    let user = managed(ctx, |store, index, _| find_user(&store[index], id).cloned())
        .map_err(|refusal| refused(refusal, INVALID))?;
    ok(&views::user(&user))
}

fn replace(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
    id: &str,
) -> Result<HttpResponse, IdentityError> {
    let (draft, problems) = read_draft(req, false)?;
    let user = managed(ctx, |store, index, _| {
        let granted = store[index].granted_by(&draft.roles, &draft.permissions);
        may_grant(ctx.caller.as_ref(), &granted)?;
        replace_user(store, index, id, draft, problems).map_err(|r| refused(r, INVALID))
    })?;
    ok(&views::user(&user))
}

fn delete(ctx: &IdentityCtx<'_>, id: &str) -> Result<HttpResponse, IdentityError> {
    managed(ctx, |store, index, _| delete_user(store, index, id))
        .map_err(|refusal| refused(refusal, INVALID))?;
    no_content()
}

fn roles_of(ctx: &IdentityCtx<'_>, id: &str) -> Result<HttpResponse, IdentityError> {
    let roles: Vec<Role> = managed(ctx, |store, index, _| {
        let tenant = &store[index];
        let user = find_user(tenant, id)?;
        Ok(user
            .roles
            .iter()
            .filter_map(|name| tenant.rbac.role(name).cloned())
            .collect())
    })
    .map_err(|refusal| refused(refusal, INVALID))?;
    ok(&views::list(&roles, views::role))
}

fn permissions_of(ctx: &IdentityCtx<'_>, id: &str) -> Result<HttpResponse, IdentityError> {
    let permissions: Vec<Permission> = managed(ctx, |store, index, _| {
        let tenant = &store[index];
        let user = find_user(tenant, id)?;
        Ok(tenant
            .effective_permissions(user)
            .iter()
            .filter_map(|name| tenant.rbac.permission(name).cloned())
            .collect())
    })
    .map_err(|refusal| refused(refusal, INVALID))?;
    ok(&views::list(&permissions, views::permission))
}

/// The user the body describes, and what is wrong with it. The password is hashed here,
/// before the store lock is taken (argon2 is the slow part), and only when nothing else is
/// wrong.
fn read_draft(
    req: &HttpRequest,
    creating: bool,
) -> Result<(UserDraft, crate::store::manage::FieldProblems), IdentityError> {
    let mut fields = Fields::read(req, &FIELDS)?;
    let mut draft = UserDraft {
        username: fields.username("username"),
        email: fields.email("email"),
        password_hash: None,
        first_name: fields.optional_description("firstName"),
        last_name: fields.optional_description("lastName"),
        roles: fields.names("roles"),
        permissions: fields.names("permissions"),
    };
    let password = fields.password("password", creating);
    let problems = fields.into_problems();
    if problems.is_empty() {
        draft.password_hash = password.as_deref().map(password::hash);
    }
    Ok((draft, problems))
}
