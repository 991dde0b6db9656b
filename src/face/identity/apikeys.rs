//! `/apikeys…` of the identity face (guarded by `ApiKeys:Manage`):
//!
//! | call | answer |
//! |---|---|
//! | `GET /apikeys` | 200 every key's record, oldest first (never the key) |
//! | `POST /apikeys {name, description?, expiresAt?, permissions?}` | 201 the record with `key` (`mka_…`), shown this once |
//! | `GET /apikeys/{id}` | 200 the record |
//! | `PUT /apikeys/{id}` | 200 the record, replaced whole; the key stays the same |
//! | `DELETE /apikeys/{id}` | 204; the key stops working at once |
//!
//! A key is sent as `X-API-Key: mka_…`; it works until `expiresAt` on the server's clock.

use hyper::Method;

use super::error::IdentityError;
use super::guard::may_grant;
use super::managed::{created, is_read, managed, no_content, not_allowed, ok, path_id, refused};
use super::validate::Fields;
use super::{views, IdentityCtx};
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::store::manage::{
    create_api_key, delete_api_key, find_api_key, replace_api_key, ApiKeyDraft, FieldProblems,
};
use crate::store::rbac::ApiKey;

const FIELDS: [&str; 4] = ["name", "description", "expiresAt", "permissions"];
const INVALID: &str = "Invalid API key data";

/// Answers `/apikeys…`; the caller already holds `ApiKeys:Manage`.
pub(crate) fn handle(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
    segments: &[&str],
) -> Result<HttpResponse, IdentityError> {
    match segments {
        ["apikeys"] if is_read(req) => list(ctx),
        ["apikeys"] if req.method == Method::POST => create(ctx, req),
        ["apikeys"] => Err(not_allowed(req, "GET, POST")),
        ["apikeys", id] if is_read(req) => show(ctx, &path_id(id)?),
        ["apikeys", id] if req.method == Method::PUT => replace(ctx, req, &path_id(id)?),
        ["apikeys", id] if req.method == Method::DELETE => delete(ctx, &path_id(id)?),
        _ => Err(not_allowed(req, "GET, PUT, DELETE")),
    }
}

fn list(ctx: &IdentityCtx<'_>) -> Result<HttpResponse, IdentityError> {
    let keys: Vec<ApiKey> = managed(ctx, |store, index, _| store[index].rbac.api_keys.clone());
    ok(&views::list(&keys, |key| views::api_key(key, None)))
}

fn create(ctx: &IdentityCtx<'_>, req: &HttpRequest) -> Result<HttpResponse, IdentityError> {
    let (draft, problems) = read_draft(req)?;
    may_grant(ctx.caller.as_ref(), &draft.permissions)?;
    let (api_key, key) = managed(ctx, |store, index, now| {
        create_api_key(store, index, draft, problems, now)
    })
    .map_err(|refusal| refused(refusal, INVALID))?;
    created(&views::api_key(&api_key, Some(&key)))
}

fn show(ctx: &IdentityCtx<'_>, id: &str) -> Result<HttpResponse, IdentityError> {
    let api_key = managed(ctx, |store, index, _| {
        find_api_key(&store[index], id).cloned()
    })
    .map_err(|refusal| refused(refusal, INVALID))?;
    ok(&views::api_key(&api_key, None))
}

fn replace(
    ctx: &IdentityCtx<'_>,
    req: &HttpRequest,
    id: &str,
) -> Result<HttpResponse, IdentityError> {
    let (draft, problems) = read_draft(req)?;
    may_grant(ctx.caller.as_ref(), &draft.permissions)?;
    let api_key = managed(ctx, |store, index, now| {
        replace_api_key(store, index, id, draft, problems, now)
    })
    .map_err(|refusal| refused(refusal, INVALID))?;
    ok(&views::api_key(&api_key, None))
}

fn delete(ctx: &IdentityCtx<'_>, id: &str) -> Result<HttpResponse, IdentityError> {
    managed(ctx, |store, index, _| delete_api_key(store, index, id))
        .map_err(|refusal| refused(refusal, INVALID))?;
    no_content()
}

/// The key the body describes, and what is wrong with it.
fn read_draft(req: &HttpRequest) -> Result<(ApiKeyDraft, FieldProblems), IdentityError> {
    let mut fields = Fields::read(req, &FIELDS)?;
    let draft = ApiKeyDraft {
        name: fields.required_text("name"),
        description: fields.optional_description("description"),
        expires_at: fields.timestamp("expiresAt"),
        permissions: fields.names("permissions"),
    };
    Ok((draft, fields.into_problems()))
}
