//! Users made, replaced and deleted through the identity face.

use super::{FieldProblems, Refusal};
use crate::store::rbac::IdentityProfile;
use crate::store::TenantKey;
use crate::store::{NewUser, Store, Tenant, User, UserClash};

/// A user as a `POST /users` or `PUT /users/{id}` body describes it, already checked field
/// by field (the problems found travel beside it).
#[derive(Clone, Debug, Default)]
pub(crate) struct UserDraft {
    pub(crate) username: String,
    pub(crate) email: String,
    /// The argon2 hash of the new password, computed before the lock; `None` on a `PUT`
    /// keeps the old one (and on a `POST` means the password field was refused).
    pub(crate) password_hash: Option<String>,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    /// Role names.
    pub(crate) roles: Vec<String>,
    /// Permission names granted directly.
    pub(crate) permissions: Vec<String>,
}

impl UserDraft {
    /// The OIDC display name (`name` claim): first and last name, or the username.
    fn display_name(&self) -> String {
        let parts: Vec<&str> = [&self.first_name, &self.last_name]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        if parts.is_empty() {
            self.username.clone()
        } else {
            parts.join(" ")
        }
    }
}

/// Registers the user the draft describes (`POST /users`).
pub(crate) fn create_user(
    store: &mut Store,
    index: TenantKey,
    draft: UserDraft,
    mut problems: FieldProblems,
    now: u64,
) -> Result<User, Refusal> {
    check_names(&store[index], &draft, &mut problems);
    let Some(password_hash) = draft.password_hash.clone() else {
        if problems.is_empty() {
            problems.add("password", "Required");
        }
        return Err(Refusal::Invalid(problems));
    };
    problems.into_result()?;
    let new = NewUser {
        name: draft.display_name(),
        username: draft.username,
        password_hash,
        email: draft.email,
        email_verified: true,
        roles: draft.roles,
        identity: IdentityProfile {
            first_name: draft.first_name,
            last_name: draft.last_name,
            permissions: draft.permissions,
            created_at: now,
        },
        ..NewUser::default()
    };
    store.add_user(index, new, now).map_err(clash)
}

/// Replaces the user named by `id_or_username` with the draft (`PUT /users/{id}`): every
/// field but the id, the creation time, the password (unless the draft has a new one), the
/// custom claims, MFA and the lockout state.
pub(crate) fn replace_user(
    store: &mut Store,
    index: TenantKey,
    id_or_username: &str,
    draft: UserDraft,
    mut problems: FieldProblems,
) -> Result<User, Refusal> {
    let tenant = &mut store[index];
    let id = user_id(tenant, id_or_username)?;
    check_names(tenant, &draft, &mut problems);
    problems.into_result()?;
    if let Some(found) = tenant.user_clash(Some(&id), None, &draft.username, &draft.email) {
        return Err(clash(found));
    }
    let name = draft.display_name();
    let user = tenant.users.get_mut(&id).expect("the id was just found");
    if let Some(hash) = draft.password_hash {
        user.password_hash = hash.into();
    }
    user.name = name;
    user.username = draft.username;
    user.email = draft.email;
    user.roles = draft.roles;
    user.identity.first_name = draft.first_name;
    user.identity.last_name = draft.last_name;
    user.identity.permissions = draft.permissions;
    Ok(user.clone())
}

/// Deletes the user named by `id_or_username` (`DELETE /users/{id}`). The tenant's default
/// user stays: `auth.default_user()` and in-process minting rely on it.
pub(crate) fn delete_user(
    store: &mut Store,
    index: TenantKey,
    id_or_username: &str,
) -> Result<(), Refusal> {
    let tenant = &mut store[index];
    let id = user_id(tenant, id_or_username)?;
    if id == tenant.default_user {
        return Err(Refusal::conflict(
            "id",
            format!(
                "user {:?} is the tenant's default user (auth.default_user()) and cannot be deleted; create a user for the test with POST /users and delete that one",
                tenant.users[&id].username
            ),
        ));
    }
    tenant.users.remove(&id);
    Ok(())
}

/// The user a path names: its id or its username.
pub(crate) fn find_user<'t>(tenant: &'t Tenant, id_or_username: &str) -> Result<&'t User, Refusal> {
    tenant
        .users
        .get(id_or_username)
        .or_else(|| tenant.users.values().find(|u| u.username == id_or_username))
        .ok_or_else(|| {
            Refusal::NotFound(format!(
                "no user with id or username {id_or_username:?}; GET /users lists them"
            ))
        })
}

fn user_id(tenant: &Tenant, id_or_username: &str) -> Result<String, Refusal> {
    find_user(tenant, id_or_username).map(|u| u.id.clone())
}

/// Every role and permission the draft names must exist.
fn check_names(tenant: &Tenant, draft: &UserDraft, problems: &mut FieldProblems) {
    let roles = tenant.rbac.roles.iter().map(|r| r.name.as_str());
    problems.unknown_names("roles", "role", &draft.roles, roles);
    let permissions = tenant.rbac.permissions.iter().map(|p| p.name.as_str());
    problems.unknown_names("permissions", "permission", &draft.permissions, permissions);
}

/// A clash with another user, in the face's words.
fn clash(clash: UserClash) -> Refusal {
    let mut fields = FieldProblems::default();
    let message = match &clash {
        UserClash::Username(name) => format!("Username {name:?} is taken; pick another"),
        UserClash::Email(email) => format!("Email {email:?} belongs to another user; pick another"),
        UserClash::Id(_) => clash.describe(),
    };
    fields.add(clash.field(), message);
    Refusal::Conflict(
        "A user with this username or email already exists".to_owned(),
        fields,
    )
}
