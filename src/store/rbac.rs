//! Roles, permissions and API keys: what the identity face manages (docs/identity.md). Users
//! name roles and permissions by name; a user's effective permissions are its own plus
//! those of its roles.

use std::collections::BTreeSet;

use super::{Tenant, User};

/// The permissions that guard the identity face's management groups; every tenant has them
/// from the start.
pub(crate) const MANAGE_PERMISSIONS: [&str; 4] = [
    "Users:Manage",
    "Roles:Manage",
    "Permissions:Manage",
    "ApiKeys:Manage",
];

/// A role: a named set of permissions.
#[derive(Clone, Debug)]
pub(crate) struct Role {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// Permission names.
    pub(crate) permissions: Vec<String>,
    /// Unix seconds, server clock.
    pub(crate) created_at: u64,
}

/// A permission.
#[derive(Clone, Debug)]
pub(crate) struct Permission {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) category: Option<String>,
    pub(crate) created_at: u64,
}

/// An API key (`mka_…`). Only its SHA-256 is kept; the key itself is shown once.
#[derive(Clone, Debug)]
pub(crate) struct ApiKey {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// Lowercase hex SHA-256 of the whole key.
    pub(crate) key_hash: String,
    /// Permission names.
    pub(crate) permissions: Vec<String>,
    /// Unix seconds; the key stops working at this time of the server clock.
    pub(crate) expires_at: Option<u64>,
    pub(crate) created_at: u64,
}

/// What every API key starts with.
pub(crate) const API_KEY_PREFIX: &str = "mka_";

impl ApiKey {
    /// The stored form of a presented key: lowercase hex SHA-256 of the whole key (prefix
    /// included). Creation and the `X-API-Key` guard both go through here, so they agree.
    pub(crate) fn hash_of(key: &str) -> String {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, key.as_bytes());
        digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether the key still works at `now` (Unix seconds, server clock): it expires at
    /// `expires_at`, inclusive.
    pub(crate) fn is_live(&self, now: u64) -> bool {
        self.expires_at.is_none_or(|at| now < at)
    }
}

/// What the identity face keeps about a user beyond the OIDC profile.
#[derive(Clone, Debug, Default)]
pub(crate) struct IdentityProfile {
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    /// Permission names granted to the user directly.
    pub(crate) permissions: Vec<String>,
    pub(crate) created_at: u64,
}

/// A tenant's roles, permissions and API keys.
#[derive(Clone, Debug)]
pub(crate) struct Rbac {
    pub(crate) roles: Vec<Role>,
    pub(crate) permissions: Vec<Permission>,
    pub(crate) api_keys: Vec<ApiKey>,
}

impl Rbac {
    /// A role named by its id or, failing that, its name.
    pub(crate) fn role(&self, id_or_name: &str) -> Option<&Role> {
        self.roles
            .iter()
            .find(|r| r.id == id_or_name)
            .or_else(|| self.roles.iter().find(|r| r.name == id_or_name))
    }

    /// A permission named by its id or, failing that, its name.
    pub(crate) fn permission(&self, id_or_name: &str) -> Option<&Permission> {
        self.permissions
            .iter()
            .find(|p| p.id == id_or_name)
            .or_else(|| self.permissions.iter().find(|p| p.name == id_or_name))
    }

    /// The four `*:Manage` permissions and nothing else.
    pub(crate) fn seeded(now: u64) -> Self {
        let permissions = MANAGE_PERMISSIONS
            .iter()
            .enumerate()
            .map(|(i, name)| Permission {
                id: format!("perm_{}", i + 1),
                name: (*name).to_owned(),
                description: Some(format!(
                    "Manage {} through the identity API",
                    name.trim_end_matches(":Manage")
                )),
                category: Some("Identity".to_owned()),
                created_at: now,
            })
            .collect();
        Self {
            roles: Vec::new(),
            permissions,
            api_keys: Vec::new(),
        }
    }
}

impl Tenant {
    /// A user's effective permissions: its own plus its roles', sorted, without repeats.
    pub(crate) fn effective_permissions(&self, user: &User) -> Vec<String> {
        self.granted_by(&user.roles, &user.identity.permissions)
            .into_iter()
            .collect()
    }

    /// What holding the roles named `roles` and the permissions `direct` grants.
    pub(crate) fn granted_by(&self, roles: &[String], direct: &[String]) -> BTreeSet<String> {
        let mut all: BTreeSet<String> = direct.iter().cloned().collect();
        for role in self.rbac.roles.iter().filter(|r| roles.contains(&r.name)) {
            all.extend(role.permissions.iter().cloned());
        }
        all
    }
}

/// The first permission of `granted` that `held` lacks. A caller may give a user, role or
/// API key only permissions it holds itself, so no grant raises anyone above its granter.
pub(crate) fn beyond_granter<'a>(
    held: &[String],
    granted: impl IntoIterator<Item = &'a String>,
) -> Option<&'a String> {
    granted.into_iter().find(|p| !held.contains(p))
}
