//! The identity face's answer shapes for users, roles, permissions and API keys
//! (docs/identity.md#management): camelCase fields, times in ISO 8601 UTC, and never a
//! password, its hash or an API key's hash.

use serde_json::{json, Value};

use super::timestamp;
use crate::store::rbac::{ApiKey, Permission, Role};
use crate::store::User;

/// `{id, username, email, firstName, lastName, roles, permissions, createdAt}`;
/// `permissions` are those granted to the user directly (its effective ones are at
/// `/users/{id}/permissions`).
pub(crate) fn user(user: &User) -> Value {
    json!({
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "firstName": user.identity.first_name,
        "lastName": user.identity.last_name,
        "roles": user.roles,
        "permissions": user.identity.permissions,
        "createdAt": timestamp::format(user.identity.created_at),
    })
}

/// `{id, name, description, permissions, createdAt}`.
pub(crate) fn role(role: &Role) -> Value {
    json!({
        "id": role.id,
        "name": role.name,
        "description": role.description,
        "permissions": role.permissions,
        "createdAt": timestamp::format(role.created_at),
    })
}

/// `{id, name, description, category, createdAt}`.
pub(crate) fn permission(permission: &Permission) -> Value {
    json!({
        "id": permission.id,
        "name": permission.name,
        "description": permission.description,
        "category": permission.category,
        "createdAt": timestamp::format(permission.created_at),
    })
}

/// `{id, name, description, expiresAt, permissions, createdAt}`, plus `key` when the key
/// was just made (the only time it is shown).
pub(crate) fn api_key(api_key: &ApiKey, just_made: Option<&str>) -> Value {
    let mut view = json!({
        "id": api_key.id,
        "name": api_key.name,
        "description": api_key.description,
        "expiresAt": api_key.expires_at.map(timestamp::format),
        "permissions": api_key.permissions,
        "createdAt": timestamp::format(api_key.created_at),
    });
    if let Some(key) = just_made {
        view["key"] = json!(key);
    }
    view
}

/// A JSON array of views.
pub(crate) fn list<T>(items: &[T], view: impl Fn(&T) -> Value) -> Value {
    Value::Array(items.iter().map(view).collect())
}
