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
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            require_email_verification: false,
            allowed_origins: vec!["*".to_owned()],
            paused: false,
            pause_reason: None,
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
