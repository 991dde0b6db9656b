//! Records that came from outside the identity face (fixtures, the admin API, config files,
//! a tenant's start) made whole before the face shows or changes them.

use crate::store::rbac::Role;
use crate::store::Store;

/// Gives every role name a user holds without a [`Role`] record (fixtures name roles
/// freely, e.g. `testuser`'s `"user"`) a record without permissions, so that the face can
/// list it and a user can be sent back with the roles it was read with; and stamps the
/// creation time of users and permissions made before the face first saw them (they carry
/// 0) with `now`.
pub(crate) fn adopt_outside_records(store: &mut Store, index: usize, now: u64) {
    let mut orphans: Vec<String> = Vec::new();
    {
        let tenant = &store.tenants[index];
        for role in tenant.users.values().flat_map(|u| &u.roles) {
            let known = tenant.rbac.roles.iter().any(|r| &r.name == role);
            if !known && !orphans.contains(role) {
                orphans.push(role.clone());
            }
        }
    }
    orphans.sort();
    for name in orphans {
        let id = store.id("role_");
        store.tenants[index].rbac.roles.push(Role {
            id,
            name,
            description: None,
            permissions: Vec::new(),
            created_at: now,
        });
    }
    let tenant = &mut store.tenants[index];
    for user in tenant.users.values_mut() {
        if user.identity.created_at == 0 {
            user.identity.created_at = now;
        }
    }
    for permission in &mut tenant.rbac.permissions {
        if permission.created_at == 0 {
            permission.created_at = now;
        }
    }
}
