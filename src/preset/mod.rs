//! Provider presets: a tenant that looks like Keycloak, Auth0, Microsoft Entra ID, AWS
//! Cognito or Okta to the app under test, with that provider's issuer path and the claim
//! shapes apps really parse (`realm_access.roles`, `permissions`, `scp`, `cognito:groups`…).
//!
//! Each provider lives in its own file as a plain struct; [`Preset`] picks one. Issuance
//! calls [`Preset::shape_access`] and [`Preset::shape_id`] once the standard claims are
//! built, and the server reads its own tokens back through `reading.rs`, whatever names a
//! preset gave the client and scopes.

mod auth0;
mod cognito;
mod entra;
mod keycloak;
mod okta;
mod reading;

pub use auth0::Auth0;
pub use cognito::Cognito;
pub use entra::Entra;
pub use keycloak::Keycloak;
pub use okta::Okta;
pub(crate) use reading::{token_client, token_scope};

use serde_json::{Map, Value};

use crate::clock::IssueSkew;

/// A claims set being shaped.
type Claims = Map<String, Value>;

/// Makes the server look like a known provider: its issuer path and the claims of its
/// access tokens and id_tokens. Set with [`MockAuthBuilder::preset`] (the default tenant) or
/// [`TenantBuilder::preset`] (another tenant).
///
/// | preset | issuer | what apps read |
/// |---|---|---|
/// | [`Preset::keycloak`] | `{origin}/realms/{realm}` | `realm_access.roles`, `resource_access.{client}.roles`, `preferred_username`, `typ`, `azp` |
/// | [`Preset::auth0`] | `{origin}/` (trailing slash) | `permissions`, namespaced claims, `gty`, `aud` = the API |
/// | [`Preset::entra`] | `{origin}/{tenant}/v2.0` | `tid`, `oid`, `roles`, `scp`, `ver: "2.0"` |
/// | [`Preset::cognito`] | `{origin}/{user pool id}` | `cognito:groups`, `token_use`, `client_id`, `username`, no `aud` on access tokens |
/// | [`Preset::okta`] | `{origin}/oauth2/default` | `cid`, `uid`, `scp` (array), `ver: 1`, `aud: api://default` |
///
/// Every endpoint stays where mockauth serves it (below the issuer, as discovery says).
/// A user's roles become the provider's role claim; the generic `roles`, `client_id` and
/// `scope` claims are left out where the provider has none.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use mockauth::{MockAuth, Preset};
///
/// let auth = MockAuth::builder().preset(Preset::keycloak("acme")).start().await;
/// assert!(auth.issuer().ends_with("/realms/acme"));
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Preset {
    /// Keycloak; see [`Keycloak`].
    Keycloak(Keycloak),
    /// Auth0; see [`Auth0`].
    Auth0(Auth0),
    /// Microsoft Entra ID (v2.0 endpoints); see [`Entra`].
    Entra(Entra),
    /// AWS Cognito user pools; see [`Cognito`].
    Cognito(Cognito),
    /// Okta (custom authorization servers); see [`Okta`].
    Okta(Okta),
}

impl Preset {
    /// Keycloak with the realm `realm`: issuer `/realms/{realm}`.
    ///
    /// # Panics
    /// If `realm` is not a URL-safe path segment.
    pub fn keycloak(realm: impl Into<String>) -> Preset {
        Preset::Keycloak(Keycloak::new(realm))
    }

    /// Auth0 issuing access tokens for the API `audience` (what apps pass as `audience`),
    /// with the issuer `http://127.0.0.1:PORT/`. See [`Auth0`] for the claim namespace.
    pub fn auth0(audience: impl Into<String>) -> Preset {
        Preset::Auth0(Auth0::new(audience))
    }

    /// Microsoft Entra ID for the directory `tenant_id` (a GUID, or any URL-safe name):
    /// issuer `/{tenant_id}/v2.0`.
    ///
    /// # Panics
    /// If `tenant_id` is not a URL-safe path segment.
    pub fn entra(tenant_id: impl Into<String>) -> Preset {
        Preset::Entra(Entra::new(tenant_id))
    }

