//! API keys made, replaced and deleted through the identity face. The key is drawn from the
//! store's random source, shown once, and kept only as its SHA-256.

use super::{FieldProblems, Refusal};
use crate::store::rbac::{ApiKey, API_KEY_PREFIX};
use crate::store::TenantKey;
use crate::store::{Store, Tenant};

/// An API key as a `POST /apikeys` or `PUT /apikeys/{id}` body describes it.
#[derive(Clone, Debug, Default)]
pub(crate) struct ApiKeyDraft {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// Unix seconds; `None` never expires.
    pub(crate) expires_at: Option<u64>,
    /// Permission names.
    pub(crate) permissions: Vec<String>,
}

/// Adds the key the draft describes (`POST /apikeys`) and returns it with the key itself,
/// which exists nowhere else from then on.
pub(crate) fn create_api_key(
    store: &mut Store,
    index: TenantKey,
    draft: ApiKeyDraft,
    mut problems: FieldProblems,
    now: u64,
) -> Result<(ApiKey, String), Refusal> {
    check(&store[index], &draft, &mut problems, now);
    problems.into_result()?;
    // SHA-256 of a short key costs about a microsecond, so it is done under the lock (unlike
    // argon2), and a refused call draws no key.
    let key = store.token(API_KEY_PREFIX);
    let api_key = ApiKey {
        id: store.id("key_"),
        name: draft.name,
        description: draft.description,
        key_hash: ApiKey::hash_of(&key),
        permissions: draft.permissions,
        expires_at: draft.expires_at,
        created_at: now,
    };
    store[index].rbac.api_keys.push(api_key.clone());
    Ok((api_key, key))
}

/// Replaces the key's record named by `id` (`PUT /apikeys/{id}`); the key itself stays.
pub(crate) fn replace_api_key(
    store: &mut Store,
    index: TenantKey,
    id: &str,
    draft: ApiKeyDraft,
    mut problems: FieldProblems,
    now: u64,
) -> Result<ApiKey, Refusal> {
    let tenant = &mut store[index];
    let position = position(tenant, id)?;
    check(tenant, &draft, &mut problems, now);
    problems.into_result()?;
    let api_key = &mut tenant.rbac.api_keys[position];
    api_key.name = draft.name;
    api_key.description = draft.description;
    api_key.expires_at = draft.expires_at;
    api_key.permissions = draft.permissions;
    Ok(api_key.clone())
}

/// Deletes the key named by `id` (`DELETE /apikeys/{id}`); it stops working at once.
pub(crate) fn delete_api_key(store: &mut Store, index: TenantKey, id: &str) -> Result<(), Refusal> {
    let tenant = &mut store[index];
    let position = position(tenant, id)?;
    tenant.rbac.api_keys.remove(position);
    Ok(())
}

/// The key a path names, by its id.
pub(crate) fn find_api_key<'t>(tenant: &'t Tenant, id: &str) -> Result<&'t ApiKey, Refusal> {
    tenant
        .rbac
        .api_keys
        .iter()
        .find(|k| k.id == id)
        .ok_or_else(|| {
            Refusal::NotFound(format!(
                "no API key with id {id:?}; GET /apikeys lists them (by id: the key itself is never looked up here)"
            ))
        })
}

fn position(tenant: &Tenant, id: &str) -> Result<usize, Refusal> {
    let found = find_api_key(tenant, id)?.id.clone();
    Ok(tenant
        .rbac
        .api_keys
        .iter()
        .position(|k| k.id == found)
        .expect("the key was just found"))
}

fn check(tenant: &Tenant, draft: &ApiKeyDraft, problems: &mut FieldProblems, now: u64) {
    let known = tenant.rbac.permissions.iter().map(|p| p.name.as_str());
    problems.unknown_names("permissions", "permission", &draft.permissions, known);
    if draft.expires_at.is_some_and(|at| at <= now) {
        problems.add(
            "expiresAt",
            "Must be later than the server's current time (auth.now() in Rust); leave it out for a key that never expires",
        );
    }
}
