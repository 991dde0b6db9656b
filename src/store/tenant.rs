//! A tenant: the unit of isolation (a project, application or realm). It has its
//! own issuer path, keys, clients, users and issued state.

use std::collections::BTreeMap;
use std::time::Duration;

use super::client::Client;
use super::ledger::Ledger;
use super::user::User;
use crate::error::OAuthError;
use crate::keys::KeySet;
use crate::types::ClientId;

/// Lifetimes of what a tenant issues (and how long its service face waits for claims).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Lifetimes {
    pub(crate) access_token: Duration,
    pub(crate) refresh_token: Duration,
    pub(crate) id_token: Duration,
    pub(crate) authorization_code: Duration,
    pub(crate) mfa_challenge: Duration,
    /// Service face: its access tokens (15 min) and refresh tokens (7 days)
    /// (docs/service.md#lifetimes).
    pub(crate) service_access_token: Duration,
    pub(crate) service_refresh_token: Duration,
    /// Service face: how long a claims endpoint may take to answer (10 s).
    pub(crate) claims_timeout: Duration,
}

impl Lifetimes {
    /// The longest lifetime accepted: ten years, far beyond any test and far from overflow.
    pub(crate) const MAX: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

    /// Why `ttl` cannot be the lifetime `what`, if it cannot: it must be 1 ms to 10 years.
    pub(crate) fn problem(what: &str, ttl: Duration) -> Option<String> {
        (ttl.is_zero() || ttl > Self::MAX).then(|| {
            format!(
                "{what}({ttl:?}) must be between 1 ms and 10 years ({} s); for tokens that are \
                 already expired use a short lifetime and auth.advance(..), or Forgery::Expired",
                Self::MAX.as_secs()
            )
        })
    }
}

impl Default for Lifetimes {
    fn default() -> Self {
        Self {
            access_token: Duration::from_secs(3600),
            refresh_token: Duration::from_secs(30 * 24 * 3600),
            id_token: Duration::from_secs(3600),
            authorization_code: Duration::from_secs(60),
            mfa_challenge: Duration::from_secs(300),
            service_access_token: Duration::from_secs(15 * 60),
            service_refresh_token: Duration::from_secs(7 * 24 * 3600),
            claims_timeout: Duration::from_secs(10),
        }
    }
}

/// Names one tenant of a [`Store`](super::Store): tenants are never removed, so a key stays
/// good for the server's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct TenantKey(pub(super) usize);

impl TenantKey {
    /// The default tenant, installed first.
    pub(crate) const DEFAULT: TenantKey = TenantKey(0);

    /// The `n`th tenant installed, for unit tests that need more than one key.
    #[cfg(test)]
    pub(crate) const fn nth(n: usize) -> TenantKey {
        TenantKey(n)
    }
}

/// One tenant's state.
#[derive(Debug)]
pub(crate) struct Tenant {
    /// The tenant's name (the admin API's projectId / configId); `"default"` for
    /// `tenants[0]`.
    pub(crate) id: String,
    /// `false` makes the tenant's OIDC endpoints answer 404 (admin API `enabled`).
    pub(crate) enabled: bool,
    /// The confidential client every tenant starts with.
    pub(crate) default_client: ClientId,
    /// The id (`sub`) of the user every tenant starts with (`testuser`).
    pub(crate) default_user: String,
    /// Path of the issuer below the server origin: `""` for the default tenant.
    pub(crate) issuer_path: String,
    pub(crate) lifetimes: Lifetimes,
    pub(crate) keys: KeySet,
    pub(crate) clients: BTreeMap<ClientId, Client>,
    /// Users by id (`sub`).
    pub(crate) users: BTreeMap<String, User>,
    pub(crate) ledger: Ledger,
    /// Roles, permissions and API keys (identity face).
    pub(crate) rbac: super::rbac::Rbac,
    /// Failed logins of names that are no user, counted like a user's.
    pub(crate) unknown_logins: super::UnknownLogins,
    /// The provider whose claim shapes the tenant's tokens take (`None`: mockauth's own).
    pub(crate) preset: Option<crate::preset::Preset>,
    /// Applications, refresh tokens and HS256 key of the service face.
    pub(crate) service: super::ServiceState,
    /// Settings, secret key and audit log when the tenant is an app of the apps face.
    pub(crate) app: Option<Box<super::app::AppState>>,
}

impl Tenant {
    pub(crate) fn client(&self, id: &str) -> Result<&Client, OAuthError> {
        // Unauthenticated callers see this: it names no other client of the tenant.
        self.clients.get(&ClientId::new(id)).ok_or_else(|| {
            OAuthError::invalid_client(format!(
                "unknown client {id:?} in this tenant; declare it with auth.client({id:?}).create() \
                 (the test reads the tenant's clients through the Rust or admin API)"
            ))
        })
    }

    pub(crate) fn user(&self, id: &str) -> Option<&User> {
        self.users.get(id)
    }

    /// A user named by username, email or id (what `login_hint` and assertions carry).
    pub(crate) fn find_user(&self, name: &str) -> Option<&User> {
        self.users
            .values()
            .find(|u| u.username == name)
            .or_else(|| self.users.get(name))
            .or_else(|| {
                self.users
                    .values()
                    .find(|u| u.email.eq_ignore_ascii_case(name))
            })
    }
}
