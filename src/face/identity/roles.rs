//! `/roles…` of the identity face (guarded by `Roles:Manage`):
//!
//! | call | answer |
//! |---|---|
//! | `GET /roles` | 200 every role, oldest first |
//! | `POST /roles {name, description?, permissions?}` | 201 the role, with `id` and `createdAt` |
//! | `GET /roles/{id}` | 200 the role |
//! | `PUT /roles/{id}` | 200 the role, replaced whole; a new name follows through to its users |
//! | `DELETE /roles/{id}` | 204; every user loses the role |
//! | `GET /roles/{id}/permissions` | 200 the role's permissions |
//! | `GET /roles/{id}/users` | 200 the users that hold it, by username |
//!
//! `{id}` is the role's id or its name.

use hyper::Method;

use super::error::IdentityError;
use super::guard::may_grant;
use super::managed::{created, is_read, managed, no_content, not_allowed, ok, path_id, refused};
use super::validate::Fields;
use super::{views, IdentityCtx};
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::store::manage::{
    create_role, delete_role, find_role, replace_role, FieldProblems, RoleDraft,
};
use crate::store::rbac::{Permission, Role};
use crate::store::User;

const FIELDS: [&str; 3] = ["name", "description", "permissions"];
const INVALID: &str = "Invalid role data";

/// Answers `/roles…`; the caller already holds `Roles:Manage`.
pub(crate) fn handle(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
    segments: &[&str],
) -> Result<HttpResponse, IdentityError> {
    match segments {
        ["roles"] if is_read(req) => list(ctx),
        ["roles"] if req.method == Method::POST => create(ctx, req),
        ["roles"] => Err(not_allowed(req, "GET, POST")),
        ["roles", id] if is_read(req) => show(ctx, &path_id(id)?),
        ["roles", id] if req.method == Method::PUT => replace(ctx, req, &path_id(id)?),
        ["roles", id] if req.method == Method::DELETE => delete(ctx, &path_id(id)?),
        ["roles", _] => Err(not_allowed(req, "GET, PUT, DELETE")),
        ["roles", id, "permissions"] if is_read(req) => permissions_of(ctx, &path_id(id)?),
        ["roles", id, "users"] if is_read(req) => users_of(ctx, &path_id(id)?),
        _ => Err(not_allowed(req, "GET")),
    }
}

fn list(ctx: &IdentityCtx<'_>) -> Result<HttpResponse, IdentityError> {
    let roles: Vec<Role> = managed(ctx, |store, index, _| store[index].rbac.roles.clone());
    ok(&views::list(&roles, views::role))
}

fn create(ctx: &IdentityCtx<'_>, req: &HttpRequest) -> Result<HttpResponse, IdentityError> {
    let (draft, problems) = read_draft(req)?;
    may_grant(ctx.caller.as_ref(), &draft.permissions)?;
    let role = managed(ctx, |store, index, now| {
        create_role(store, index, draft, problems, now)
    })
    .map_err(|refusal| refused(refusal, INVALID))?;
    created(&views::role(&role))
}

fn show(ctx: &IdentityCtx<'_>, id: &str) -> Result<HttpResponse, IdentityError> {
    let role = managed(ctx, |store, index, _| find_role(&store[index], id).cloned())
        .map_err(|refusal| refused(refusal, INVALID))?;
    ok(&views::role(&role))
}

fn replace(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
    id: &str,
) -> Result<HttpResponse, IdentityError> {
    let (draft, problems) = read_draft(req)?;
    may_grant(ctx.caller.as_ref(), &draft.permissions)?;
    let role = managed(ctx, |store, index, _| {
        replace_role(store, index, id, draft, problems)
    })
    .map_err(|refusal| refused(refusal, INVALID))?;
    ok(&views::role(&role))
}

fn delete(ctx: &IdentityCtx<'_>, id: &str) -> Result<HttpResponse, IdentityError> {
    managed(ctx, |store, index, _| delete_role(store, index, id))
        .map_err(|refusal| refused(refusal, INVALID))?;
    no_content()
}

fn permissions_of(ctx: &IdentityCtx<'_>, id: &str) -> Result<HttpResponse, IdentityError> {
    let permissions: Vec<Permission> = managed(ctx, |store, index, _| {
        let tenant = &store[index];
        let role = find_role(tenant, id)?;
        Ok(role
            .permissions
            .iter()
            .filter_map(|name| tenant.rbac.permission(name).cloned())
            .collect())
    })
    .map_err(|refusal| refused(refusal, INVALID))?;
    ok(&views::list(&permissions, views::permission))
}

fn users_of(ctx: &IdentityCtx<'_>, id: &str) -> Result<HttpResponse, IdentityError> {
    let mut users: Vec<User> = managed(ctx, |store, index, _| {
        let tenant = &store[index];
        let role = find_role(tenant, id)?;
        Ok(tenant
            .users
            .values()
            .filter(|u| u.roles.contains(&role.name))
            .cloned()
            .collect())
    })
    .map_err(|refusal| refused(refusal, INVALID))?;
    users.sort_by(|a, b| a.username.cmp(&b.username));
    ok(&views::list(&users, views::user))
}

/// The role the body describes, and what is wrong with it.
fn read_draft(req: &HttpRequest) -> Result<(RoleDraft, FieldProblems), IdentityError> {
    let mut fields = Fields::read(req, &FIELDS)?;
    let draft = RoleDraft {
        name: fields.name("name"),
        description: fields.optional_description("description"),
        permissions: fields.names("permissions"),
    };
    Ok((draft, fields.into_problems()))
}
