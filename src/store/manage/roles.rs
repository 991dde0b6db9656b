//! Roles made, replaced and deleted through the identity face. Users hold roles by name, so
//! renaming or deleting a role follows through to every user that holds it.

use super::{FieldProblems, Refusal};
use crate::store::rbac::Role;
use crate::store::TenantKey;
use crate::store::{Store, Tenant};

/// A role as a `POST /roles` or `PUT /roles/{id}` body describes it, checked field by field.
#[derive(Clone, Debug, Default)]
pub(crate) struct RoleDraft {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// Permission names.
    pub(crate) permissions: Vec<String>,
}

/// Adds the role the draft describes (`POST /roles`).
pub(crate) fn create_role(
    store: &mut Store,
    index: TenantKey,
    draft: RoleDraft,
    mut problems: FieldProblems,
    now: u64,
) -> Result<Role, Refusal> {
    check_permissions(&store[index], &draft, &mut problems);
    problems.into_result()?;
    check_unique(&store[index], &draft.name, None)?;
    let role = Role {
        id: store.id("role_"),
        name: draft.name,
        description: draft.description,
        permissions: draft.permissions,
        created_at: now,
    };
    store[index].rbac.roles.push(role.clone());
    Ok(role)
}

/// Replaces the role named by `id_or_name` (`PUT /roles/{id}`); a new name replaces the old
/// one in every user's roles.
pub(crate) fn replace_role(
    store: &mut Store,
    index: TenantKey,
    id_or_name: &str,
    draft: RoleDraft,
    mut problems: FieldProblems,
) -> Result<Role, Refusal> {
    let tenant = &mut store[index];
    let position = position(tenant, id_or_name)?;
    check_permissions(tenant, &draft, &mut problems);
    problems.into_result()?;
    let old_name = tenant.rbac.roles[position].name.clone();
    check_unique(tenant, &draft.name, Some(position))?;
    if draft.name != old_name {
        for user in tenant.users.values_mut() {
            rename_in(&mut user.roles, &old_name, &draft.name);
        }
    }
    let role = &mut tenant.rbac.roles[position];
    role.name = draft.name;
    role.description = draft.description;
    role.permissions = draft.permissions;
    Ok(role.clone())
}

/// Deletes the role named by `id_or_name` (`DELETE /roles/{id}`); every user loses it.
pub(crate) fn delete_role(
    store: &mut Store,
    index: TenantKey,
    id_or_name: &str,
) -> Result<(), Refusal> {
    let tenant = &mut store[index];
    let position = position(tenant, id_or_name)?;
    let role = tenant.rbac.roles.remove(position);
    for user in tenant.users.values_mut() {
        user.roles.retain(|r| *r != role.name);
    }
    Ok(())
}

/// The role a path names: its id or its name.
pub(crate) fn find_role<'t>(tenant: &'t Tenant, id_or_name: &str) -> Result<&'t Role, Refusal> {
    tenant.rbac.role(id_or_name).ok_or_else(|| {
        Refusal::NotFound(format!(
            "no role with id or name {id_or_name:?}; GET /roles lists them"
        ))
    })
}

fn position(tenant: &Tenant, id_or_name: &str) -> Result<usize, Refusal> {
    let id = find_role(tenant, id_or_name)?.id.clone();
    Ok(tenant
        .rbac
        .roles
        .iter()
        .position(|r| r.id == id)
        .expect("the role was just found"))
}

/// Replaces `old` by `new` in `names`, keeping its place and never listing a name twice.
pub(super) fn rename_in(names: &mut Vec<String>, old: &str, new: &str) {
    if let Some(at) = names.iter().position(|n| n == old) {
        if names.iter().any(|n| n == new) {
            names.remove(at);
        } else {
            names[at] = new.to_owned();
        }
    }
}

fn check_permissions(tenant: &Tenant, draft: &RoleDraft, problems: &mut FieldProblems) {
    let known = tenant.rbac.permissions.iter().map(|p| p.name.as_str());
    problems.unknown_names("permissions", "permission", &draft.permissions, known);
}

/// No other role may have the name.
fn check_unique(tenant: &Tenant, name: &str, own: Option<usize>) -> Result<(), Refusal> {
    let taken = tenant
        .rbac
        .roles
        .iter()
        .enumerate()
        .any(|(i, r)| Some(i) != own && r.name == name);
    if taken {
        return Err(Refusal::conflict(
            "name",
            format!("A role named {name:?} already exists; pick another name or PUT /roles/{name} to change it"),
        ));
    }
    Ok(())
}
