//! `/token` ([RFC 6749 §3.2](https://www.rfc-editor.org/rfc/rfc6749#section-3.2)).

use crate::check::check_password;
use crate::error::OAuthError;
use crate::grant::{self, Outcome, PresentedClient, SecretRule};
use crate::http::answer::{no_store, HttpResponse};
use crate::http::body::Params;
use crate::http::request::HttpRequest;
use crate::journal::Annotation;
use crate::shared::{Shared, TenantRef};

/// Exchanges a grant for tokens.
pub(crate) fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
) -> Result<HttpResponse, OAuthError> {
    let params = Params::from_body(req)?;
    let presented = PresentedClient::new(req.basic_credentials()?, &params);
    // The one password check of every face, counted against the lockout; only for a client
    // that authenticates, so that a stranger to the client cannot lock its users out here.
    let password_check = match (
        params.get("grant_type"),
        params.get("username"),
        params.get("password"),
    ) {
        (Some("password"), Some(name), Some(given))
            if shared.with_tenant(tenant, |t| {
                grant::authenticate(t, &presented, SecretRule::Required).is_ok()
            }) =>
        {
            Some(check_password(shared, tenant, name, given))
        }
        _ => None,
    };
    let outcome = shared.step(tenant, |domain| {
        grant::token(domain, presented, &params, password_check)
    })?;
    // The lock is released: sign now.
    Ok(match outcome {
        Outcome::Tokens(plan) => Annotation::of_tokens(&plan).attach(no_store(200, &plan.sign())),
        Outcome::MfaRequired(challenge) => no_store(403, &challenge),
    })
}
