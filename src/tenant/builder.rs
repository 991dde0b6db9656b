//! [`TenantBuilder`]: the settings of a tenant made next to the default one.

use std::time::Duration;

use crate::preset::Preset;
use crate::store::Lifetimes;
use crate::types::{Algorithm, Redacted};

/// The settings of a new tenant: its issuer path, algorithm, lifetimes and default client's
/// credentials. Handed to the closure of [`MockAuthBuilder::tenant`] and
/// [`MockAuth::add_tenant`](crate::MockAuth::add_tenant).
///
/// Everything left unset takes the crate's defaults, not the default tenant's settings:
/// issuer path `/api/invoke/{id}/auth`, RS256, access token
/// 1 h, refresh token 30 days, id_token 1 h, code 60 s, MFA challenge 5 min.
///
/// ```
/// # fn main() {
/// use std::time::Duration;
/// use mockauth::{Algorithm, MockAuth};
///
/// let auth = MockAuth::builder()
///     .tenant("acme", |t| {
///         t.issuer_path("/realms/acme")
///             .algorithm(Algorithm::ES256)
///             .access_token_ttl(Duration::from_secs(60))
///             .client_id("acme-app")
///     })
///     .start_blocking();
/// let acme = auth.tenant("acme");
/// assert_eq!(acme.issuer(), format!("{}/realms/acme", auth.issuer()));
/// assert_eq!(acme.default_client().client_id(), "acme-app");
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a tenant builder does nothing unless returned from the closure"]
pub struct TenantBuilder {
    pub(crate) id: String,
    pub(crate) issuer_path: Option<String>,
    pub(crate) algorithm: Algorithm,
    pub(crate) lifetimes: Lifetimes,
    pub(crate) client_id: Option<String>,
    pub(crate) client_secret: Option<Redacted<String>>,
    pub(crate) enabled: bool,
    /// The provider the tenant looks like ([`TenantBuilder::preset`]).
    pub(crate) preset: Option<crate::preset::Preset>,
}

/// `ttl`, or a panic that says why it cannot be a lifetime.
#[track_caller]
fn checked(what: &str, ttl: Duration) -> Duration {
    if let Some(problem) = Lifetimes::problem(what, ttl) {
        panic!("{problem}");
    }
    ttl
}

impl TenantBuilder {
    /// The default tenant's settings: id `"default"`, at the server root.
    pub(crate) fn default_tenant() -> Self {
        Self {
            issuer_path: Some(String::new()),
            ..Self::new(crate::store::DEFAULT_TENANT_ID)
        }
    }

    /// The crate's defaults for a tenant named `id` (checked when it is installed).
    pub(crate) fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            issuer_path: None,
            algorithm: Algorithm::default(),
            lifetimes: Lifetimes::default(),
            client_id: None,
            client_secret: None,
            enabled: true,
            preset: None,
        }
    }

    /// Serves the tenant's issuer below this path, e.g. `/realms/acme` (Keycloak's layout).
    /// Default: `/api/invoke/{id}/auth`.
    ///
    /// # Panics
    /// If the path does not start with `/`, ends with one, lies below `/api/auth-sandbox`
    /// (the admin API's), or is no URL path as clients send it (a character other than
    /// letters, digits and `-._~!$&'()*+,;=:@` between the slashes, or a `.` or `..`
    /// segment).
    pub fn issuer_path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        if let Some(problem) = issuer_path_problem(&path) {
            panic!("{problem}");
        }
        self.issuer_path = Some(path);
        self
    }

    /// The JWS algorithm of the tenant's tokens (default RS256).
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Access token lifetime (default 1 hour).
    ///
    /// # Panics
    /// If `ttl` is zero or longer than 10 years.
    #[track_caller]
    pub fn access_token_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.access_token = checked("access_token_ttl", ttl);
        self
    }

    /// Refresh token lifetime (default 30 days).
    ///
    /// # Panics
    /// If `ttl` is zero or longer than 10 years.
    #[track_caller]
    pub fn refresh_token_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.refresh_token = checked("refresh_token_ttl", ttl);
        self
    }

    /// id_token lifetime (default 1 hour).
    ///
    /// # Panics
    /// If `ttl` is zero or longer than 10 years.
    #[track_caller]
    pub fn id_token_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.id_token = checked("id_token_ttl", ttl);
        self
    }

    /// Authorization code lifetime (default 60 s).
    ///
    /// # Panics
    /// If `ttl` is zero or longer than 10 years.
    #[track_caller]
    pub fn authorization_code_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.authorization_code = checked("authorization_code_ttl", ttl);
        self
    }

    /// MFA challenge lifetime (default 5 minutes).
    ///
    /// # Panics
    /// If `ttl` is zero or longer than 10 years.
    #[track_caller]
    pub fn mfa_challenge_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.mfa_challenge = checked("mfa_challenge_ttl", ttl);
        self
    }

    /// Lifetime of the service face's access tokens (default 15 minutes).
    ///
    /// # Panics
    /// If `ttl` is zero or longer than 10 years.
    #[track_caller]
    pub fn service_access_token_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.service_access_token = checked("service_access_token_ttl", ttl);
        self
    }

    /// Lifetime of the service face's refresh tokens (default 7 days).
    ///
    /// # Panics
    /// If `ttl` is zero or longer than 10 years.
    #[track_caller]
    pub fn service_refresh_token_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.service_refresh_token = checked("service_refresh_token_ttl", ttl);
        self
    }

    /// How long the service face waits for an application's claims endpoint (default 10 s).
    ///
    /// # Panics
    /// If `timeout` is zero or longer than 10 years.
    #[track_caller]
    pub fn claims_timeout(mut self, timeout: Duration) -> Self {
        self.lifetimes.claims_timeout = checked("claims_timeout", timeout);
        self
    }

    /// Fixes the `client_id` of the tenant's default client (random otherwise).
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// Fixes the `client_secret` of the tenant's default client (random otherwise).
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(Redacted(secret.into()));
        self
    }

    /// Whether the tenant's OIDC endpoints answer (default `true`); a disabled tenant's
    /// answer 404 until it is enabled again.
    pub fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = enabled;
        self
    }

    /// Makes the tenant look like a known provider: its issuer path (overriding
    /// [`issuer_path`](Self::issuer_path)) and its claim shapes. One server can so hold
    /// several Keycloak realms, or a Keycloak realm beside an Okta authorization server.
    ///
    /// ```
    /// # fn main() {
    /// use mockauth::{MockAuth, Preset};
    ///
    /// let auth = MockAuth::builder()
    ///     .preset(Preset::keycloak("acme"))
    ///     .tenant("globex", |t| t.preset(Preset::keycloak("globex")))
    ///     .start_blocking();
    /// assert!(auth.tenant("globex").issuer().ends_with("/realms/globex"));
    /// # }
    /// ```
    ///
    /// # Panics
    /// For [`Preset::Auth0`]: its issuer is the server root, which the default tenant holds;
    /// give it to [`MockAuthBuilder::preset`] instead.
    pub fn preset(mut self, preset: Preset) -> Self {
        assert!(
            !matches!(preset, Preset::Auth0(_)),
            "the Auth0 preset's issuer is the server root (http://127.0.0.1:PORT/), which only the default tenant can have; use MockAuth::builder().preset(Preset::auth0(..)) instead"
        );
        self.issuer_path = Some(preset.issuer_path());
        self.preset = Some(preset);
        self
    }
}

