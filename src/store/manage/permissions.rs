//! Permissions made, replaced and deleted through the identity face. Roles, users and API
//! keys hold permissions by name, so renaming or deleting one follows through to all three.

use super::roles::rename_in;
use super::{FieldProblems, Refusal};
use crate::store::rbac::{Permission, MANAGE_PERMISSIONS};
use crate::store::TenantKey;
use crate::store::{Store, Tenant};

/// A permission as a `POST /permissions` or `PUT /permissions/{id}` body describes it.
#[derive(Clone, Debug, Default)]
pub(crate) struct PermissionDraft {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) category: Option<String>,
}

/// Adds the permission the draft describes (`POST /permissions`).
pub(crate) fn create_permission(
    store: &mut Store,
    index: TenantKey,
    draft: PermissionDraft,
    problems: FieldProblems,
    now: u64,
) -> Result<Permission, Refusal> {
    problems.into_result()?;
    check_unique(&store[index], &draft.name, None)?;
    let permission = Permission {
        id: store.id("perm_"),
        name: draft.name,
        description: draft.description,
        category: draft.category,
        created_at: now,
    };
    store[index].rbac.permissions.push(permission.clone());
    Ok(permission)
}

/// Replaces the permission named by `id_or_name` (`PUT /permissions/{id}`); a new name
/// replaces the old one in every role, user and API key that holds it.
pub(crate) fn replace_permission(
    store: &mut Store,
    index: TenantKey,
    id_or_name: &str,
    draft: PermissionDraft,
    problems: FieldProblems,
) -> Result<Permission, Refusal> {
    let tenant = &mut store[index];
    let position = position(tenant, id_or_name)?;
    problems.into_result()?;
    let old_name = tenant.rbac.permissions[position].name.clone();
    if draft.name != old_name {
        refuse_if_built_in(&old_name, "renamed")?;
        check_unique(tenant, &draft.name, Some(position))?;
        for_each_holder(tenant, |names| rename_in(names, &old_name, &draft.name));
    }
    let permission = &mut tenant.rbac.permissions[position];
    permission.name = draft.name;
    permission.description = draft.description;
    permission.category = draft.category;
    Ok(permission.clone())
}

/// Deletes the permission named by `id_or_name` (`DELETE /permissions/{id}`); every role,
/// user and API key loses it.
pub(crate) fn delete_permission(
    store: &mut Store,
    index: TenantKey,
    id_or_name: &str,
) -> Result<(), Refusal> {
    let tenant = &mut store[index];
    let position = position(tenant, id_or_name)?;
    refuse_if_built_in(&tenant.rbac.permissions[position].name, "deleted")?;
    let gone = tenant.rbac.permissions.remove(position);
    for_each_holder(tenant, |names| names.retain(|n| *n != gone.name));
    Ok(())
}

/// The permission a path names: its id or its name.
pub(crate) fn find_permission<'t>(
    tenant: &'t Tenant,
    id_or_name: &str,
) -> Result<&'t Permission, Refusal> {
    tenant.rbac.permission(id_or_name).ok_or_else(|| {
        Refusal::NotFound(format!(
            "no permission with id or name {id_or_name:?}; GET /permissions lists them"
        ))
    })
}

fn position(tenant: &Tenant, id_or_name: &str) -> Result<usize, Refusal> {
    let id = find_permission(tenant, id_or_name)?.id.clone();
    Ok(tenant
        .rbac
        .permissions
        .iter()
        .position(|p| p.id == id)
        .expect("the permission was just found"))
}

/// Runs `change` on the permission list of every role, user and API key of the tenant.
fn for_each_holder(tenant: &mut Tenant, mut change: impl FnMut(&mut Vec<String>)) {
    for role in &mut tenant.rbac.roles {
        change(&mut role.permissions);
    }
    for user in tenant.users.values_mut() {
        change(&mut user.identity.permissions);
    }
    for key in &mut tenant.rbac.api_keys {
        change(&mut key.permissions);
    }
}

/// The four `*:Manage` permissions guard the face itself; they exist in every tenant.
fn refuse_if_built_in(name: &str, verb: &str) -> Result<(), Refusal> {
    if MANAGE_PERMISSIONS.contains(&name) {
        return Err(Refusal::conflict(
            "name",
            format!("{name:?} guards a group of the identity API and cannot be {verb}; its description and category may change"),
        ));
    }
    Ok(())
}

/// No other permission may have the name.
fn check_unique(tenant: &Tenant, name: &str, own: Option<usize>) -> Result<(), Refusal> {
    let taken = tenant
        .rbac
        .permissions
        .iter()
        .enumerate()
        .any(|(i, p)| Some(i) != own && p.name == name);
    if taken {
        return Err(Refusal::conflict(
            "name",
            format!("A permission named {name:?} already exists; pick another name"),
        ));
    }
    Ok(())
}
