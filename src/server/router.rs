//! The endpoint table: which path and method reach which handler.

use hyper::Method;

use crate::endpoint::Endpoint;
use crate::error::OAuthError;
use crate::face::admin::{self, AdminHandler};
use crate::face::{apps, identity, oidc, service};
use crate::http::answer::{json, method_not_allowed, not_found, oauth_error, HttpResponse};
use crate::http::request::HttpRequest;
use crate::mount::{Face, FaceKind};
use crate::shared::{Shared, TenantRef};

/// A handler of the OIDC face.
type Handler = fn(&Shared, &TenantRef, &HttpRequest) -> Result<HttpResponse, OAuthError>;

/// One row of the table.
pub(crate) struct Row {
    pub(crate) endpoint: Endpoint,
    path: &'static str,
    get: bool,
    post: bool,
    handler: Handler,
}

const fn row(
    endpoint: Endpoint,
    path: &'static str,
    get: bool,
    post: bool,
    handler: Handler,
) -> Row {
    Row {
        endpoint,
        path,
        get,
        post,
        handler,
    }
}

/// Where a request goes: a tenant, the endpoint, and the face that serves it.
pub(crate) struct Route {
    pub(crate) tenant: TenantRef,
    pub(crate) endpoint: Endpoint,
    target: Target,
}

