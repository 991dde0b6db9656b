//! `/mfa/verify`: answers the password grant's `mfa_required` challenge.

use crate::error::OAuthError;
use crate::grant::verify_mfa;
use crate::http::answer::{no_store, HttpResponse};
use crate::http::body::Params;
use crate::http::request::HttpRequest;
use crate::journal::Annotation;
use crate::shared::{Shared, TenantRef};

/// `{mfa_token, code, client_id}` → the full token set.
pub(crate) fn verify(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
) -> Result<HttpResponse, OAuthError> {
    let params = Params::from_body(req)?;
    let mfa_token = params.require("mfa_token")?;
    let code = params
        .get("code")
        .or(params.get("otp"))
        .ok_or_else(|| OAuthError::invalid_request("missing parameter \"code\""))?;
    let plan = shared.step(tenant, |domain| {
        verify_mfa(domain, mfa_token, code, params.get("client_id"))
    })?;
    Ok(Annotation::of_tokens(&plan).attach(no_store(200, &plan.sign())))
}
