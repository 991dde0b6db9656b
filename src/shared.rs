//! What the server thread and the `MockAuth` handle share.

use parking_lot::{Mutex, MutexGuard};

use crate::clock::Clock;
use crate::fault::Faults;
use crate::grant::Domain;
use crate::journal::Journal;
use crate::store::TenantKey;
use crate::store::{Store, Tenant};
use crate::types::Redacted;

/// State shared between the handle and the server thread. `Debug` shows the settings, never
/// the store, the journal or the admin token.
pub(crate) struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) clock: Clock,
    /// `http://127.0.0.1:PORT`: the origin every issuer starts with.
    pub(crate) origin: String,
    /// Largest request body accepted, in bytes.
    pub(crate) body_limit: usize,
    /// The bearer token of the admin API.
    pub(crate) admin_token: Redacted<String>,
    /// Every request answered, newest last.
    pub(crate) journal: Mutex<Journal>,
    /// Rules that answer instead of the handlers.
    pub(crate) faults: Faults,
    /// The optional faces mounted below every tenant.
    pub(crate) faces: Vec<crate::mount::Face>,
    /// The identity face's per-IP rate-limit windows.
    pub(crate) identity_rate: crate::store::RateWindows,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("origin", &self.origin)
            .field("body_limit", &self.body_limit)
            .field("faces", &self.faces)
            // Counts only (the ledger's Debug shows no code or token).
            .field(
                "ledgers",
                &self
                    .lock()
                    .tenants()
                    .map(|(_, t)| format!("{:?}", t.ledger))
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// One tenant, as a request sees it: its index and issuer URL.
#[derive(Debug, Clone)]
pub(crate) struct TenantRef {
    pub(crate) index: TenantKey,
    pub(crate) issuer: String,
    /// `false` when the admin API switched the tenant off (its endpoints answer 404).
    pub(crate) enabled: bool,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock()
    }

    /// Runs `f` on one tenant under the store lock.
    pub(crate) fn with_tenant<R>(&self, tenant: &TenantRef, f: impl FnOnce(&mut Tenant) -> R) -> R {
        let mut store = self.lock();
        f(&mut store[tenant.index])
    }

    /// Forgets what has expired on the server clock: issued records of every tenant and
    /// rate-limit windows with no request left in them.
    pub(crate) fn prune(&self) {
        let now = self.clock.now();
        self.lock().prune(crate::clock::unix_seconds(now));
        let now_ms = now
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        self.identity_rate.prune(now_ms);
    }

    /// The issuer URL of `tenant`: this server's origin and the tenant's issuer path.
    pub(crate) fn issuer_of(&self, tenant: &Tenant) -> String {
        format!("{}{}", self.origin, tenant.issuer_path)
    }

    /// Runs one domain step on `tenant` under the store lock, at the server clock's now.
    pub(crate) fn step<R>(&self, tenant: &TenantRef, f: impl FnOnce(&mut Domain<'_>) -> R) -> R {
        let now = self.clock.unix();
        let mut store = self.lock();
        let mut domain = Domain {
            store: &mut store,
            tenant: tenant.index,
            now,
            issuer: &tenant.issuer,
        };
        f(&mut domain)
    }

    /// The tenant whose issuer path is the longest prefix of `path`, and the rest of the path;
    /// `None` when the path is below no tenant's issuer.
    pub(crate) fn resolve<'p>(&self, path: &'p str) -> Option<(TenantRef, &'p str)> {
        let store = self.lock();
        let mut best: Option<(TenantKey, &str)> = None;
        for (index, tenant) in store.tenants() {
            // Auth0's issuer path is "/": its endpoints are at the root like the default's.
            let prefix = tenant.issuer_path.trim_end_matches('/');
            let below = path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
            if below && best.is_none_or(|(_, b)| prefix.len() >= b.len()) {
                best = Some((index, prefix));
            }
        }
        let (index, prefix) = best?;
        let issuer = self.issuer_of(&store[index]);
        let enabled = store[index].enabled;
        let tenant = TenantRef {
            index,
            issuer,
            enabled,
        };
        Some((tenant, &path[prefix.len()..]))
    }
}