/// The face a route belongs to.
enum Target {
    Oidc(&'static Row),
    /// A mounted face, with the path below its prefix.
    Face(FaceKind, String),
    /// The apps face, with the app's id.
    Apps(String),
}

/// Paths relative to a tenant's issuer (docs/oidc.md#endpoints).
const OIDC: &[Row] = &[
    row(
        Endpoint::Discovery,
        "/.well-known/openid-configuration",
        true,
        false,
        oidc::discovery::openid_configuration,
    ),
    row(
        Endpoint::Discovery,
        "/.well-known/oauth-authorization-server",
        true,
        false,
        oidc::discovery::openid_configuration,
    ),
    row(
        Endpoint::Jwks,
        "/.well-known/jwks.json",
        true,
        false,
        oidc::discovery::jwks,
    ),
    row(
        Endpoint::Authorize,
        "/authorize",
        true,
        true,
        oidc::authorize::handle,
    ),
    row(Endpoint::Token, "/token", false, true, oidc::token::handle),
    row(
        Endpoint::Userinfo,
        "/userinfo",
        true,
        true,
        oidc::userinfo::handle,
    ),
    row(
        Endpoint::Introspect,
        "/introspect",
        false,
        true,
        oidc::introspect::handle,
    ),
    row(
        Endpoint::Revoke,
        "/revoke",
        false,
        true,
        oidc::revoke::handle,
    ),
    row(
        Endpoint::Validate,
        "/validate",
        true,
        true,
        oidc::sandbox::validate,
    ),
    row(Endpoint::Basic, "/basic", true, true, oidc::sandbox::basic),
    row(
        Endpoint::MfaVerify,
        "/mfa/verify",
        false,
        true,
        oidc::mfa::verify,
    ),
    row(
        Endpoint::Logout,
        "/logout",
        true,
        true,
        oidc::logout::handle,
    ),
];

/// Finds where a request goes, or the 404/405 answer when it goes nowhere.
pub(crate) fn find(shared: &Shared, req: &HttpRequest) -> Result<Route, Box<HttpResponse>> {
    // The apps face hangs below the origin, not below a tenant: its app is the tenant.
    for face in shared.faces.iter().filter(|f| f.kind() == FaceKind::Apps) {
        if let Some(found) = apps::locate(shared, face, req) {
            let found = found.map_err(|err| Box::new(err.answer()))?;
            return Ok(Route {
                tenant: found.tenant,
                endpoint: found.endpoint,
                target: Target::Apps(found.app_id),
            });
        }
    }
    let Some((tenant, rest)) = shared.resolve(&req.path) else {
        return Err(Box::new(not_found(&req.path)));
    };
    if !tenant.enabled {
        return Err(Box::new(disabled(shared, &tenant)));
    }
    let rest = rest
        .strip_suffix('/')
        .filter(|r| !r.is_empty())
        .unwrap_or(rest);
    let Some(row) = OIDC.iter().find(|e| e.path == rest) else {
        return find_face(shared, tenant, rest, req);
    };
    let allowed = match (row.get, row.post) {
        (true, true) => "GET, POST",
        (true, false) => "GET",
        _ => "POST",
    };
    let method_ok = match req.method {
        Method::GET | Method::HEAD => row.get,
        Method::POST => row.post,
        _ => false,
    };
    if !method_ok {
        return Err(Box::new(method_not_allowed(
            req.method.as_str(),
            &req.path,
            allowed,
        )));
    }
    Ok(Route {
        tenant,
        endpoint: row.endpoint,
        target: Target::Oidc(row),
    })
}

/// The mounted face whose prefix holds `rest` (longest prefix first), if any.
fn find_face(
    shared: &Shared,
    tenant: TenantRef,
    rest: &str,
    req: &HttpRequest,
) -> Result<Route, Box<HttpResponse>> {
    let mut best: Option<(&Face, &str)> = None;
    for face in shared.faces.iter().filter(|f| f.kind() != FaceKind::Apps) {
        if let Some(below) = rest.strip_prefix(face.prefix()) {
            let fits = below.is_empty() || below.starts_with('/');
            if fits && best.is_none_or(|(b, _)| face.prefix().len() > b.prefix().len()) {
                best = Some((face, below));
            }
        }
    }
    let Some((face, below)) = best else {
        return Err(Box::new(not_found(&req.path)));
    };
    let endpoint = match face.kind() {
        FaceKind::Identity => identity::classify(&req.method, below),
        FaceKind::Service => service::classify(&req.method, below),
        // Found before any tenant (see `find`); never below one.
        FaceKind::Apps => Err(Box::new(not_found(&req.path))),
    }?;
    Ok(Route {
        tenant,
        endpoint,
        target: Target::Face(face.kind(), below.to_owned()),
    })
}

/// Runs the handler of a found route. Every handler is synchronous except the service
/// face's, whose login and refresh await the application's claims endpoint (outside the
/// store lock, without blocking the server's runtime): hence `async`, which costs the
/// synchronous arms nothing.
pub(crate) async fn dispatch(shared: &Shared, route: &Route, req: &HttpRequest) -> HttpResponse {
    match &route.target {
        Target::Oidc(row) => {
            (row.handler)(shared, &route.tenant, req).unwrap_or_else(|err| oauth_error(&err))
        }
        Target::Face(FaceKind::Identity, below) => {
            identity::handle(shared, &route.tenant, route.endpoint, req, below)
        }
        Target::Face(FaceKind::Service, _) => {
            service::handle(shared, &route.tenant, route.endpoint, req).await
        }
        Target::Face(FaceKind::Apps, _) => not_found(&req.path),
        Target::Apps(app_id) => apps::handle(shared, &route.tenant, app_id, route.endpoint, req),
    }
}

/// 404 for every endpoint of a tenant the admin API disabled (`enabled: false`).
fn disabled(shared: &Shared, tenant: &TenantRef) -> HttpResponse {
    let id = shared.with_tenant(tenant, |t| t.id.clone());
    json(
        404,
        &serde_json::json!({
            "error": "not_found",
            "error_description": format!(
                "tenant {id:?} is disabled; enable it with POST /api/auth-sandbox/config {{\"projectId\": {id:?}, \"enabled\": true}}"
            ),
        }),
    )
}

/// One path of the admin API (docs/admin.md), below `/api/auth-sandbox`.
struct AdminRow {
    path: &'static str,
    get: Option<AdminHandler>,
    post: Option<AdminHandler>,
}

const ADMIN: &[AdminRow] = &[
    AdminRow {
        path: "/config",
        get: Some(admin::config::show),
        post: Some(admin::config::update),
    },
    AdminRow {
        path: "/clients",
        get: None,
        post: Some(admin::clients::create),
    },
    AdminRow {
        path: "/users",
        get: None,
        post: Some(admin::users::create),
    },
    AdminRow {
        path: "/applications",
        get: None,
        post: Some(admin::applications::create),
    },
    AdminRow {
        path: "/clock",
        get: None,
        post: Some(admin::clock::advance),
    },
    AdminRow {
        path: "/requests",
        get: Some(admin::requests::list),
        post: None,
    },
];

/// Where the server's OpenAPI document is served, at the origin (docs/openapi.json).
pub(crate) const OPENAPI_PATH: &str = "/openapi.json";

/// The server's own answers, found before any tenant's issuer is: the OpenAPI document at
/// [`OPENAPI_PATH`] (no credentials needed) and the admin API below `/api/auth-sandbox`;
/// `None` for every other path. Neither is a tenant's, so no fault rule applies to them and
/// the journal does not record them.
pub(crate) fn own(shared: &Shared, req: &HttpRequest) -> Option<HttpResponse> {
    let path = req.path.strip_suffix('/').unwrap_or(&req.path);
    if path == OPENAPI_PATH {
        return Some(match req.method {
            Method::GET | Method::HEAD => admin::openapi::document(),
            _ => method_not_allowed(req.method.as_str(), &req.path, "GET"),
        });
    }
    admin(shared, req)
}

/// The admin API's answer to a request below `/api/auth-sandbox`; `None` for every other
/// path.
fn admin(shared: &Shared, req: &HttpRequest) -> Option<HttpResponse> {
    let rest = req.path.strip_prefix(crate::tenant::ADMIN_PREFIX)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    if !crate::check::is_admin_token(shared, req) {
        return Some(admin::unauthorized(req));
    }
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let Some(row) = ADMIN.iter().find(|row| row.path == rest) else {
        let paths: Vec<&str> = ADMIN.iter().map(|row| &row.path[1..]).collect();
        return Some(json(
            404,
            &serde_json::json!({
                "error": "not_found",
                "error_description": format!(
                    "no admin endpoint at {}; the admin endpoints below {} are {}",
                    req.path,
                    crate::tenant::ADMIN_PREFIX,
                    paths.join(", ")
                ),
            }),
        ));
    };
    let handler = match req.method {
        Method::GET | Method::HEAD => row.get,
        Method::POST => row.post,
        _ => None,
    };
    let Some(handler) = handler else {
        let allowed = match (row.get, row.post) {
            (Some(_), Some(_)) => "GET, POST",
            (Some(_), None) => "GET",
            _ => "POST",
        };
        return Some(method_not_allowed(req.method.as_str(), &req.path, allowed));
    };
    Some(admin::run(shared, req, handler))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::*;

    /// The methods docs/openapi.json documents at `path`, upper-case.
    fn documented(doc: &Value, path: &str) -> BTreeSet<String> {
        let item = doc["paths"][path]
            .as_object()
            .unwrap_or_else(|| panic!("{path} is not in docs/openapi.json"));
        ["get", "post", "put", "delete", "patch"]
            .into_iter()
            .filter(|m| item.contains_key(*m))
            .map(str::to_ascii_uppercase)
            .collect()
    }

    fn methods(get: bool, post: bool) -> BTreeSet<String> {
        [(get, "GET"), (post, "POST")]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, m)| m.to_owned())
            .collect()
    }

    fn document() -> Value {
        serde_json::from_str(admin::openapi::DOCUMENT).expect("docs/openapi.json is JSON")
    }

    #[test]
    fn every_oidc_row_is_documented_with_its_methods() {
        let doc = document();
        for row in OIDC {
            assert_eq!(
                documented(&doc, row.path),
                methods(row.get, row.post),
                "{}",
                row.path
            );
        }
    }

    #[test]
    fn every_admin_row_is_documented_with_its_methods() {
        let doc = document();
        for row in ADMIN {
            let path = format!("{}{}", crate::tenant::ADMIN_PREFIX, row.path);
            assert_eq!(
                documented(&doc, &path),
                methods(row.get.is_some(), row.post.is_some()),
                "{path}"
            );
        }
    }

    #[test]
    fn every_documented_oidc_and_admin_path_is_a_row_and_the_document_is_served() {
        let doc = document();
        let mut rows: BTreeSet<String> = OIDC.iter().map(|row| row.path.to_owned()).collect();
        rows.extend(
            ADMIN
                .iter()
                .map(|row| format!("{}{}", crate::tenant::ADMIN_PREFIX, row.path)),
        );
        rows.insert(OPENAPI_PATH.to_owned());
        let faces = ["/id/", "/svc/", "/apps/"];
        let documented: BTreeSet<String> = doc["paths"]
            .as_object()
            .unwrap()
            .keys()
            .filter(|path| !faces.iter().any(|face| path.starts_with(face)))
            .cloned()
            .collect();
        assert_eq!(documented, rows);
    }
}
