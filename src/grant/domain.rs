//! The context of one domain step: the locked store, the tenant, the time, the issuer.

use crate::store::TenantKey;
use crate::store::{Store, Tenant};

/// One synchronous step under the store lock.
#[derive(Debug)]
pub(crate) struct Domain<'s> {
    pub(crate) store: &'s mut Store,
    pub(crate) tenant: TenantKey,
    /// The server clock, in Unix seconds, read once per step.
    pub(crate) now: u64,
    pub(crate) issuer: &'s str,
}

impl Domain<'_> {
    pub(crate) fn tenant(&self) -> &Tenant {
        &self.store[self.tenant]
    }

    pub(crate) fn tenant_mut(&mut self) -> &mut Tenant {
        &mut self.store[self.tenant]
    }

    /// The token endpoint URL (what a jwt-bearer assertion's `aud` names).
    pub(crate) fn token_url(&self) -> String {
        format!("{}/token", self.issuer.trim_end_matches('/'))
    }
}
