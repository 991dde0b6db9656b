//! The identity face's management operations (docs/identity.md#management): create, replace
//! and delete users, roles, permissions and API keys of one tenant, under the store lock,
//! with the cascades that keep names consistent (a deleted or renamed role or permission is
//! removed or renamed everywhere it was granted).
//!
//! Each operation takes `&mut Store` (held by the caller for exactly this step), checks
//! everything before it changes anything, and so either applies whole or refuses with a
//! [`Refusal`] and leaves the tenant as it was.

mod api_keys;
mod permissions;
mod problems;
mod roles;
mod users;

pub(crate) use api_keys::{
    create_api_key, delete_api_key, find_api_key, replace_api_key, ApiKeyDraft,
};
pub(crate) use permissions::{
    create_permission, delete_permission, find_permission, replace_permission, PermissionDraft,
};
pub(crate) use problems::{FieldProblems, Refusal};
pub(crate) use roles::{create_role, delete_role, find_role, replace_role, RoleDraft};
pub(crate) use users::{create_user, delete_user, find_user, replace_user, UserDraft};

#[cfg(test)]
mod tests;
