//! [`ServiceError`]: the service face's error answer, `{error, message}` with its status.

use hyper::header::{HeaderValue, ALLOW};
use serde_json::json;

use crate::http::answer::{json, HttpResponse};
use crate::store::{LoginRefusal, RefreshRefusal};

/// A refused call of the service face. `message` says how to fix the test.
#[derive(Debug)]
pub(crate) struct ServiceError {
    status: u16,
    code: &'static str,
    message: String,
}

impl ServiceError {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400: a body that is not what the endpoint takes.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "bad_request", message)
    }

    /// 401: no `x-application-secret`, or one no application has.
    pub(crate) fn invalid_application(message: impl Into<String>) -> Self {
        Self::new(401, "invalid_application_secret", message)
    }

    /// 401: an unknown identifier or a wrong password (the answer does not say which), or
    /// a name locked after too many of them.
    pub(crate) fn invalid_credentials(refusal: LoginRefusal) -> Self {
        let message = match refusal {
            LoginRefusal::Locked { .. } | LoginRefusal::NowLocked => refusal.describe(),
            LoginRefusal::Wrong { .. } => "invalid identifier or password; register the account first (POST /auth/register) or check the password".to_owned(),
        };
        Self::new(401, "invalid_credentials", message)
    }

    /// 401: a refresh token that is not (or no longer) good.
    pub(crate) fn invalid_refresh_token(refusal: RefreshRefusal) -> Self {
        let message = match refusal {
            RefreshRefusal::Unknown | RefreshRefusal::IssuedTo(_) => {
                "the refresh token is unknown to this application; send one that /auth/login or /auth/refresh gave it"
            }
            RefreshRefusal::Replayed => {
                "the refresh token was already exchanged by /auth/refresh: a replay, so the tokens rotated from it are revoked too; log in again"
            }
            RefreshRefusal::Revoked => {
                "the refresh token was revoked by /auth/revoke (or its session ended when an older token of it was replayed); log in again"
            }
            RefreshRefusal::Expired => {
                "the refresh token expired (service refresh tokens live 7 days unless MockAuthBuilder::service_refresh_token_ttl says otherwise); log in again"
            }
            RefreshRefusal::UserGone => {
                "the account of this refresh token no longer exists; register it again"
            }
        };
        Self::new(401, "invalid_refresh_token", message)
    }

    /// 409: the identifier is registered already.
    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(409, "conflict", message)
    }

    /// 502: the application's claims could not be had; no tokens were issued.
    pub(crate) fn claims_failed(message: impl Into<String>) -> Self {
        Self::new(502, "claims_unavailable", message)
    }

    /// 415: a body that is not JSON.
    pub(crate) fn unsupported_media_type(found: &str) -> Self {
        Self::new(
            415,
            "unsupported_media_type",
            format!("unsupported Content-Type {found:?}; the service face takes application/json"),
        )
    }

    /// 404: no service endpoint at this path.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "not_found", message)
    }

    /// 413: a body over the server's limit.
    pub(crate) fn payload_too_large(limit: usize) -> Self {
        Self::new(
            413,
            "payload_too_large",
            format!(
                "the request body exceeds the limit of {limit} bytes (MockAuthBuilder::body_limit)"
            ),
        )
    }

    /// 405: every service endpoint is POST.
    pub(crate) fn method_not_allowed(method: &str, path: &str) -> Self {
        Self::new(
            405,
            "method_not_allowed",
            format!("{method} is not allowed on {path}; use POST"),
        )
    }

    /// The HTTP answer.
    pub(crate) fn answer(&self) -> HttpResponse {
        let mut response = json(
            self.status,
            &json!({ "error": self.code, "message": self.message }),
        );
        if self.status == 405 {
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("POST"));
        }
        response
    }
}
