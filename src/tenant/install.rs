//! Making a tenant inside the store: its id and issuer path checked, a key of its own from
//! the bundled pool, and its default client and user. One synchronous step under the store
//! lock, shared by the builder, [`MockAuth::add_tenant`](crate::MockAuth::add_tenant), the
//! admin API and the config file.

use super::builder::TenantBuilder;
use crate::fixture::{default_client, default_user};
use crate::keys::{KeySet, POOL_SIZE};
use crate::store::{new_tenant, Store, DEFAULT_TENANT_ID};

/// Where the admin API puts the paths it owns; no issuer may live below it.
pub(crate) const ADMIN_PREFIX: &str = "/api/auth-sandbox";

/// The issuer path of a tenant made without one: the hosted sandbox's layout (seed `000_*`).
pub(crate) fn default_issuer_path(id: &str) -> String {
    format!("/api/invoke/{id}/auth")
}

/// Why `id` cannot name a tenant, if it cannot. Ids go into URLs, so they stay URL-safe.
pub(crate) fn id_problem(id: &str) -> Option<String> {
    let url_safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
    if id.is_empty() || id.len() > 64 || !id.chars().all(url_safe) {
        return Some(format!(
            "tenant id {id:?} must be 1 to 64 letters, digits, '-', '_', '.' or '~', e.g. \"acme\""
        ));
    }
    None
}

/// Why `path` cannot be an issuer path, if it cannot.
pub(crate) fn issuer_path_problem(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    if !path.starts_with('/') || path.ends_with('/') {
        return Some(format!(
            "issuer path {path:?} must start with '/' and not end with one, e.g. \"/realms/acme\""
        ));
    }
    if path
        .strip_prefix(ADMIN_PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    {
        return Some(format!(
            "issuer path {path:?} is below {ADMIN_PREFIX}, where the admin API lives; pick another"
        ));
    }
    None
}

/// The index of the tenant named `id`.
pub(crate) fn index_of(store: &Store, id: &str) -> Option<usize> {
    store.tenants.iter().position(|t| t.id == id)
}

/// What the test can do about an unknown tenant id.
pub(crate) fn unknown_tenant(store: &Store, id: &str) -> String {
    let known: Vec<&str> = store.tenants.iter().map(|t| t.id.as_str()).collect();
    format!("no tenant {id:?}; the tenants are {known:?}. Create it first (auth.add_tenant({id:?}, |t| t) in Rust, POST /api/auth-sandbox/config {{\"projectId\": {id:?}}} over HTTP)")
}

/// Gives tenant `index` its default client (with these fixed credentials, random otherwise)
/// and its default user `testuser`.
fn furnish_defaults(
    store: &mut Store,
    index: usize,
    client_id: Option<String>,
    client_secret: Option<String>,
    now: u64,
) -> Result<(), String> {
    let (client, _) = default_client(store, client_id, client_secret);
    let user = store
        .add_user(index, default_user(), now)
        .map_err(|clash| clash.describe())?;
    let tenant = &mut store.tenants[index];
    tenant.default_client = client.id.clone();
    tenant.default_user = user.id;
    tenant.clients.insert(client.id.clone(), client);
    Ok(())
}

/// Adds the tenant `plan` describes at `now` and returns its index, or says why not
/// (nothing changes then). Every tenant, the default one included, is made here.
pub(crate) fn install(store: &mut Store, plan: &TenantBuilder, now: u64) -> Result<usize, String> {
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
    if !(store.tenants.is_empty() && issuer_path == "/") {
        if let Some(problem) = issuer_path_problem(&issuer_path) {
            return Err(problem);
        }
    }
    if let Some(owner) = store.tenants.iter().find(|t| t.issuer_path == issuer_path) {
        return Err(format!(
            "issuer path {issuer_path:?} already belongs to tenant {:?}; pick another",
            owner.id
        ));
    }
    let pool_index = store.next_pool_key % POOL_SIZE;
    store.next_pool_key += 1;
    let keys = KeySet::from_pool(&mut store.rng, plan.algorithm, pool_index);
    let mut tenant = new_tenant(plan.id.clone(), issuer_path, plan.lifetimes, keys, now);
    tenant.enabled = plan.enabled;
    tenant.preset = plan.preset.clone();
    store.tenants.push(tenant);
    let index = store.tenants.len() - 1;
    let furnished = furnish_defaults(
        store,
        index,
        plan.client_id.clone(),
        plan.client_secret.clone(),
        now,
    );
    if let Err(problem) = furnished {
        store.tenants.pop();
        return Err(problem);
    }
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_ids_must_be_url_safe() {
        assert_eq!(id_problem("acme-2.eu_west~1"), None);
        assert!(id_problem("").is_some());
        assert!(id_problem("a/b").is_some());
        assert!(id_problem("café").is_some());
        assert!(id_problem(&"x".repeat(65)).is_some());
    }

    #[test]
    fn issuer_paths_stay_clear_of_the_admin_api() {
        assert_eq!(issuer_path_problem("/realms/acme"), None);
        assert_eq!(issuer_path_problem(""), None);
        assert!(issuer_path_problem("realms/acme").is_some());
        assert!(issuer_path_problem("/realms/acme/").is_some());
        assert!(issuer_path_problem("/api/auth-sandbox").is_some());
        assert!(issuer_path_problem("/api/auth-sandbox/x").is_some());
        assert_eq!(issuer_path_problem("/api/auth-sandboxes"), None);
    }
}
