//! The admin face (docs/admin.md): setup calls at the server origin below
//! `/api/auth-sandbox`, behind `Authorization: Bearer <admin_token>`. Routed before any
//! tenant's issuer (see `server::router::own`); the tenant comes from `configId` /
//! `projectId` in the body (left out = the default tenant). Bodies are JSON with the
//! camelCase field names docs/admin.md lists; a refused call changes nothing.
//!
//! These calls are the test harness talking to the server, not the code under test, so
//! they are not recorded in the journal.
//!
//! `openapi.rs` serves the server's OpenAPI document at `/openapi.json`, also at the origin,
//! without credentials: it describes this API and every face's.

pub(crate) mod applications;
pub(crate) mod clients;
pub(crate) mod clock;
pub(crate) mod config;
pub(crate) mod openapi;
pub(crate) mod requests;
pub(crate) mod users;

use hyper::header::{HeaderValue, WWW_AUTHENTICATE};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::config::{from_json, Refusal};
use crate::http::answer::{json, HttpResponse};
use crate::http::body::Params;
use crate::http::request::{HttpRequest, MediaType};
use crate::shared::Shared;

/// A handler of the admin face.
pub(crate) type AdminHandler = fn(&Shared, &HttpRequest) -> Result<HttpResponse, AdminError>;

/// A refused admin call: `{"error": code, "error_description": …}` with its status.
#[derive(Debug)]
pub(crate) struct AdminError {
    status: u16,
    code: &'static str,
    description: String,
}

impl AdminError {
    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self {
            status: 400,
            code: "invalid_request",
            description: description.into(),
        }
    }

    pub(crate) fn not_found(description: impl Into<String>) -> Self {
        Self {
            status: 404,
            code: "not_found",
            description: description.into(),
        }
    }

    pub(crate) fn answer(&self) -> HttpResponse {
        json(
            self.status,
            &json!({ "error": self.code, "error_description": self.description }),
        )
    }
}

impl From<Refusal> for AdminError {
    fn from(refusal: Refusal) -> Self {
        let (status, code) = match refusal {
            Refusal::Invalid(_) => (400, "invalid_request"),
            Refusal::UnknownTenant(_) => (404, "not_found"),
            Refusal::Conflict(_) => (409, "conflict"),
        };
        Self {
            status,
            code,
            description: refusal.message().to_owned(),
        }
    }
}

/// 401 for a call without the admin token.
pub(crate) fn unauthorized(req: &HttpRequest) -> HttpResponse {
    let told = if req.bearer_token().is_some() {
        "the bearer token is not this server's admin token"
    } else {
        "the admin API needs Authorization: Bearer <admin_token>"
    };
    let mut response = json(
        401,
        &json!({
            "error": "unauthorized",
            "error_description": format!("{told}; the token is admin_token in mockauth's ready line (auth.admin_token() in Rust)"),
        }),
    );
    response.headers_mut().insert(
        WWW_AUTHENTICATE,
        HeaderValue::from_static(r#"Bearer realm="mockauth-admin""#),
    );
    response
}

/// Runs an admin handler; a panic (a bug) answers 500 and the server keeps serving.
pub(crate) fn run(shared: &Shared, req: &HttpRequest, handler: AdminHandler) -> HttpResponse {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(shared, req)));
    match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(err)) => err.answer(),
        Err(_) => json(
            500,
            &json!({
                "error": "server_error",
                "error_description": format!("mockauth bug: the admin handler for {} {} panicked; please report it", req.method, req.path),
            }),
        ),
    }
}

/// The query parameters of an admin `GET`, each named in `known`, given once and with a
/// value; otherwise a 400 naming the parameter, so that a typo or an unset shell variable
/// (`?endpoint=$EP`) does not pass silently as "no filter".
pub(crate) fn query(req: &HttpRequest, known: &[&str]) -> Result<Params, AdminError> {
    for (name, value) in form_urlencoded::parse(req.query.as_bytes()) {
        if !known.contains(&name.as_ref()) {
            return Err(AdminError::invalid_request(format!(
                "unknown query parameter {name:?}; {} takes {}",
                req.path,
                known.join(", ")
            )));
        }
        if value.is_empty() {
            return Err(AdminError::invalid_request(format!(
                "query parameter {name:?} is empty; give it a value or leave it out"
            )));
        }
    }
    Params::from_form(req.query.as_bytes()).map_err(|e| AdminError::invalid_request(e.description))
}

/// The JSON body as `T` (an empty body, of no bytes at all, is `{}`), or a 400 naming the
/// field at fault. A body of whitespace alone is no JSON, and is refused as malformed.
pub(crate) fn json_body<T: DeserializeOwned>(req: &HttpRequest) -> Result<T, AdminError> {
    let other = match req.media_type() {
        MediaType::Json | MediaType::Missing => None,
        MediaType::Form => Some("application/x-www-form-urlencoded".to_owned()),
        MediaType::Other(other) => Some(other),
    };
    if let Some(other) = other {
        return Err(AdminError {
            status: 415,
            code: "invalid_request",
            description: format!(
                "unsupported Content-Type {other:?}; the admin API takes application/json"
            ),
        });
    }
    let text = std::str::from_utf8(&req.body)
        .map_err(|_| AdminError::invalid_request("the body is not UTF-8 JSON"))?;
    let text = if text.is_empty() { "{}" } else { text };
    from_json(text).map_err(|err| {
        let description = match (err.field(), err.line()) {
            (Some(_), _) => err.describe(),
            (None, Some(line)) if err.message().starts_with("malformed JSON") => {
                format!("{} (line {line})", err.message())
            }
            (None, _) => format!("the body {}", err.message()),
        };
        AdminError::invalid_request(description)
    })
}
