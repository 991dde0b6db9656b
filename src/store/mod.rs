//! The domain state of one server: its tenants and a random source.
//!
//! One `parking_lot::Mutex<Store>` per server, held for one synchronous domain step and
//! never while signing or awaiting.

pub(crate) mod app;
mod client;
mod defaults;
mod ledger;
mod lockout;
pub(crate) mod manage;
mod rate_windows;
pub(crate) mod rbac;
mod refresh;
mod service;
mod tenant;
mod user;
mod users;

pub(crate) use client::{Client, RedirectPolicy};
pub(crate) use defaults::{default_client, default_password_hash, default_user, DEFAULT_SCOPES};
pub use defaults::{DEFAULT_PASSWORD, DEFAULT_USERNAME};
pub(crate) use ledger::{CodeRecord, Family, Ledger, MfaChallenge, Pkce, SignIn};
pub(crate) use lockout::{Lockout, LoginRefusal, UnknownLogins, MAX_FAILED_LOGINS};
pub(crate) use rate_windows::RateWindows;
pub(crate) use refresh::{NewRefresh, RefreshKey, RefreshRefusal};
pub use service::Account;
pub(crate) use service::{
    claims_url_problem, Application, ApplicationRefusal, ClaimsFn, ClaimsSource, NewApplication,
    ServiceState,
};
pub(crate) use tenant::{Lifetimes, Tenant, TenantKey};
pub(crate) use user::{ServiceAccount, User};
pub(crate) use users::{NewUser, UserClash};

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use rand::rngs::StdRng;

use crate::types::Redacted;
use rand::{Rng as _, RngCore as _};

/// All state of one server.
#[derive(Debug)]
pub(crate) struct Store {
    /// In the order installed, the default tenant first; read by [`TenantKey`].
    tenants: Vec<Tenant>,
    /// Ids, codes, secrets and tokens come from here, so a seed makes them reproducible.
    pub(crate) rng: Redacted<StdRng>,
    /// Issuances since the last prune.
    issued_since_prune: u32,
    /// The index in the bundled key pool of the next tenant's key, so that tenants of one
    /// server sign with different keys.
    pub(crate) next_pool_key: usize,
    /// How far issued tokens' time claims are shifted (`MockAuth::set_issue_skew`).
    pub(crate) issue_skew: crate::clock::IssueSkew,
    /// Authenticates the refresh tokens of every tenant and face.
    refresh_key: RefreshKey,
}

impl Store {
    /// A store without tenants, whose first tenant signs with bundled key `first_pool_key`.
    pub(crate) fn new(mut rng: StdRng, first_pool_key: usize) -> Self {
        let mut refresh_key = [0u8; 32];
        rng.fill_bytes(&mut refresh_key);
        Self {
            tenants: Vec::new(),
            refresh_key: RefreshKey::new(refresh_key),
            rng: rng.into(),
            issued_since_prune: 0,
            next_pool_key: first_pool_key,
            issue_skew: crate::clock::IssueSkew::None,
        }
    }

    /// Every tenant with its key, the default one first.
    pub(crate) fn tenants(&self) -> impl Iterator<Item = (TenantKey, &Tenant)> {
        self.tenants
            .iter()
            .enumerate()
            .map(|(index, tenant)| (TenantKey(index), tenant))
    }

    /// The tenant named `id`.
    pub(crate) fn tenant_named(&self, id: &str) -> Option<TenantKey> {
        self.tenants().find(|(_, t)| t.id == id).map(|(key, _)| key)
    }

    /// Adds a tenant; the key names it from now on.
    pub(crate) fn push_tenant(&mut self, tenant: Tenant) -> TenantKey {
        self.tenants.push(tenant);
        TenantKey(self.tenants.len() - 1)
    }

    /// A tenant and the random source together (a key rotation needs both).
    pub(crate) fn tenant_and_rng(&mut self, key: TenantKey) -> (&mut Tenant, &mut StdRng) {
        (&mut self.tenants[key.0], &mut self.rng)
    }

    /// Takes back the tenant just pushed, when installing it failed half-way.
    pub(crate) fn pop_tenant(&mut self, key: TenantKey) {
        if key.0 + 1 == self.tenants.len() {
            self.tenants.pop();
        }
    }