    /// AWS Cognito for the user pool `user_pool_id` (e.g. `us-east-1_Example`): issuer
    /// `/{user_pool_id}`.
    ///
    /// # Panics
    /// If `user_pool_id` is not a URL-safe path segment.
    pub fn cognito(user_pool_id: impl Into<String>) -> Preset {
        Preset::Cognito(Cognito::new(user_pool_id))
    }

    /// Okta's `default` custom authorization server: issuer `/oauth2/default`, access token
    /// audience `api://default`. See [`Okta`] for another server.
    pub fn okta() -> Preset {
        Preset::Okta(Okta::default())
    }

    /// The issuer path below the server origin; `"/"` for Auth0's trailing-slash issuer.
    pub(crate) fn issuer_path(&self) -> String {
        match self {
            Preset::Keycloak(p) => p.issuer_path(),
            Preset::Auth0(_) => "/".to_owned(),
            Preset::Entra(p) => p.issuer_path(),
            Preset::Cognito(p) => p.issuer_path(),
            Preset::Okta(p) => p.issuer_path(),
        }
    }

    /// The access token audience the provider uses instead of the client id, if any.
    pub(crate) fn audience(&self) -> Option<&str> {
        match self {
            Preset::Auth0(p) => Some(p.audience()),
            Preset::Okta(p) => Some(p.audience_name()),
            _ => None,
        }
    }

    /// Reshapes the standard claims of an access token into the provider's.
    pub(crate) fn shape_access(&self, claims: &mut Claims, token: &TokenContext<'_>) {
        match self {
            Preset::Keycloak(p) => p.shape_access(claims, token),
            Preset::Auth0(p) => p.shape_access(claims, token),
            Preset::Entra(p) => p.shape_access(claims, token),
            Preset::Cognito(p) => p.shape_access(claims, token),
            Preset::Okta(p) => p.shape_access(claims, token),
        }
    }

    /// Reshapes the standard claims of an id_token into the provider's.
    pub(crate) fn shape_id(&self, claims: &mut Claims, token: &TokenContext<'_>) {
        match self {
            Preset::Keycloak(p) => p.shape_id(claims, token),
            Preset::Auth0(p) => p.shape_id(claims, token),
            Preset::Entra(p) => p.shape_id(claims, token),
            Preset::Cognito(p) => p.shape_id(claims, token),
            Preset::Okta(p) => p.shape_id(claims, token),
        }
    }
}

/// What a preset may need to know about the token it shapes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenContext<'a> {
    /// The issuer identifier (`iss`).
    pub(crate) issuer: &'a str,
    pub(crate) client_id: &'a str,
    /// The user, or `None` for a token about the client itself.
    pub(crate) user: Option<TokenUser<'a>>,
    pub(crate) scopes: &'a [String],
}

/// The user a token is about, as far as a preset shapes claims from it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenUser<'a> {
    pub(crate) id: &'a str,
    pub(crate) username: &'a str,
    pub(crate) name: &'a str,
    pub(crate) email: &'a str,
    pub(crate) email_verified: bool,
    pub(crate) roles: &'a [String],
    /// The user's own claims, which a preset never overrides.
    pub(crate) claims: &'a Map<String, Value>,
}

impl TokenContext<'_> {
    fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// Adds a claim unless the user's own claims already set it (an explicit claim wins).
fn add(claims: &mut Claims, name: &str, value: Value) {
    claims.entry(name.to_owned()).or_insert(value);
}

/// Why `segment` cannot go into an issuer path, if it cannot.
fn segment_problem(what: &str, segment: &str, example: &str) -> Option<String> {
    let url_safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
    (segment.is_empty() || !segment.chars().all(url_safe)).then(|| {
        format!("{what} {segment:?} must be letters, digits, '-', '_', '.' or '~' (it goes into the issuer URL), e.g. {example:?}")
    })
}

/// Shapes the claims of one issuance: the preset's provider shapes (when the tenant has a
/// preset), then the issue skew's shifted times. The single hook issuance calls.
pub(crate) fn shape_tokens(
    preset: Option<&Preset>,
    skew: IssueSkew,
    token: &TokenContext<'_>,
    access: &mut Claims,
    id: Option<&mut Claims>,
) {
    if let Some(preset) = preset {
        preset.shape_access(access, token);
    }
    skew.apply(access);
    if let Some(id) = id {
        if let Some(preset) = preset {
            preset.shape_id(id, token);
        }
        skew.apply(id);
    }
}
