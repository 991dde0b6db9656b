//! `GET /openapi.json`: the OpenAPI 3.1 document of the server's HTTP API
//! (`docs/openapi.json`, compiled in). Served as it is, whatever faces the server mounts:
//! its paths are for the layout its `info.description` names (the identity face at `/id`,
//! the service face at `/svc`), and its relative server URL `/` makes a tool that fetched
//! it from a server send requests to that server.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::Response;

use crate::http::answer::HttpResponse;

/// The document, byte for byte the repository's `docs/openapi.json`.
pub(crate) const DOCUMENT: &str = include_str!("../../../docs/openapi.json");

/// 200 with the document as `application/json`.
pub(crate) fn document() -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from_static(DOCUMENT.as_bytes())));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