/// Where the admin API puts the paths it owns; no issuer may live below it.
pub(crate) const ADMIN_PREFIX: &str = "/api/auth-sandbox";

/// The issuer path of a tenant made without one (docs/oidc.md#issuer-and-tenants).
pub(crate) fn default_issuer_path(id: &str) -> String {
    format!("/api/invoke/{id}/auth")
}

/// Why `id` cannot name a tenant, if it cannot. Ids go into URLs (the default issuer path
/// `/api/invoke/{id}/auth`), so they stay URL-safe and are no dot segment, which clients
/// resolve away before sending.
pub(crate) fn id_problem(id: &str) -> Option<String> {
    let url_safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
    if id.is_empty() || id.len() > 64 || !id.chars().all(url_safe) || id == "." || id == ".." {
        return Some(format!(
            "tenant id {id:?} must be 1 to 64 letters, digits, '-', '_', '.' or '~' (not \".\" or \"..\"), e.g. \"acme\""
        ));
    }
    None
}

/// Whether `c` may stand in a segment of an issuer path as it is: RFC 3986's `pchar`
/// without percent-encoding (the server matches paths as they arrive, undecoded).
fn path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@".contains(c)
}

/// Why `path` cannot be an issuer path, if it cannot.
pub(crate) fn issuer_path_problem(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    if !path.starts_with('/') || path.ends_with('/') {
        return Some(format!(
            "issuer path {path:?} must start with '/' and not end with one, e.g. \"/realms/acme\""
        ));
    }
    // The issuer is a URL clients send requests below: a space, a `?`, a `#`, a `%` or a
    // character beyond ASCII would make it no URL, or one whose requests never match it.
    if let Some(bad) = path.chars().find(|&c| c != '/' && !path_char(c)) {
        return Some(format!(
            "issuer path {path:?} holds {bad:?}; an issuer path is a URL path of letters, digits and - . _ ~ ! $ & ' ( ) * + , ; = : @ between slashes, e.g. \"/realms/acme\""
        ));
    }
    if path
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return Some(format!(
            "issuer path {path:?} has a \".\" or \"..\" segment, which clients resolve away before sending; pick another"
        ));
    }
    if path
        .strip_prefix(ADMIN_PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    {
        return Some(format!(
            "issuer path {path:?} is below {ADMIN_PREFIX}, where the admin API lives; pick another"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_ids_must_be_url_safe() {
        assert_eq!(id_problem("acme-2.eu_west~1"), None);
        assert!(id_problem("").is_some());
        assert!(id_problem("a/b").is_some());
        assert!(id_problem("café").is_some());
        assert!(id_problem(&"x".repeat(65)).is_some());
        assert!(id_problem(".").is_some());
        assert!(id_problem("..").is_some());
        assert_eq!(id_problem("..."), None);
    }

    #[test]
    fn issuer_paths_are_url_paths_as_sent() {
        assert_eq!(issuer_path_problem("/oauth2/default"), None);
        assert_eq!(issuer_path_problem("/tenant-1/v2.0"), None);
        assert_eq!(issuer_path_problem("/a:b@c/$x'y"), None);
        for bad in [
            "/$§", "/a b", "/a?b", "/a#b", "/a%20b", "/a\\b", "/a\"b", "/a/./b", "/..", "/a/..",
        ] {
            assert!(issuer_path_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn issuer_paths_stay_clear_of_the_admin_api() {
        assert_eq!(issuer_path_problem("/realms/acme"), None);
        assert_eq!(issuer_path_problem(""), None);
        assert!(issuer_path_problem("realms/acme").is_some());
        assert!(issuer_path_problem("/realms/acme/").is_some());
        assert!(issuer_path_problem("/api/auth-sandbox").is_some());
        assert!(issuer_path_problem("/api/auth-sandbox/x").is_some());
        assert_eq!(issuer_path_problem("/api/auth-sandboxes"), None);
    }
}
