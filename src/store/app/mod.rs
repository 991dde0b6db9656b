//! What a tenant keeps when it is an app of the apps face: its settings, its secret key
//! and its audit log. Made the first time something of the app is asked for
//! ([`Store::app_mut`](super::Store::app_mut)), so tenants that are no app pay nothing.

// The control plane (being built) reads what is still unread here.
#[allow(dead_code, unused_imports)]
mod audit;
#[allow(dead_code, unused_imports)]
mod provider;

#[allow(unused_imports)]
pub(crate) use audit::{AuditEntry, AuditLog, AuditQuery, MAX_AUDIT_ENTRIES};
#[allow(unused_imports)]
pub(crate) use provider::{
    FakeSocialUser, ProviderConfig, ProviderMode, BUILTIN_PROVIDERS, MAX_PROVIDERS,
};

use std::collections::BTreeMap;

use crate::types::Redacted;

/// The settings of one app that its owner changes (control plane, admin API, Rust).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AppSettings {
    /// Signup creates unverified users who must verify their email before logging in.
    pub(crate) require_email_verification: bool,
    /// Origins allowed by CORS on the data plane; `["*"]` allows any.
    pub(crate) allowed_origins: Vec<String>,
    /// The data plane answers 503 `APP_PAUSED` while set.
    pub(crate) paused: bool,
    /// Why the app is paused (shown in `details.reason`).
    pub(crate) pause_reason: Option<String>,
    /// What signup and reset-password demand of a password.
    pub(crate) password_policy: PasswordPolicy,
    /// The data plane's per-route request limits.
    pub(crate) rate_limits: RateLimits,
}

/// What a password must be: its length in characters and the kinds it must contain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PasswordPolicy {
    pub(crate) min_length: usize,
    pub(crate) max_length: usize,
    pub(crate) require_uppercase: bool,
    pub(crate) require_lowercase: bool,
    pub(crate) require_number: bool,
    /// A character that is no letter, digit or space.
    pub(crate) require_special: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: 8,
            max_length: 128,
            require_uppercase: true,
            require_lowercase: true,
            require_number: true,
            require_special: true,
        }
    }
}

/// Per-route limits of the data plane: requests per 15 minutes per client IP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RateLimits {
    /// `false` turns every limit of the app off.
    pub(crate) enabled: bool,
    /// Limits that replace the defaults, by route name (`signup`, `login`, `magic-link`, …).
    pub(crate) overrides: BTreeMap<String, u32>,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            enabled: true,
            overrides: BTreeMap::new(),
        }
    }
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            require_email_verification: false,
            allowed_origins: vec!["*".to_owned()],
            paused: false,
            pause_reason: None,
            password_policy: PasswordPolicy::default(),
            rate_limits: RateLimits::default(),
        }
    }
}

/// One app's state beside its tenant's users and sessions.
#[derive(Debug)]
#[allow(dead_code)]
pub(crate) struct AppState {
    pub(crate) settings: AppSettings,
    /// `sk_test_…`: authenticates the app's owner on the control plane.
    pub(crate) secret_key: Redacted<String>,
    pub(crate) audit: AuditLog,
    /// Social-login providers by name (the oauth-config), at most [`MAX_PROVIDERS`].
    pub(crate) providers: BTreeMap<String, ProviderConfig>,
    /// Fake users of built-in providers by provider name (absent: the provider's default).
    pub(crate) fake_users: BTreeMap<String, FakeSocialUser>,
    /// Unix seconds.
    pub(crate) created_at: u64,
    pub(crate) updated_at: u64,
}

impl AppState {
    /// A new app with the default settings, made at `now`.
    pub(crate) fn new(secret_key: String, now: u64) -> Self {
        Self {
            settings: AppSettings::default(),
            secret_key: Redacted(secret_key),
            audit: AuditLog::default(),
            providers: BTreeMap::new(),
            fake_users: BTreeMap::new(),
            created_at: now,
            updated_at: now,
        }
    }
}
