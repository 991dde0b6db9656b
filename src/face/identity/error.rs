//! The identity face's error answer: `{error, message, details, traceId}`
//! (docs/identity.md#error-shape).
//!
//! Handlers return `Result<HttpResponse, IdentityError>`; `mod.rs` turns the error into its
//! answer with the request's trace id, so every error of the face has one shape.
//!
//! ```text
//! // One bad field or many: collect them all, then answer once.
//! let mut problems = FieldErrors::default();
//! problems.add("email", "Invalid email format");
//! problems.add("password", "Password must be at least 8 characters");
//! problems.into_result("Invalid user data")?;          // 400 ValidationError, both fields
//!
//! return Err(IdentityError::not_found(format!("no user with id {id:?}")));
//! ```

use std::collections::BTreeMap;

use hyper::header::{HeaderValue, ALLOW, RETRY_AFTER};
use serde_json::{json, Map, Value};

use crate::http::answer::{json, HttpResponse};

/// The face's error types (the HTTP-level ones a REST client meets included), each with
/// its status code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorType {
    /// 400: bad request data; `details` maps each bad field to its messages.
    ValidationError,
    /// 401: no credentials, or credentials that are not good (expired, revoked, unknown).
    Unauthorized,
    /// 401: a wrong username or password; `details: {remainingAttempts, lockoutMinutes}`.
    InvalidCredentials,
    /// 403: good credentials without the permission the endpoint needs.
    Forbidden,
    /// 404: no such resource, path, or a disabled group.
    NotFound,
    /// 405: a known path with another method.
    MethodNotAllowed,
    /// 409: a name that is taken.
    Conflict,
    /// 413: a body over the server's limit.
    PayloadTooLarge,
    /// 415: a body that is not JSON.
    UnsupportedMediaType,
    /// 429: over the per-IP rate limit; answered with `Retry-After`.
    RateLimitExceeded,
    /// 500: a mockauth bug.
    InternalError,
}

impl ErrorType {
    /// The wire name, as the `error` field carries it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ErrorType::ValidationError => "ValidationError",
            ErrorType::Unauthorized => "Unauthorized",
            ErrorType::InvalidCredentials => "InvalidCredentials",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::NotFound => "NotFound",
            ErrorType::MethodNotAllowed => "MethodNotAllowed",
            ErrorType::Conflict => "Conflict",
            ErrorType::PayloadTooLarge => "PayloadTooLarge",
            ErrorType::UnsupportedMediaType => "UnsupportedMediaType",
            ErrorType::RateLimitExceeded => "RateLimitExceeded",
            ErrorType::InternalError => "InternalError",
        }
    }

    /// The HTTP status.
    pub(crate) fn status(self) -> u16 {
        match self {
            ErrorType::ValidationError => 400,
            ErrorType::Unauthorized | ErrorType::InvalidCredentials => 401,
            ErrorType::Forbidden => 403,
            ErrorType::NotFound => 404,
            ErrorType::MethodNotAllowed => 405,
            ErrorType::Conflict => 409,
            ErrorType::PayloadTooLarge => 413,
            ErrorType::UnsupportedMediaType => 415,
            ErrorType::RateLimitExceeded => 429,
            ErrorType::InternalError => 500,
        }
    }
}

/// A refused identity request. Build it with the constructors; `mod.rs` answers it.
#[derive(Clone, Debug)]
pub(crate) struct IdentityError {
    pub(crate) kind: ErrorType,
    pub(crate) message: String,
    pub(crate) details: Map<String, Value>,
    /// Seconds for `Retry-After` (429).
    retry_after: Option<u64>,
    /// Methods for `Allow` (405).
    allow: Option<&'static str>,
}

