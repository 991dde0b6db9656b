//! Which app a request is for: `{prefix}/auth/{app_id}/{endpoint}` at the server origin.
//! Each app is a tenant of the one domain whose id is the app id and whose issuer path is
//! `{prefix}/auth/{app_id}`; an unknown app is installed with the defaults on first use
//! (unless the face says not to), while the server holds fewer than [`MAX_AUTO_APPS`].

use hyper::Method;

use super::error::AppsError;
use crate::endpoint::Endpoint;
use crate::http::request::HttpRequest;
use crate::mount::{Face, MAX_AUTO_APPS};
use crate::shared::{Shared, TenantRef};
use crate::tenant::{install, TenantBuilder};

/// Longest app id.
const MAX_APP_ID: usize = 64;

/// A request of the apps face: its app (a tenant) and endpoint.
#[derive(Debug)]
pub(crate) struct Located {
    pub(crate) tenant: TenantRef,
    pub(crate) endpoint: Endpoint,
    pub(crate) app_id: String,
}

/// Whether `id` is an app id: 1 to 64 letters, digits, `_` or `-`.
fn is_app_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_APP_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The endpoint at `rest` (below the app) and whether `method` may call it.
fn classify(method: &Method, rest: &str) -> Result<Endpoint, AppsError> {
    let (endpoint, get) = match rest.trim_end_matches('/') {
        "/signup" => (Endpoint::AppsSignup, false),
        "/login" => (Endpoint::AppsLogin, false),
        "/refresh" => (Endpoint::AppsRefresh, false),
        "/logout" => (Endpoint::AppsLogout, false),
        "/me" => (Endpoint::AppsMe, true),
        "/.well-known/jwks.json" => (Endpoint::AppsJwks, true),
        _ => return Err(AppsError::not_found(rest)),
    };
    let allowed = match *method {
        Method::GET | Method::HEAD => get,
        Method::POST => !get,
        _ => false,
    };
    if allowed {
        Ok(endpoint)
    } else {
        Err(AppsError::method_not_allowed(
            method.as_str(),
            if get { "GET" } else { "POST" },
        ))
    }
}

/// The app and endpoint of `req` when its path is the face's, an error answer when it is
/// the face's but goes nowhere, and `None` when the path is not the face's (then the other
/// routes get it): paths whose endpoint part is empty (the identity face's `/auth/login/`),
/// or that lie below another tenant's longer issuer path, are not, and neither is a path
/// with a malformed app id unless it names one of the face's endpoints (then 404
/// `APP_NOT_FOUND`).
pub(crate) fn locate(
    shared: &Shared,
    face: &Face,
    req: &HttpRequest,
) -> Option<Result<Located, AppsError>> {
    let below = req
        .path
        .strip_prefix(face.prefix())?
        .strip_prefix("/auth/")?;
    let (app_id, rest) = below.split_at(below.find('/')?);
    if rest.trim_matches('/').is_empty() {
        return None;
    }
    if !is_app_id(app_id) {
        // Only an endpoint of the face is answered in its shape; other paths go on.
        return classify(&req.method, rest)
            .ok()
            .map(|_| Err(AppsError::app_not_found(app_id)));
    }
    let app_path = format!("{}/auth/{app_id}", face.prefix());
    // A tenant declared at a longer issuer path (e.g. `/auth/realms/acme`) keeps its paths.
    if let Some((_, after)) = shared.resolve(&req.path) {
        if req.path.len() - after.len() > app_path.len() {
            return None;
        }
    }
    Some(classify(&req.method, rest).and_then(|endpoint| {
        let tenant = find_or_create(shared, face, app_id, &app_path)?;
        Ok(Located {
            tenant,
            endpoint,
            app_id: app_id.to_owned(),
        })
    }))
}

/// The tenant of app `app_id`, installed now if it is new and the face creates apps.
fn find_or_create(
    shared: &Shared,
    face: &Face,
    app_id: &str,
    app_path: &str,
) -> Result<TenantRef, AppsError> {
    let mut store = shared.lock();
    let index = match store.tenant_named(app_id) {
        // An id taken by a tenant elsewhere (e.g. "default") is no app.
        Some(index) if store[index].issuer_path != app_path => {
            return Err(AppsError::app_not_found(app_id))
        }
        Some(index) => index,
        None if !face.auto_creates() => return Err(AppsError::app_not_found(app_id)),
        None => {
            let apps_root = format!("{}/auth/", face.prefix());
            let apps = store
                .tenants()
                .filter(|(_, t)| t.issuer_path.starts_with(&apps_root))
                .count();
            if apps >= MAX_AUTO_APPS {
                return Err(AppsError::app_limit(MAX_AUTO_APPS));
            }
            let plan = TenantBuilder {
                issuer_path: Some(app_path.to_owned()),
                // The access tokens' `aud` is the app id: a client of the app's tenant.
                client_id: Some(app_id.to_owned()),
                ..TenantBuilder::new(app_id)
            };
            install(&mut store, &plan, shared.clock.unix()).map_err(AppsError::internal)?
        }
    };
    if !store[index].enabled {
        return Err(AppsError::app_not_found(app_id));
    }
    Ok(TenantRef {
        index,
        issuer: shared.issuer_of(&store[index]),
        enabled: true,
    })
}
