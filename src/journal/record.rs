//! [`RecordedRequest`]: what the journal keeps of one request, and how it is made.

use std::fmt;
use std::time::SystemTime;

use super::annotation::Annotation;
use super::bounds::{cut, cut_in_place};
use super::redact::collect;
use crate::endpoint::Endpoint;
use crate::http::answer::HttpResponse;
use crate::http::request::HttpRequest;
use crate::types::GrantType;

/// One request as the server saw it, with every secret replaced by `[redacted]`.
///
/// Headers are not recorded at all, so neither an `Authorization` header (Basic or Bearer)
/// nor an API key ever reaches the journal. Parameters whose names say they are secret
/// (`client_secret`, `password`, `code`, `code_verifier`, `assertion`, `refresh_token`,
/// `token`, `access_token`, `id_token_hint`, `mfa_token`, `otp`, and any name ending in
/// `secret`, `password`, `token`, `code`, `verifier`, `assertion` or `api_key`, and any
/// name containing `password`, `passwd` or `secret`) keep their name and lose their value.
///
/// What is kept is bounded: every value (method, path, parameter values, client, grant,
/// user) keeps at most 256 bytes, a longer one ends in `…[cut from N bytes]`; at most 32
/// parameters are kept (the first ones); a parameter name longer than 64 bytes, or with
/// control characters, `"`, `{`, `}` or `\`, is dropped with its value. A request that
/// reached no endpoint keeps its method, path and status only.
///
/// Its `Display` is one line: `POST /token (client "web", grant password) → 200 [injected]`.
///
/// It serializes (for the admin API's `GET /api/auth-sandbox/requests`) as a JSON object
/// with these field names, `endpoint` as its short name (`"token"`), `at` in ISO 8601 UTC
/// and `params` as an object.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: String,
    /// The path, without the query (cut at 256 bytes).
    pub path: String,
    /// The endpoint it reached; `None` for a 404, a 405 or a body over the size limit.
    #[serde(serialize_with = "super::wire::endpoint_name")]
    pub endpoint: Option<Endpoint>,
    /// The client it concerned: the one its tokens were issued to when the server issued
    /// some (a jwt-bearer assertion's issuer, say), else the one it named (Basic header,
    /// `client_id` parameter).
    pub client_id: Option<String>,
    /// The `grant_type` parameter, for token requests.
    pub grant_type: Option<String>,
    /// The user it concerned: the one its tokens were issued to when the server issued some
    /// (the subject of an exchanged code or refresh token, say), else the one it named
    /// (`username` or `login_hint` parameter).
    pub username: Option<String>,
    /// The status of the answer; 0 when a fault rule dropped the connection or hung.
    pub status: u16,
    /// Whether a fault rule answered (or delayed) instead of the real handler.
    pub injected: bool,
    /// When it arrived, by the server's clock.
    #[serde(serialize_with = "super::wire::iso_time")]
    pub at: SystemTime,
    /// Query, then body parameters, secrets redacted; form parameters in the order they
    /// came. A JSON value that is not a string is kept as compact JSON. The body is read
    /// as the handlers read it: by its `Content-Type`, or without one as JSON when it
    /// starts (after JSON whitespace) with `{`, else as a form; a body that reads as
    /// neither (malformed JSON, another media type) keeps no parameters; a form keeps none
    /// from the first name that holds `"`, `{` or `}` on (JSON sent as a form). Empty for
    /// a request that reached no endpoint.
    #[serde(serialize_with = "super::wire::param_object")]
    pub params: Vec<(String, String)>,
}

impl RecordedRequest {
    /// The grant of a token request, when it named one this server knows.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use mockauth::{GrantType, MockAuth};
    ///
    /// let auth = MockAuth::start().await;
    /// reqwest::Client::new()
    ///     .post(auth.token_url())
    ///     .form(&[("grant_type", "client_credentials")])
    ///     .send().await.unwrap();
    /// assert_eq!(auth.requests()[0].grant(), Some(GrantType::ClientCredentials));
    /// # }
    /// ```
    pub fn grant(&self) -> Option<GrantType> {
        self.grant_type.as_deref().and_then(GrantType::parse)
    }