    /// `prefix` + 32 random bytes in base64url: unguessable tokens and codes.
    pub(crate) fn token(&mut self, prefix: &str) -> String {
        let mut bytes = [0u8; 32];
        self.rng.fill_bytes(&mut bytes);
        format!("{prefix}{}", B64.encode(bytes))
    }

    /// `prefix` + 16 random hex digits: readable ids.
    pub(crate) fn id(&mut self, prefix: &str) -> String {
        format!("{prefix}{:016x}", self.rng.gen::<u64>())
    }

    /// A random (version 4) UUID in its hyphenated lower-case form, from the store's random
    /// source, so a seed reproduces it.
    pub(crate) fn uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.rng.fill_bytes(&mut bytes);
        crate::types::uuid_text(bytes, 4)
    }

    /// The app state of tenant `key`, made now (with a new `sk_test_…` key) if the tenant
    /// had none: every tenant the apps face serves is an app.
    pub(crate) fn app_mut(&mut self, key: TenantKey, now: u64) -> &mut app::AppState {
        if self[key].app.is_none() {
            let secret = self.token("sk_test_");
            self[key].app = Some(Box::new(app::AppState::new(secret, now)));
        }
        self[key].app.as_mut().expect("made above")
    }

    /// A 6-digit numeric code.
    pub(crate) fn digits(&mut self) -> String {
        format!("{:06}", self.rng.gen_range(0..1_000_000))
    }

    /// Forgets, in every tenant, what has expired on the server clock at `now`.
    pub(crate) fn prune(&mut self, now: u64) {
        for tenant in &mut self.tenants {
            tenant.ledger.prune(now);
        }
    }

    /// Counts an issuance and now and then drops expired codes and challenges.
    pub(crate) fn note_issuance(&mut self, tenant: TenantKey, now: u64) {
        self.issued_since_prune += 1;
        if self.issued_since_prune >= 4096 {
            self.issued_since_prune = 0;
            self[tenant].ledger.prune(now);
        }
    }
}

/// A store with a default tenant whose only user is `testuser` (role `"user"`), made at
/// `now`; returns it and the user's id. For unit tests of the domain rules.
#[cfg(test)]
pub(crate) fn test_store(now: u64) -> (Store, String) {
    use rand::SeedableRng as _;
    let mut rng = StdRng::seed_from_u64(7);
    let keys = crate::keys::KeySet::from_pool(&mut rng, crate::types::Algorithm::ES256, 0);
    let mut store = Store::new(rng, 1);
    let tenant = new_tenant(
        DEFAULT_TENANT_ID.into(),
        String::new(),
        Lifetimes::default(),
        keys,
        now,
    );
    let key = store.push_tenant(tenant);
    let testuser = NewUser {
        username: "testuser".into(),
        email: "testuser@example.test".into(),
        roles: vec!["user".into()],
        ..NewUser::default()
    };
    let user = store
        .add_user(key, testuser, now)
        .expect("an empty tenant has no clash");
    store[TenantKey::DEFAULT].default_user = user.id.clone();
    (store, user.id)
}

impl std::ops::Index<TenantKey> for Store {
    type Output = Tenant;

    fn index(&self, key: TenantKey) -> &Tenant {
        &self.tenants[key.0]
    }
}

impl std::ops::IndexMut<TenantKey> for Store {
    fn index_mut(&mut self, key: TenantKey) -> &mut Tenant {
        &mut self.tenants[key.0]
    }
}

/// The id of the default tenant, the tenant an admin call without `configId`/`projectId` means.
pub(crate) const DEFAULT_TENANT_ID: &str = "default";

/// A tenant with keys and lifetimes but no clients, users or issued state yet, made at
/// `now` (Unix seconds).
pub(crate) fn new_tenant(
    id: String,
    issuer_path: String,
    lifetimes: Lifetimes,
    keys: crate::keys::KeySet,
    now: u64,
) -> Tenant {
    Tenant {
        id,
        enabled: true,
        // Filled in when the tenant's default client and user are made.
        default_client: crate::types::ClientId::new(""),
        default_user: String::new(),
        issuer_path,
        lifetimes,
        keys,
        clients: Default::default(),
        users: Default::default(),
        ledger: Ledger::default(),
        rbac: rbac::Rbac::seeded(now),
        unknown_logins: UnknownLogins::default(),
        preset: None,
        service: ServiceState::default(),
        app: None,
    }
}
