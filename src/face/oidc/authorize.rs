//! `/authorize` ([RFC 6749 §4.1.1](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1)):
//! auto-approves and redirects back with a code.

use hyper::Method;

use crate::error::OAuthError;
use crate::grant::authorization_code::{authorize, AuthorizeError};
use crate::http::answer::{redirect, with_query, HttpResponse};
use crate::http::body::Params;
use crate::http::request::HttpRequest;
use crate::shared::{Shared, TenantRef};

/// GET with a query, or POST with a form (OIDC Core §3.1.2.1).
pub(crate) fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
) -> Result<HttpResponse, OAuthError> {
    let params = if req.method == Method::POST {
        Params::from_body(req)?
    } else {
        Params::from_form(req.query.as_bytes())?
    };
    let result = shared.step(tenant, |domain| authorize(domain, &params));
    let iss = tenant.issuer.as_str();
    match result {
        Ok(done) => {
            let mut query = vec![("code", done.code.as_str())];
            if let Some(state) = &done.state {
                query.push(("state", state));
            }
            query.push(("iss", iss));
            Ok(redirect(&with_query(&done.redirect_uri, &query)))
        }
        Err(AuthorizeError::Shown(error)) => Err(error),
        Err(AuthorizeError::Redirect {
            redirect_uri,
            state,
            error,
        }) => {
            let mut query = vec![
                ("error", error.code.as_str()),
                ("error_description", error.description.as_str()),
            ];
            if let Some(state) = &state {
                query.push(("state", state));
            }
            query.push(("iss", iss));
            Ok(redirect(&with_query(&redirect_uri, &query)))
        }
    }
}
