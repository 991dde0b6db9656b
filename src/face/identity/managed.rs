//! What the four management groups (`/users`, `/roles`, `/permissions`, `/apikeys`) share:
//! one domain step under the store lock, path ids, the success answers, and refusals in the
//! face's error shape.

use bytes::Bytes;
use http_body_util::Full;
use hyper::{Response, StatusCode};
use serde_json::Value;

use super::error::{FieldErrors, IdentityError};
use super::IdentityCtx;
use crate::http::answer::{json, HttpResponse};
use crate::http::request::HttpRequest;
use crate::store::manage::Refusal;
use crate::store::Store;
use crate::store::TenantKey;

/// Runs one management step on the caller's tenant under the store lock: `step` gets the
/// store, the tenant's index and the server time (Unix seconds).
pub(crate) fn managed<R>(
    ctx: &IdentityCtx<'_>,
    step: impl FnOnce(&mut Store, TenantKey, u64) -> R,
) -> R {
    let now = ctx.now();
    let mut store = ctx.shared.lock();
    step(&mut store, ctx.tenant.index, now)
}

/// A refusal as the face answers it; `invalid` is the message for bad data (e.g.
/// `"Invalid user data"`), followed by the bad fields' names.
pub(crate) fn refused(refusal: Refusal, invalid: &str) -> IdentityError {
    match refusal {
        Refusal::Invalid(problems) => {
            let mut errors = FieldErrors::default();
            for (field, messages) in problems.into_map() {
                for message in messages {
                    errors.add(&field, message);
                }
            }
            errors
                .into_result(invalid)
                .err()
                .unwrap_or_else(|| IdentityError::bad_body(invalid))
        }
        Refusal::NotFound(message) => IdentityError::not_found(message),
        Refusal::Conflict(message, fields) => {
            let mut err = IdentityError::conflict(message);
            for (field, messages) in fields.into_map() {
                err = err.detail(&field, messages);
            }
            err
        }
    }
}

/// The id (or name) a path segment carries, percent-decoded (`content%3Awrite`,
/// `Content%20Editor`).
pub(crate) fn path_id(segment: &str) -> Result<String, IdentityError> {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .map(|id| id.into_owned())
        .map_err(|_| {
            IdentityError::not_found(format!(
                "{segment:?} is not a percent-encoded UTF-8 id or name"
            ))
        })
}

/// 200 with `body`.
pub(crate) fn ok(body: &Value) -> Result<HttpResponse, IdentityError> {
    Ok(json(200, body))
}

/// 201 with the created record.
pub(crate) fn created(body: &Value) -> Result<HttpResponse, IdentityError> {
    Ok(json(201, body))
}

/// 204 without a body (a delete).
pub(crate) fn no_content() -> Result<HttpResponse, IdentityError> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::NO_CONTENT;
    Ok(response)
}

/// 405 naming the methods the path takes.
pub(crate) fn not_allowed(req: &HttpRequest, allowed: &'static str) -> IdentityError {
    IdentityError::method_not_allowed(req.method.as_str(), &req.path, allowed)
}

/// Whether the request reads (GET or HEAD).
pub(crate) fn is_read(req: &HttpRequest) -> bool {
    req.method == hyper::Method::GET || req.method == hyper::Method::HEAD
}
