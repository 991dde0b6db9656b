//! The one way a user enters a tenant, whoever asks (fixtures, config files, the admin API,
//! the identity and service faces), and the one uniqueness rule: ids, usernames and emails
//! are unique per tenant, usernames and emails regardless of case, and no username is
//! another user's email (a login name finds users by either).

use serde_json::{Map, Value};

use super::rbac::{IdentityProfile, Role};
use super::TenantKey;
use super::{ServiceAccount, Store, Tenant, User};

/// A user to add: everything but the id is decided by the caller.
#[derive(Clone, Debug, Default)]
pub(crate) struct NewUser {
    /// A fixed id (`sub`); a random `usr_…` otherwise.
    pub(crate) id: Option<String>,
    pub(crate) username: String,
    /// argon2id PHC string, hashed by the caller before it took the lock.
    pub(crate) password_hash: String,
    pub(crate) email: String,
    pub(crate) email_verified: bool,
    pub(crate) name: String,
    pub(crate) roles: Vec<String>,
    pub(crate) claims: Map<String, Value>,
    pub(crate) totp_secret: Option<Vec<u8>>,
    pub(crate) identity: IdentityProfile,
    pub(crate) service: Option<ServiceAccount>,
}

/// Which field of a user clashes with another user of the tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum UserClash {
    Id(String),
    Username(String),
    Email(String),
}

impl UserClash {
    /// The field at fault, by its wire name.
    pub(crate) fn field(&self) -> &'static str {
        match self {
            UserClash::Id(_) => "id",
            UserClash::Username(_) => "username",
            UserClash::Email(_) => "email",
        }
    }

    /// What clashes and how to fix it.
    pub(crate) fn describe(&self) -> String {
        match self {
            UserClash::Id(id) => format!("a user with id {id:?} already exists; pick another id"),
            UserClash::Username(name) => {
                format!("user {name:?} already exists; pick another username")
            }
            UserClash::Email(email) => {
                format!("email {email:?} belongs to another user; pick another")
            }
        }
    }
}

impl Tenant {
    /// The first clash of a user named `username` with email `email` (and, when given, id
    /// `new_id`) with another user than `own_id`.
    pub(crate) fn user_clash(
        &self,
        own_id: Option<&str>,
        new_id: Option<&str>,
        username: &str,
        email: &str,
    ) -> Option<UserClash> {
        if let Some(id) = new_id.filter(|id| self.users.contains_key(*id)) {
            return Some(UserClash::Id(id.to_owned()));
        }
        let others = || {
            self.users
                .values()
                .filter(move |u| Some(u.id.as_str()) != own_id)
        };
        let same = |a: &str, b: &str| !a.is_empty() && a.eq_ignore_ascii_case(b);
        if others().any(|u| same(&u.username, username) || same(&u.email, username)) {
            return Some(UserClash::Username(username.to_owned()));
        }
        if others().any(|u| same(&u.email, email) || same(&u.username, email)) {
            return Some(UserClash::Email(email.to_owned()));
        }
        None
    }

    /// The names of `roles` that have no [`Role`] record.
    fn unrecorded_roles(&self, roles: &[String]) -> Vec<String> {
        let mut missing: Vec<String> = Vec::new();
        for name in roles {
            if !self.rbac.roles.iter().any(|r| &r.name == name) && !missing.contains(name) {
                missing.push(name.clone());
            }
        }
        missing
    }
}

impl Store {
    /// Adds a user to tenant `index` at `now`, or says which field clashes (nothing changes
    /// then).
    pub(crate) fn add_user(
        &mut self,
        index: TenantKey,
        new: NewUser,
        now: u64,
    ) -> Result<User, UserClash> {
        let tenant = &self[index];
        if let Some(clash) = tenant.user_clash(None, new.id.as_deref(), &new.username, &new.email) {
            return Err(clash);
        }
        let id = new.id.unwrap_or_else(|| self.id("usr_"));
        let user = User {
            id: id.clone(),
            username: new.username,
            password_hash: new.password_hash.into(),
            email: new.email,
            email_verified: new.email_verified,
            name: new.name,
            roles: new.roles,
            claims: new.claims,
            totp_secret: new.totp_secret.into(),
            lockout: Default::default(),
            identity: IdentityProfile {
                created_at: now,
                ..new.identity
            },
            service: new.service,
            last_sign_in: None,
        };
        // A role named freely (e.g. `testuser`'s "user") gets a record without permissions,
        // so every face lists the roles users hold.
        for name in self[index].unrecorded_roles(&user.roles) {
            let role = Role {
                id: self.id("role_"),
                name,
                description: None,
                permissions: Vec::new(),
                created_at: now,
            };
            self[index].rbac.roles.push(role);
        }
        self[index].users.insert(id, user.clone());
        Ok(user)
    }
}
