//! The endpoint table: which path and method reach which handler.

use hyper::Method;

use super::answer::{method_not_allowed, not_found, oauth_error, HttpResponse};
use super::request::HttpRequest;
use crate::error::OAuthError;
use crate::face::oidc;
use crate::shared::{Shared, TenantRef};

/// A handler of the OIDC face.
type Handler = fn(&Shared, &TenantRef, &HttpRequest) -> Result<HttpResponse, OAuthError>;

/// One row of the table.
struct Endpoint {
    path: &'static str,
    get: bool,
    post: bool,
    handler: Handler,
}

const fn row(path: &'static str, get: bool, post: bool, handler: Handler) -> Endpoint {
    Endpoint {
        path,
        get,
        post,
        handler,
    }
}

/// Paths relative to a tenant's issuer (contract §3).
const OIDC: &[Endpoint] = &[
    row(
        "/.well-known/openid-configuration",
        true,
        false,
        oidc::discovery::openid_configuration,
    ),
    row(
        "/.well-known/oauth-authorization-server",
        true,
        false,
        oidc::discovery::openid_configuration,
    ),
    row("/.well-known/jwks.json", true, false, oidc::discovery::jwks),
    row("/authorize", true, true, oidc::authorize::handle),
    row("/token", false, true, oidc::token::handle),
    row("/userinfo", true, true, oidc::userinfo::handle),
    row("/introspect", false, true, oidc::introspect::handle),
    row("/revoke", false, true, oidc::revoke::handle),
    row("/validate", true, true, oidc::sandbox::validate),
    row("/basic", true, true, oidc::sandbox::basic),
    row("/mfa/verify", false, true, oidc::mfa::verify),
    row("/logout", true, true, oidc::logout::handle),
];

/// Answers one request.
pub(crate) fn route(shared: &Shared, req: &HttpRequest) -> HttpResponse {
    let Some((tenant, rest)) = shared.resolve(&req.path) else {
        return not_found(&req.path);
    };
    let rest = rest
        .strip_suffix('/')
        .filter(|r| !r.is_empty())
        .unwrap_or(rest);
    let Some(endpoint) = OIDC.iter().find(|e| e.path == rest) else {
        return not_found(&req.path);
    };
    let allowed = match (endpoint.get, endpoint.post) {
        (true, true) => "GET, POST",
        (true, false) => "GET",
        _ => "POST",
    };
    let method_ok = match req.method {
        Method::GET | Method::HEAD => endpoint.get,
        Method::POST => endpoint.post,
        _ => false,
    };
    if !method_ok {
        return method_not_allowed(req.method.as_str(), &req.path, allowed);
    }
    (endpoint.handler)(shared, &tenant, req).unwrap_or_else(|err| oauth_error(&err))
}
