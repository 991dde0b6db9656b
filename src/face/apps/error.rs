//! [`AppsError`]: the apps face's error answer, `{"error": <sentence>, "code":
//! <UPPER_SNAKE>, "details"?: {…}}` with its status.

use hyper::header::{HeaderValue, ALLOW, WWW_AUTHENTICATE};
use serde_json::{json, Map, Value};

use crate::http::answer::{json, HttpResponse};

/// The one sentence of every failed login: it never says which part was wrong.
pub(super) const INVALID_CREDENTIALS: &str = "Invalid email or password";

/// A refused call of the apps face.
#[derive(Debug)]
pub(crate) struct AppsError {
    status: u16,
    code: &'static str,
    sentence: String,
    details: Option<Value>,
    /// The `Allow` header of a 405.
    allow: Option<&'static str>,
}

impl AppsError {
    fn new(status: u16, code: &'static str, sentence: impl Into<String>) -> Self {
        Self {
            status,
            code,
            sentence: sentence.into(),
            details: None,
            allow: None,
        }
    }

    /// 400 `VALIDATION_ERROR`: `details.{field}` lists what is wrong with each field.
    pub(crate) fn validation(fields: Map<String, Value>) -> Self {
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        let mut err = Self::new(
            400,
            "VALIDATION_ERROR",
            format!("Invalid request: check {}", names.join(", ")),
        );
        err.details = Some(Value::Object(fields));
        err
    }

    /// 400 `VALIDATION_ERROR` about one field.
    pub(crate) fn field(field: &str, problem: impl Into<String>) -> Self {
        let mut fields = Map::new();
        fields.insert(field.to_owned(), json!([problem.into()]));
        Self::validation(fields)
    }

    /// 400 `WEAK_PASSWORD`: `details.failed` names the policy's rules the password fails.
    pub(crate) fn weak_password(failed: &[&str]) -> Self {
        let mut err = Self::new(
            400,
            "WEAK_PASSWORD",
            "Password does not meet the password policy: 8 to 128 characters with an upper-case letter, a lower-case letter, a digit and a special character",
        );
        err.details = Some(json!({ "failed": failed }));
        err
    }

    /// 409 `EMAIL_EXISTS`.
    pub(crate) fn email_exists() -> Self {
        Self::new(
            409,
            "EMAIL_EXISTS",
            "An account with this email already exists",
        )
    }

    /// 401 `INVALID_CREDENTIALS`, the same for every failed login.
    pub(crate) fn invalid_credentials() -> Self {
        Self::new(401, "INVALID_CREDENTIALS", INVALID_CREDENTIALS)
    }

    /// 401 `UNAUTHORIZED` with `WWW-Authenticate: Bearer`.
    pub(crate) fn unauthorized(sentence: impl Into<String>) -> Self {
        Self::new(401, "UNAUTHORIZED", sentence)
    }

    /// 401 `INVALID_REFRESH_TOKEN`.
    pub(crate) fn invalid_refresh_token(sentence: impl Into<String>) -> Self {
        Self::new(401, "INVALID_REFRESH_TOKEN", sentence)
    }

    /// 404 `APP_NOT_FOUND`: auto-creation is off and no app has this id.
    pub(crate) fn app_not_found(app_id: &str) -> Self {
        Self::new(
            404,
            "APP_NOT_FOUND",
            format!("App {app_id:?} not found; this server does not create apps on first use"),
        )
    }

    /// 403 `APP_LIMIT_REACHED`: the server holds as many apps as it creates on first use.
    pub(crate) fn app_limit(limit: usize) -> Self {
        Self::new(
            403,
            "APP_LIMIT_REACHED",
            format!("This server already holds {limit} apps, the most it creates on first use; reuse an app id"),
        )
    }

    /// 404 `NOT_FOUND`: no endpoint of the face at this path.
    pub(crate) fn not_found(path: &str) -> Self {
        Self::new(
            404,
            "NOT_FOUND",
            format!("No endpoint at {path}; an app serves signup, login, refresh, logout, me and .well-known/jwks.json"),
        )
    }

    /// 405 `METHOD_NOT_ALLOWED` with `Allow`.
    pub(crate) fn method_not_allowed(method: &str, allow: &'static str) -> Self {
        let mut err = Self::new(
            405,
            "METHOD_NOT_ALLOWED",
            format!("{method} is not allowed here; use {allow}"),
        );
        err.allow = Some(allow);
        err
    }

    /// 413 `PAYLOAD_TOO_LARGE`: a body over the server's limit.
    pub(crate) fn payload_too_large(limit: usize) -> Self {
        Self::new(
            413,
            "PAYLOAD_TOO_LARGE",
            format!("The request body exceeds the limit of {limit} bytes"),
        )
    }

    /// 500 `INTERNAL_ERROR`: the app could not be made.
    pub(crate) fn internal(sentence: impl Into<String>) -> Self {
        Self::new(500, "INTERNAL_ERROR", sentence)
    }

    /// The HTTP answer.
    pub(crate) fn answer(&self) -> HttpResponse {
        let mut body = json!({ "error": self.sentence, "code": self.code });
        if let Some(details) = &self.details {
            body["details"] = details.clone();
        }
        let mut response = json(self.status, &body);
        let headers = response.headers_mut();
        if self.code == "UNAUTHORIZED" {
            headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(allow) = self.allow {
            headers.insert(ALLOW, HeaderValue::from_static(allow));
        }
        response
    }
}
