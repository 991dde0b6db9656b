//! Applications of the service face: who may call it (by `x-application-secret`) and where
//! their access tokens' claims come from.

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::Account;
use crate::store::Store;
use crate::store::TenantKey;
use crate::types::Redacted;

/// A Rust closure standing in for a claims endpoint: the account in, the claims out (or why
/// not, which the face answers as 502).
pub(crate) type ClaimsFn = Arc<dyn Fn(&Account) -> Result<Value, String> + Send + Sync>;

/// Where an application's claims come from.
#[derive(Clone, Default)]
pub(crate) enum ClaimsSource {
    /// No callback: access tokens carry only `sub`, `iss`, `iat` and `exp`.
    #[default]
    Nothing,
    /// `POST {url}` with `{accountId, type, refId}` (cargo feature `claims-url`).
    Url(String),
    /// A closure called on the server thread.
    Closure(ClaimsFn),
}

impl ClaimsSource {
    /// The URL, when the claims come from one.
    pub(crate) fn url(&self) -> Option<&str> {
        match self {
            ClaimsSource::Url(url) => Some(url),
            _ => None,
        }
    }
}

impl fmt::Debug for ClaimsSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimsSource::Nothing => f.write_str("Nothing"),
            ClaimsSource::Url(url) => f.debug_tuple("Url").field(url).finish(),
            ClaimsSource::Closure(_) => f.write_str("Closure(..)"),
        }
    }
}

/// An application registered with the service face.
#[derive(Clone, Debug)]
pub(crate) struct Application {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) secret: Redacted<String>,
    pub(crate) claims: ClaimsSource,
}

/// What a fixture, the admin API or a config file asks for.
/// `Debug` shows no secret.
pub(crate) struct NewApplication {
    pub(crate) name: String,
    /// Random when `None`.
    pub(crate) secret: Option<String>,
    pub(crate) claims: ClaimsSource,
}

/// Why an application was not added; nothing changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ApplicationRefusal {
    /// A value that cannot be (the message names the field).
    Invalid(String),
    /// The name or the secret belongs to another application of the tenant.
    Conflict(String),
}

impl ApplicationRefusal {
    pub(crate) fn message(&self) -> &str {
        match self {
            ApplicationRefusal::Invalid(m) | ApplicationRefusal::Conflict(m) => m,
        }
    }
}

/// Why `url` cannot be a claims URL, said as the rest of a sentence that starts with the
/// field's name (`claimsUrl must …`); `None` when it can.
#[cfg(feature = "claims-url")]
pub(crate) fn claims_url_problem(url: &str) -> Option<String> {
    let parsed = match reqwest::Url::parse(url) {
        Ok(parsed) => parsed,
        Err(err) => {
            return Some(format!(
                "must be an absolute http:// URL such as \"http://127.0.0.1:3000/auth/claims\"; {url:?} is not ({err})"
            ))
        }
    };
    match parsed.scheme() {
        "http" if parsed.host_str().is_some_and(|h| !h.is_empty()) => None,
        "https" => Some(format!(
            "must use http://, found {url:?}: mockauth calls claims endpoints without TLS, as test endpoints on 127.0.0.1 are plain http"
        )),
        _ => Some(format!(
            "must be an absolute http:// URL such as \"http://127.0.0.1:3000/auth/claims\", found {url:?}"
        )),
    }
}

/// Why `url` cannot be a claims URL: without the `claims-url` feature, none can.
#[cfg(not(feature = "claims-url"))]
pub(crate) fn claims_url_problem(url: &str) -> Option<String> {
    Some(format!(
        "needs mockauth's \"claims-url\" cargo feature (the HTTP client that calls {url:?}); enable it with features = [\"claims-url\"], or in Rust use .claims_with(|account| …) instead"
    ))
}

impl Store {
    /// Registers an application in `tenant`, or says why not (and changes nothing).
    pub(crate) fn add_application(
        &mut self,
        tenant: TenantKey,
        new: NewApplication,
    ) -> Result<Application, ApplicationRefusal> {
        if new.name.is_empty() {
            return Err(ApplicationRefusal::Invalid(
                "name must not be empty".to_owned(),
            ));
        }
        if new.secret.as_deref() == Some("") {
            return Err(ApplicationRefusal::Invalid(
                "secret must not be empty; leave it out for a random one".to_owned(),
            ));
        }
        if let Some(problem) = new.claims.url().and_then(claims_url_problem) {
            return Err(ApplicationRefusal::Invalid(format!(
                ".claims_url(..) {problem}"
            )));
        }
        let state = &self[tenant];
        if state
            .service
            .applications
            .iter()
            .any(|a| a.name == new.name)
        {
            return Err(ApplicationRefusal::Conflict(format!(
                "name: an application named {:?} already exists in tenant {:?}; pick another name",
                new.name, state.id
            )));
        }
        if let Some(owner) = new
            .secret
            .as_deref()
            .and_then(|secret| state.application_by_secret(secret))
        {
            return Err(ApplicationRefusal::Conflict(format!(
                "secret: application {:?} already has this secret; the secret is how a call names its application, so give each its own",
                owner.name
            )));
        }
        let application = Application {
            id: self.id("app_"),
            secret: new.secret.unwrap_or_else(|| self.token("appsec_")).into(),
            name: new.name,
            claims: new.claims,
        };
        self[tenant].service.applications.push(application.clone());
        Ok(application)
    }
}
