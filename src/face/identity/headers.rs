//! The four security headers on every identity answer, errors included
//! (docs/identity.md#security-headers).

use hyper::header::{
    HeaderName, HeaderValue, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
    X_XSS_PROTECTION,
};

use crate::http::answer::HttpResponse;

/// The headers and their values.
pub(crate) const SECURITY_HEADERS: [(HeaderName, &str); 4] = [
    (X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (X_FRAME_OPTIONS, "DENY"),
    (X_XSS_PROTECTION, "1; mode=block"),
    (STRICT_TRANSPORT_SECURITY, "max-age=31536000"),
];

/// `response` with the security headers set.
pub(crate) fn secured(mut response: HttpResponse) -> HttpResponse {
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
