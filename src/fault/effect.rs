//! [`Fault`]: what a fault rule does to a request it fires on.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use hyper::{Response, StatusCode};
use serde_json::json;

use super::Action;
use crate::http::answer::{no_store, HttpResponse};

/// What an injected fault does: answer an error, add latency, hang, drop the connection,
/// or spoil an answer. Give it to [`FaultRule::inject`](crate::FaultRule::inject).
///
/// ```
/// use std::time::Duration;
/// use mockauth::Fault;
///
/// let outage = Fault::oauth_error("temporarily_unavailable", 503).retry_after(Duration::from_secs(5));
/// let slow = Fault::delay(Duration::from_millis(300));
/// let slow_failure = Fault::server_error().delayed(Duration::from_millis(300));
/// assert_eq!(outage.to_string(), "answer 503 temporarily_unavailable, Retry-After: 5");
/// # let _ = (slow, slow_failure);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use = "a fault does nothing until a rule injects it: auth.fault(..).inject(fault).mount()"]
pub struct Fault {
    effect: Effect,
    delay: Duration,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Effect {
    /// The real answer, only later.
    None,
    Error(ErrorAnswer),
    MalformedJson,
    ContentType(HeaderValue),
    Drop,
    Hang,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct ErrorAnswer {
    code: String,
    status: u16,
    description: Option<String>,
    retry_after: Option<u64>,
}

/// The body [`Fault::malformed_json`] sends: a token answer cut off mid-string.
const MALFORMED_JSON: &str = r#"{"access_token":"eyJhbGciOiJSUzI1NiJ9.cut-off"#;

impl Fault {
    fn new(effect: Effect) -> Self {
        Self {
            effect,
            delay: Duration::ZERO,
        }
    }

    /// An RFC 6749 error body `{"error": code, "error_description": …}` with any status;
    /// a 429 also gets `Retry-After: 1` (change it with [`retry_after`](Self::retry_after)).
    /// A 401 carries the `WWW-Authenticate` challenge clients look for.
    ///
    /// # Panics
    /// If `code` is empty or `status` is not between 200 and 599.
    pub fn oauth_error(code: impl Into<String>, status: u16) -> Self {
        let code = code.into();
        assert!(
            !code.is_empty(),
            "Fault::oauth_error needs an error code, e.g. \"temporarily_unavailable\""
        );
        assert!(
            (200..=599).contains(&status),
            "Fault::oauth_error({code:?}, {status}): {status} is not an HTTP status an OAuth \
             server answers; use one between 200 and 599, e.g. 503"
        );
        Self::new(Effect::Error(ErrorAnswer {
            retry_after: (status == 429).then_some(1),
            code,
            status,
            description: None,
        }))
    }

    /// `500 {"error": "server_error"}`.
    pub fn server_error() -> Self {
        Self::oauth_error("server_error", 500)
    }

    /// `503 {"error": "temporarily_unavailable"}` with `Retry-After: 1`: the server is
    /// down. On [`Endpoint::Jwks`](crate::Endpoint::Jwks) this is "JWKS unavailable".
    pub fn unavailable() -> Self {
        Self::oauth_error("temporarily_unavailable", 503).retry_after(Duration::from_secs(1))
    }

    /// `429 {"error": "temporarily_unavailable"}` with `Retry-After: 1`. RFC 6749 has no
    /// code of its own for rate limiting; the status says it.
    pub fn rate_limited() -> Self {
        Self::oauth_error("temporarily_unavailable", 429)
    }

    /// The real answer, `latency` later.
    pub fn delay(latency: Duration) -> Self {
        Self::new(Effect::None).delayed(latency)
    }

    /// No answer at all, until the client gives up (its timeout) or the server stops.
    pub fn hang() -> Self {
        Self::new(Effect::Hang)
    }

    /// Closes the connection without an answer; the client sees a connection error.
    pub fn drop_connection() -> Self {
        Self::new(Effect::Drop)
    }

    /// `200` with `Content-Type: application/json` and a body cut off mid-string, so the
    /// client's JSON parser fails.
    pub fn malformed_json() -> Self {
        Self::new(Effect::MalformedJson)
    }

    /// The real answer, labelled `Content-Type: text/html; charset=utf-8` (what a proxy's
    /// error page or a misrouted request looks like).
    pub fn wrong_content_type() -> Self {
        Self::content_type("text/html; charset=utf-8")
    }

    /// The real answer, labelled with this `Content-Type`.
    ///
    /// # Panics
    /// If `content_type` cannot be a header value.
    pub fn content_type(content_type: &str) -> Self {
        let value = HeaderValue::from_str(content_type).unwrap_or_else(|_| {
            panic!("Fault::content_type({content_type:?}) is not a valid header value")
        });
        Self::new(Effect::ContentType(value))
    }

    /// Waits `latency` before doing the rest (the real answer, an error, …). Adds up when
    /// called twice.
    pub fn delayed(mut self, latency: Duration) -> Self {
        self.delay += latency;
        self
    }

    /// The `error_description` of an [`oauth_error`](Self::oauth_error) answer (by default
    /// one that names the rule).
    ///
    /// # Panics
    /// If the fault is not an error answer.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.error_answer("description").description = Some(description.into());
        self
    }

    /// Adds `Retry-After` (whole seconds, rounded up) to an error answer.
    ///
    /// # Panics
    /// If the fault is not an error answer.
    pub fn retry_after(mut self, after: Duration) -> Self {
        let seconds = after
            .as_secs()
            .saturating_add(u64::from(after.subsec_nanos() > 0));
        self.error_answer("retry_after").retry_after = Some(seconds);
        self
    }

    fn error_answer(&mut self, setter: &str) -> &mut ErrorAnswer {
        match &mut self.effect {
            Effect::Error(answer) => answer,
            _ => panic!(
                "Fault::{setter} applies to error answers only; start from \
                 Fault::oauth_error(code, status) (or server_error, unavailable, rate_limited)"
            ),
        }
    }

    pub(crate) fn delay_of(&self) -> Duration {
        self.delay
    }

    /// What the server does when the rule named `rule` fires; `None` for the real answer.
    pub(crate) fn action(&self, rule: &str) -> Option<Action> {
        match &self.effect {
            Effect::None => None,
            Effect::Error(error) => {
                let description = error.description.clone().unwrap_or_else(|| {
                    format!("{} injected by mockauth fault rule {rule:?}", error.code)
                });
                Some(Action::Answer(oauth_error_response(
                    &error.code,
                    &description,
                    error.status,
                    error.retry_after,
                )))
            }
            Effect::MalformedJson => {
                let mut response =
                    Response::new(Full::new(Bytes::from_static(MALFORMED_JSON.as_bytes())));
                response
                    .headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                Some(Action::Answer(response))
            }
            Effect::ContentType(value) => Some(Action::Retype(value.clone())),
            Effect::Drop => Some(Action::Drop),
            Effect::Hang => Some(Action::Hang),
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.delay.is_zero() {
            write!(f, "wait {:?}, then ", self.delay)?;
        }
        match &self.effect {
            Effect::None => f.write_str("the real answer"),
            Effect::Error(error) => {
                write!(f, "answer {} {}", error.status, error.code)?;
                match error.retry_after {
                    Some(seconds) => write!(f, ", Retry-After: {seconds}"),
                    None => Ok(()),
                }
            }
            Effect::MalformedJson => f.write_str("answer malformed JSON"),
            Effect::ContentType(value) => {
                write!(f, "the real answer as {}", value.to_str().unwrap_or("?"))
            }
            Effect::Drop => f.write_str("drop the connection"),
            Effect::Hang => f.write_str("hang"),
        }
    }
}

/// An RFC 6749 error answer with any code and status, `Retry-After` when given, and the
/// `WWW-Authenticate` challenge of a 401 (Basic for `invalid_client`, Bearer otherwise).
pub(crate) fn oauth_error_response(
    code: &str,
    description: &str,
    status: u16,
    retry_after: Option<u64>,
) -> HttpResponse {
    let mut response = no_store(
        status,
        &json!({ "error": code, "error_description": description }),
    );
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    if response.status() == StatusCode::UNAUTHORIZED {
        let challenge = if code == "invalid_client" {
            r#"Basic realm="mockauth""#.to_owned()
        } else {
            let quoted = |s: &str| s.replace(['"', '\\'], "'");
            format!(
                r#"Bearer realm="mockauth", error="{}", error_description="{}""#,
                quoted(code),
                quoted(description)
            )
        };
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            response.headers_mut().insert(WWW_AUTHENTICATE, value);
        }
    }
    response
}
