//! An app's social-login providers (its oauth-config) and the fake users its built-in
//! providers sign in as in fake mode.

use serde_json::{Map, Value};

use crate::types::Redacted;

/// The providers mockauth knows by name; any other name is a custom provider.
pub(crate) const BUILTIN_PROVIDERS: [&str; 8] = [
    "google",
    "github",
    "discord",
    "facebook",
    "linkedin",
    "microsoft",
    "apple",
    "x",
];

/// The most providers one app may configure.
pub(crate) const MAX_PROVIDERS: usize = 32;

/// How a provider signs users in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProviderMode {
    /// mockauth's own consent page approves as the app's fake user.
    Fake,
    /// mockauth is an OAuth client of the provider's three URLs.
    Upstream,
}

/// One provider of an app's oauth-config.
#[derive(Clone, Debug)]
pub(crate) struct ProviderConfig {
    /// `[a-z0-9_-]{1,32}`.
    pub(crate) name: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: Redacted<String>,
    pub(crate) redirect_uris: Vec<String>,
    pub(crate) scopes: Vec<String>,
    pub(crate) authorization_url: Option<String>,
    pub(crate) token_url: Option<String>,
    pub(crate) userinfo_url: Option<String>,
    /// Provider-specific settings (Apple's `teamId`, `keyId`, `privateKey`); the private
    /// key is never answered.
    pub(crate) provider_metadata: Redacted<Map<String, Value>>,
    /// Unix seconds.
    pub(crate) created_at: u64,
    pub(crate) updated_at: u64,
}

impl ProviderConfig {
    /// Whether the provider is one of [`BUILTIN_PROVIDERS`].
    pub(crate) fn is_builtin(&self) -> bool {
        BUILTIN_PROVIDERS.contains(&self.name.as_str())
    }

    /// Fake for a built-in provider without URL overrides, upstream otherwise.
    pub(crate) fn mode(&self) -> ProviderMode {
        let overridden = self.authorization_url.is_some()
            || self.token_url.is_some()
            || self.userinfo_url.is_some();
        if self.is_builtin() && !overridden {
            ProviderMode::Fake
        } else {
            ProviderMode::Upstream
        }
    }
}

/// Who a built-in provider in fake mode signs in as, per app and provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FakeSocialUser {
    pub(crate) sub: String,
    pub(crate) email: String,
    pub(crate) email_verified: bool,
    pub(crate) name: Option<String>,
    pub(crate) avatar_url: Option<String>,
    /// The consent page denies (`error=access_denied`).
    pub(crate) deny: bool,
    /// The consent page waits for a click on Approve or Deny instead of approving at once.
    pub(crate) consent: bool,
}

impl FakeSocialUser {
    /// The default fake user of `provider`: `<provider>-user-1`,
    /// `<provider>.user@example.test`, verified.
    pub(crate) fn default_for(provider: &str) -> Self {
        let mut name = provider.to_owned();
        if let Some(first) = name.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        Self {
            sub: format!("{provider}-user-1"),
            email: format!("{provider}.user@example.test"),
            email_verified: true,
            name: Some(format!("{name} User")),
            avatar_url: None,
            deny: false,
            consent: false,
        }
    }
}
