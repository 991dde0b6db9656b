//! A fully read HTTP request: what every handler gets, so that handlers stay synchronous
//! and can be driven without a socket.

use std::net::IpAddr;

use bytes::Bytes;
use hyper::header::{HeaderMap, AUTHORIZATION};
use hyper::Method;

use crate::error::OAuthError;

/// One request, body included (already bounded by the server's body limit).
#[derive(Debug, Clone)]
pub(crate) struct HttpRequest {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// The address of the connection's other end (per-IP rate limits of the identity
    /// face); `None` when the request did not come over a socket.
    pub(crate) peer: Option<IpAddr>,
}

/// What a request's `Content-Type` says its body is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MediaType {
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `application/json` or any `+json` type.
    Json,
    /// No `Content-Type` header (or one that is not text).
    Missing,
    /// Anything else, lowercased, without parameters.
    Other(String),
}

impl HttpRequest {
    /// The body's media type, parameters (`; charset=…`) ignored, case-insensitively.
    pub(crate) fn media_type(&self) -> MediaType {
        let Some(value) = self.header("content-type") else {
            return MediaType::Missing;
        };
        let essence = value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/x-www-form-urlencoded" => MediaType::Form,
            "application/json" => MediaType::Json,
            json if json.ends_with("+json") => MediaType::Json,
            _ => MediaType::Other(essence),
        }
    }

    /// A header as text; `None` if absent or not visible ASCII.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The token of an `Authorization: Bearer …` header
    /// ([RFC 6750 §2.1](https://www.rfc-editor.org/rfc/rfc6750#section-2.1)).
    pub(crate) fn bearer_token(&self) -> Option<&str> {
        let value = self.header(AUTHORIZATION.as_str())?;
        let (scheme, token) = value.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim())
            .filter(|t| !t.is_empty())
    }

    /// The credentials of an `Authorization: Basic …` header
    /// ([RFC 7617](https://www.rfc-editor.org/rfc/rfc7617)), raw (not form-decoded).
    /// `Ok(None)` when there is no Basic header; an error when there is one but it is broken.
    pub(crate) fn basic_credentials(&self) -> Result<Option<(String, String)>, OAuthError> {
        use base64::engine::general_purpose::STANDARD;
        use base64::Engine as _;
        let Some(value) = self.header(AUTHORIZATION.as_str()) else {
            return Ok(None);
        };
        // A bare `Basic` (hyper trims `Basic `) is a Basic header without credentials: broken.
        let (scheme, encoded) = value.split_once(' ').unwrap_or((value, ""));
        if !scheme.eq_ignore_ascii_case("basic") {
            return Ok(None);
        }
        let broken = || {
            OAuthError::invalid_client(
                "the Authorization: Basic header is not base64 of \"id:secret\" (RFC 7617)",
            )
        };
        let decoded = STANDARD.decode(encoded.trim()).map_err(|_| broken())?;
        let text = String::from_utf8(decoded).map_err(|_| broken())?;
        let (user, password) = text.split_once(':').ok_or_else(broken)?;
        Ok(Some((user.to_owned(), password.to_owned())))
    }
}
