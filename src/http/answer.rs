//! HTTP answers: JSON bodies, RFC 6749 error bodies, redirects.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE, LOCATION, PRAGMA, WWW_AUTHENTICATE};
use hyper::{Response, StatusCode};
use serde_json::{json, Value};

use crate::error::{ErrorCode, OAuthError};

/// What every handler returns.
pub(crate) type HttpResponse = Response<Full<Bytes>>;

/// A JSON answer.
pub(crate) fn json(status: u16, body: &Value) -> HttpResponse {
    json_bytes(status, body.to_string().into_bytes())
}

/// A JSON answer already serialized (a large one, written straight from typed values).
pub(crate) fn json_bytes(status: u16, body: Vec<u8>) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// A JSON answer that caches must not keep (token responses, RFC 6749 §5.1).
pub(crate) fn no_store(status: u16, body: &Value) -> HttpResponse {
    let mut response = json(status, body);
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
        .headers_mut()
        .insert(PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// An RFC 6749 error body with the status and `WWW-Authenticate` challenge it calls for.
pub(crate) fn oauth_error(err: &OAuthError) -> HttpResponse {
    let mut response = no_store(
        err.status,
        &json!({ "error": err.code.as_str(), "error_description": err.description }),
    );
    let challenge = match err.code {
        ErrorCode::InvalidClient if err.status == 401 => {
            Some(r#"Basic realm="mockauth""#.to_owned())
        }
        ErrorCode::InvalidToken | ErrorCode::InsufficientScope => Some(format!(
            r#"Bearer realm="mockauth", error="{}", error_description="{}""#,
            err.code.as_str(),
            err.description.replace(['"', '\\'], "'")
        )),
        _ => None,
    };
    if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(WWW_AUTHENTICATE, value);
    }
    response
}

/// A `302 Found` to `location` (RFC 6749 §4.1.2 uses 302).
pub(crate) fn redirect(location: &str) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::FOUND;
    match HeaderValue::from_str(location) {
        Ok(value) => {
            response.headers_mut().insert(LOCATION, value);
            response
        }
        Err(_) => oauth_error(&OAuthError::invalid_request(
            "redirect URI contains characters not allowed in a header",
        )),
    }
}

/// `location` with `params` appended to its query (RFC 6749 §4.1.2).
pub(crate) fn with_query(location: &str, params: &[(&str, &str)]) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        serializer.append_pair(k, v);
    }
    let query = serializer.finish();
    // A redirect URI must not carry a fragment (RFC 6749 §3.1.2); drop one if it does.
    let base = location.split('#').next().unwrap_or(location);
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{query}")
}

/// 404 for a path no face serves.
pub(crate) fn not_found(path: &str) -> HttpResponse {
    json(
        404,
        &json!({
            "error": "not_found",
            "error_description": format!("no endpoint at {path}; the endpoints are listed at /.well-known/openid-configuration"),
        }),
    )
}

/// 405 for a known path with the wrong method.
pub(crate) fn method_not_allowed(method: &str, path: &str, allowed: &'static str) -> HttpResponse {
    let mut response = oauth_error(
        &OAuthError::invalid_request(format!("{method} is not allowed on {path}; use {allowed}"))
            .with_status(405),
    );
    response
        .headers_mut()
        .insert("allow", HeaderValue::from_static(allowed));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_appended_and_encoded() {
        assert_eq!(
            with_query("http://a/cb", &[("code", "x y"), ("state", "s&t")]),
            "http://a/cb?code=x+y&state=s%26t"
        );
        assert_eq!(
            with_query("http://a/cb?k=v", &[("code", "c")]),
            "http://a/cb?k=v&code=c"
        );
        assert_eq!(
            with_query("http://a/cb#frag", &[("code", "c")]),
            "http://a/cb?code=c"
        );
    }
}