    /// The value of a recorded parameter (`[redacted]` for a secret one).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        let mut details = Vec::new();
        if let Some(client) = &self.client_id {
            details.push(format!("client {client:?}"));
        }
        if let Some(grant) = &self.grant_type {
            details.push(format!("grant {grant}"));
        }
        if let Some(user) = &self.username {
            details.push(format!("user {user:?}"));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        match self.status {
            0 => f.write_str(" → no answer")?,
            status => write!(f, " → {status}")?,
        }
        if self.injected {
            f.write_str(" [injected]")?;
        }
        Ok(())
    }
}

/// What the journal keeps of `req`, answered with `response` (`None`: dropped or hung).
///
/// A request that reached no endpoint (an unknown path, a method its path does not take, a
/// body over the size limit) keeps its method, path and status only: no parameter of its
/// query or body is read. Otherwise parameters are [collected](collect): redacted,
/// bounded, every value cut. Client, grant and user stay whole here, for expectations to
/// count; the journal cuts them when it keeps the entry ([`RecordedRequest::cut_fields`]).
pub(crate) fn record(
    req: &HttpRequest,
    endpoint: Option<Endpoint>,
    response: Option<&HttpResponse>,
    injected: bool,
    at: SystemTime,
) -> RecordedRequest {
    let mut recorded = RecordedRequest {
        method: cut(req.method.as_str()),
        path: cut(&req.path),
        endpoint,
        client_id: None,
        grant_type: None,
        username: None,
        status: response.map_or(0, |r| r.status().as_u16()),
        injected,
        at,
        params: Vec::new(),
    };
    if endpoint.is_none() {
        return recorded;
    }
    let collected = collect(req);
    let annotation = response
        .and_then(|r| r.extensions().get::<Annotation>())
        .cloned()
        .unwrap_or_default();
    let basic_id = req
        .basic_credentials()
        .ok()
        .flatten()
        .map(|(id, _)| form_decoded(&id));
    recorded.client_id = annotation.client_id.or(basic_id).or(collected.client_id);
    recorded.grant_type = collected.grant_type;
    recorded.username = annotation
        .username
        .or(collected.username)
        .or(collected.login_hint);
    recorded.params = collected.params;
    recorded
}

impl RecordedRequest {
    /// Cuts client, grant and user as every other recorded value is cut (the journal does
    /// so once expectations have counted the entry whole).
    pub(crate) fn cut_fields(&mut self) {
        [
            &mut self.client_id,
            &mut self.grant_type,
            &mut self.username,
        ]
        .into_iter()
        .flatten()
        .for_each(cut_in_place);
    }
}

/// A Basic header's client id as the server reads it: form-decoded (RFC 6749 §2.3.1).
fn form_decoded(raw: &str) -> String {
    percent_encoding::percent_decode_str(&raw.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

impl RecordedRequest {
    /// The approximate memory one kept entry holds: the entry behind its `Arc` (with the
    /// `Arc`'s counts), its slot in the ring, and the heap its strings and parameters use.
    pub(crate) fn kept_bytes(&self, slot: usize) -> usize {
        let text = |s: &String| s.capacity();
        let optional = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
        slot + std::mem::size_of::<RecordedRequest>()
            + 2 * std::mem::size_of::<usize>() // the Arc's strong and weak counts
            + size_of::<std::sync::Arc<RecordedRequest>>()
            + text(&self.method)
            + text(&self.path)
            + optional(&self.client_id)
            + optional(&self.grant_type)
            + optional(&self.username)
            + self.params.capacity() * std::mem::size_of::<(String, String)>()
            + self
                .params
                .iter()
                .map(|(name, value)| name.capacity() + value.capacity())
                .sum::<usize>()
    }
}
