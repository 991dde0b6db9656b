//! `/permissions…` of the identity face (guarded by `Permissions:Manage`):
//!
//! | call | answer |
//! |---|---|
//! | `GET /permissions` | 200 every permission, oldest first (the four `*:Manage` ones first) |
//! | `POST /permissions {name, description?, category?}` | 201 the permission, with `id` and `createdAt` |
//! | `GET /permissions/{id}` | 200 the permission |
//! | `PUT /permissions/{id}` | 200 the permission, replaced whole; a new name follows through to every role, user and API key |
//! | `DELETE /permissions/{id}` | 204; every role, user and API key loses it |
//!
//! `{id}` is the permission's id or its name. The four `*:Manage` permissions cannot be
//! renamed or deleted (409).

use hyper::Method;

use super::error::IdentityError;
use super::managed::{created, is_read, managed, no_content, not_allowed, ok, path_id, refused};
use super::validate::Fields;
use super::{views, IdentityCtx};
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::store::manage::{
    create_permission, delete_permission, find_permission, replace_permission, FieldProblems,
    PermissionDraft,
};
use crate::store::rbac::Permission;

const FIELDS: [&str; 3] = ["name", "description", "category"];
const INVALID: &str = "Invalid permission data";

/// Answers `/permissions…`; the caller already holds `Permissions:Manage`.
pub(crate) fn handle(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
    segments: &[&str],
) -> Result<HttpResponse, IdentityError> {
    match segments {
        ["permissions"] if is_read(req) => list(ctx),
        ["permissions"] if req.method == Method::POST => create(ctx, req),
        ["permissions"] => Err(not_allowed(req, "GET, POST")),
        ["permissions", id] if is_read(req) => show(ctx, &path_id(id)?),
        ["permissions", id] if req.method == Method::PUT => replace(ctx, req, &path_id(id)?),
        ["permissions", id] if req.method == Method::DELETE => delete(ctx, &path_id(id)?),
        _ => Err(not_allowed(req, "GET, PUT, DELETE")),
    }
}

fn list(ctx: &IdentityCtx<'_>) -> Result<HttpResponse, IdentityError> {
    let permissions: Vec<Permission> =
        managed(ctx, |store, index, _| store[index].rbac.permissions.clone());
    ok(&views::list(&permissions, views::permission))
}

fn create(ctx: &IdentityCtx<'_>, req: &HttpRequest) -> Result<HttpResponse, IdentityError> {
    let (draft, problems) = read_draft(req)?;
    let permission = managed(ctx, |store, index, now| {
        create_permission(store, index, draft, problems, now)
    })
    .map_err(|refusal| refused(refusal, INVALID))?;
    created(&views::permission(&permission))
}

fn show(ctx: &IdentityCtx<'_>, id: &str) -> Result<HttpResponse, IdentityError> {
    let permission = managed(ctx, |store, index, _| {
        find_permission(&store[index], id).cloned()
    })
    .map_err(|refusal| refused(refusal, INVALID))?;
    ok(&views::permission(&permission))
}

fn replace(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
    id: &str,
) -> Result<HttpResponse, IdentityError> {
    let (draft, problems) = read_draft(req)?;
    let permission = managed(ctx, |store, index, _| {
        replace_permission(store, index, id, draft, problems)
    })
    .map_err(|refusal| refused(refusal, INVALID))?;
    ok(&views::permission(&permission))
}

fn delete(ctx: &IdentityCtx<'_>, id: &str) -> Result<HttpResponse, IdentityError> {
    managed(ctx, |store, index, _| delete_permission(store, index, id))
        .map_err(|refusal| refused(refusal, INVALID))?;
    no_content()
}

/// The permission the body describes, and what is wrong with it.
fn read_draft(req: &HttpRequest) -> Result<(PermissionDraft, FieldProblems), IdentityError> {
    let mut fields = Fields::read(req, &FIELDS)?;
    let draft = PermissionDraft {
        name: fields.name("name"),
        description: fields.optional_description("description"),
        category: fields.optional_description("category"),
    };
    Ok((draft, fields.into_problems()))
}
