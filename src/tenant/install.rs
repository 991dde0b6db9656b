//! Making a tenant inside the store: its id and issuer path checked, a key of its own from
//! the bundled pool, and its default client and user. One synchronous step under the store
//! lock, shared by the builder, [`MockAuth::add_tenant`](crate::MockAuth::add_tenant), the
//! admin API and the config file.

use super::builder::{default_issuer_path, id_problem, issuer_path_problem, TenantBuilder};
use crate::keys::{KeySet, POOL_SIZE};
use crate::store::TenantKey;
use crate::store::{default_client, default_user, new_tenant, Store, DEFAULT_TENANT_ID};

/// The index of the tenant named `id`.
pub(crate) fn index_of(store: &Store, id: &str) -> Option<TenantKey> {
    store.tenant_named(id)
}

/// What the test can do about an unknown tenant id.
pub(crate) fn unknown_tenant(store: &Store, id: &str) -> String {
    let known: Vec<&str> = store.tenants().map(|(_, t)| t.id.as_str()).collect();
    format!("no tenant {id:?}; the tenants are {known:?}. Create it first (auth.add_tenant({id:?}, |t| t) in Rust, POST /api/auth-sandbox/config {{\"projectId\": {id:?}}} over HTTP)")
}

/// Gives tenant `index` its default client (with these fixed credentials, random otherwise)
/// and its default user `testuser`.
fn furnish_defaults(
    store: &mut Store,
    index: TenantKey,
    client_id: Option<String>,
    client_secret: Option<String>,
    now: u64,
) -> Result<(), String> {
    let client = default_client(store, client_id, client_secret);
    let user = store
        .add_user(index, default_user(), now)
        .map_err(|clash| clash.describe())?;
    let tenant = &mut store[index];
    tenant.default_client = client.id.clone();
    tenant.default_user = user.id;
    tenant.add_client(client)
}

/// Adds the tenant `plan` describes at `now` and returns its index, or says why not
/// (nothing changes then). Every tenant, the default one included, is made here.
pub(crate) fn install(
    store: &mut Store,
    plan: &TenantBuilder,
    now: u64,
) -> Result<TenantKey, String> {
    if let Some(problem) = id_problem(&plan.id) {
        return Err(problem);
    }
    if index_of(store, &plan.id).is_some() {
        return Err(if plan.id == DEFAULT_TENANT_ID {
            format!("{DEFAULT_TENANT_ID:?} is the default tenant's id; pick another")
        } else {
            format!("a tenant {:?} already exists; pick another id", plan.id)
        });
    }
    let issuer_path = plan
        .issuer_path
        .clone()
        .unwrap_or_else(|| default_issuer_path(&plan.id));
    // The Auth0 preset's issuer is the root with a slash, which only the default tenant has.
    if !(store.tenants().next().is_none() && issuer_path == "/") {
        if let Some(problem) = issuer_path_problem(&issuer_path) {
            return Err(problem);
        }
    }
    if let Some((_, owner)) = store.tenants().find(|(_, t)| t.issuer_path == issuer_path) {
        return Err(format!(
            "issuer path {issuer_path:?} already belongs to tenant {:?}; pick another",
            owner.id
        ));
    }
    let pool_index = store.next_pool_key % POOL_SIZE;
    store.next_pool_key += 1;
    let keys = KeySet::from_pool(&mut store.rng.0, plan.algorithm, pool_index);
    let mut tenant = new_tenant(plan.id.clone(), issuer_path, plan.lifetimes, keys, now);
    tenant.enabled = plan.enabled;
    tenant.preset = plan.preset.clone();
    let index = store.push_tenant(tenant);
    let furnished = furnish_defaults(
        store,
        index,
        plan.client_id.clone(),
        plan.client_secret.clone().map(|s| s.0),
        now,
    );
    if let Err(problem) = furnished {
        store.pop_tenant(index);
        return Err(problem);
    }
    Ok(index)
}