impl IdentityError {
    /// An error of `kind` with `message` and empty `details`.
    pub(crate) fn new(kind: ErrorType, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            details: Map::new(),
            retry_after: None,
            allow: None,
        }
    }

    /// Adds one entry to `details`.
    #[must_use]
    pub(crate) fn detail(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.details.insert(key.to_owned(), value.into());
        self
    }

    /// 400 ValidationError about the request as a whole (malformed JSON, not an object):
    /// `details: {body: [message]}`.
    pub(crate) fn bad_body(message: impl Into<String>) -> Self {
        let message = message.into();
        Self::new(ErrorType::ValidationError, message.clone()).detail("body", json!([message]))
    }

    /// 401 Unauthorized.
    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(ErrorType::Unauthorized, message)
    }

    /// 403 Forbidden.
    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorType::Forbidden, message)
    }

    /// 404 NotFound.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorType::NotFound, message)
    }

    /// 409 Conflict.
    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorType::Conflict, message)
    }

    /// 401 InvalidCredentials with `{remainingAttempts, lockoutMinutes}`.
    pub(crate) fn invalid_credentials(
        message: impl Into<String>,
        remaining_attempts: u32,
        lockout_minutes: u64,
    ) -> Self {
        Self::new(ErrorType::InvalidCredentials, message)
            .detail("remainingAttempts", remaining_attempts)
            .detail("lockoutMinutes", lockout_minutes)
    }

    /// 429 RateLimitExceeded with `Retry-After: seconds`.
    pub(crate) fn rate_limited(message: impl Into<String>, retry_after_seconds: u64) -> Self {
        let mut err = Self::new(ErrorType::RateLimitExceeded, message)
            .detail("retryAfterSeconds", retry_after_seconds);
        err.retry_after = Some(retry_after_seconds);
        err
    }

    /// 405 MethodNotAllowed with `Allow: allowed` (e.g. `"GET, POST"`).
    pub(crate) fn method_not_allowed(method: &str, path: &str, allowed: &'static str) -> Self {
        let mut err = Self::new(
            ErrorType::MethodNotAllowed,
            format!("{method} is not allowed on {path}; use {allowed}"),
        )
        .detail("allowed", allowed);
        err.allow = Some(allowed);
        err
    }

    /// The answer, with the request's trace id.
    pub(crate) fn answer(&self, trace_id: &str) -> HttpResponse {
        let mut response = json(
            self.kind.status(),
            &json!({
                "error": self.kind.as_str(),
                "message": self.message,
                "details": self.details,
                "traceId": trace_id,
            }),
        );
        let headers = response.headers_mut();
        if let Some(seconds) = self.retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let Some(allowed) = self.allow {
            headers.insert(ALLOW, HeaderValue::from_static(allowed));
        }
        response
    }
}

/// Every bad field of a request, so that one answer lists them all
/// (`details: {field: [messages]}`).
#[derive(Clone, Debug, Default)]
pub(crate) struct FieldErrors(BTreeMap<String, Vec<String>>);

impl FieldErrors {
    /// Notes a problem with `field`.
    pub(crate) fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// `Ok(())` when no field is bad, else 400 ValidationError with `message` (e.g.
    /// `"Invalid user data"`) followed by the bad fields' names.
    pub(crate) fn into_result(self, message: &str) -> Result<(), IdentityError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = self.0.keys().map(String::as_str).collect();
        let mut err = IdentityError::new(
            ErrorType::ValidationError,
            format!("{message}: {}", names.join(", ")),
        );
        for (field, messages) in self.0 {
            err.details.insert(field, json!(messages));
        }
        Err(err)
    }
}

/// A fresh trace id: 32 hex digits, as a W3C `traceparent` trace-id.
pub(crate) fn trace_id() -> String {
    use rand::Rng as _;
    format!("{:032x}", rand::thread_rng().gen::<u128>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_is_listed_at_once() {
        let mut problems = FieldErrors::default();
        problems.add("password", "Password must be at least 8 characters");
        problems.add("email", "Invalid email format");
        let err = problems.into_result("Invalid user data").unwrap_err();
        assert_eq!(err.kind.status(), 400);
        assert_eq!(err.message, "Invalid user data: email, password");
        assert_eq!(err.details["email"], json!(["Invalid email format"]));
        assert_eq!(err.details.len(), 2);
    }

    #[test]
    fn no_bad_field_is_no_error() {
        assert!(FieldErrors::default().into_result("x").is_ok());
    }
}
