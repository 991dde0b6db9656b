//! `/token` ([RFC 6749 §3.2](https://www.rfc-editor.org/rfc/rfc6749#section-3.2)).

use crate::error::OAuthError;
use crate::grant::{self, Domain, Outcome, PresentedClient};
use crate::http::answer::{no_store, HttpResponse};
use crate::http::body::Params;
use crate::http::request::HttpRequest;
use crate::journal::Annotation;
use crate::password;
use crate::shared::{Shared, TenantRef};
use crate::store::User;

/// Exchanges a grant for tokens.
pub(crate) fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
) -> Result<HttpResponse, OAuthError> {
    let params = Params::from_body(req)?;
    let presented = PresentedClient::new(req.basic_credentials()?, &params);
    let verified_user = match params.get("grant_type") {
        Some("password") => check_password(shared, tenant, &params),
        _ => None,
    };
    let outcome = {
        let mut store = shared.lock();
        let mut domain = Domain {
            store: &mut store,
            tenant: tenant.index,
            now: shared.clock.unix(),
            issuer: &tenant.issuer,
        };
        grant::token(&mut domain, presented, &params, verified_user)?
    };
    // The lock is released: sign now.
    Ok(match outcome {
        Outcome::Tokens(plan) => Annotation::of_tokens(&plan).attach(no_store(200, &plan.sign())),
        Outcome::MfaRequired(challenge) => no_store(403, &challenge),
    })
}

/// The user whose username (or email) and password the request carries, checked outside
/// the store lock.
pub(crate) fn check_password(shared: &Shared, tenant: &TenantRef, params: &Params) -> Option<User> {
    let (username, given) = (params.get("username")?, params.get("password")?);
    let user = shared.with_tenant(tenant, |t| t.find_user(username).cloned())?;
    password::verify(given, &user.password_hash).then_some(user)
}
