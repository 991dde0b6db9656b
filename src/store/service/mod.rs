//! The service face's domain (docs/service.md): a tenant's applications and the tenant's
//! HS256 service key (its refresh tokens are the ledger's, like every face's). Accounts are the tenant's
//! users (their `type` and `refId` sit on [`User::service`](super::User)), so fixtures, the
//! admin API and the other faces see them.

mod account;
mod application;

pub(crate) use application::{
    claims_url_problem, Application, ApplicationRefusal, ClaimsFn, ClaimsSource, NewApplication,
};

use std::sync::Arc;

use rand::RngCore as _;

use super::{Store, Tenant, User};
use crate::keys::SigningKey;
use crate::store::TenantKey;
pub use account::Account;

/// What the service face keeps per tenant. `Debug` shows no token and no key.
#[derive(Default)]
pub(crate) struct ServiceState {
    pub(crate) applications: Vec<Application>,
    /// Made on first use from the store's random source, so a seed makes it reproducible.
    signing_key: Option<Arc<SigningKey>>,
}

impl std::fmt::Debug for ServiceState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceState")
            .field("applications", &self.applications)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// The tenant's HS256 service key (32 random bytes unless a test set one).
    pub(crate) fn service_key(&mut self, tenant: TenantKey) -> Arc<SigningKey> {
        if let Some(key) = &self[tenant].service.signing_key {
            return key.clone();
        }
        let mut secret = [0u8; 32];
        self.rng.fill_bytes(&mut secret);
        self.set_service_key(tenant, &secret)
    }

    /// Replaces the tenant's service key; tokens signed with the old one stop verifying.
    pub(crate) fn set_service_key(&mut self, tenant: TenantKey, secret: &[u8]) -> Arc<SigningKey> {
        // The key has no `kid`: the service face has one key and publishes no JWKS.
        let key = Arc::new(SigningKey::client_secret(secret));
        self[tenant].service.signing_key = Some(key.clone());
        key
    }
}

impl Tenant {
    /// The application whose secret is `secret` (compared in constant time).
    pub(crate) fn application_by_secret(&self, secret: &str) -> Option<&Application> {
        use subtle::ConstantTimeEq as _;
        self.service
            .applications
            .iter()
            .find(|app| bool::from(app.secret.as_bytes().ct_eq(secret.as_bytes())))
    }

    /// `user` as the service face sees it: a user made by `/auth/register` keeps the
    /// `type` and `refId` it was registered with; any other user is type `"user"` with its
    /// own id as `refId`.
    pub(crate) fn account_of(&self, user: &User) -> Account {
        let (kind, ref_id) = match &user.service {
            Some(account) => (account.kind.clone(), account.ref_id.clone()),
            None => ("user".to_owned(), user.id.clone()),
        };
        Account::new(user.id.clone(), user.username.clone(), kind, ref_id)
    }
}
