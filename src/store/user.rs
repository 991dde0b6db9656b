//! A user (resource owner) of a tenant.

use serde_json::{Map, Value};

use crate::types::Redacted;

/// A registered user.
#[derive(Clone, Debug)]
pub(crate) struct User {
    /// The stable subject identifier (`sub`).
    pub(crate) id: String,
    pub(crate) username: String,
    /// argon2id PHC string.
    pub(crate) password_hash: Redacted<String>,
    pub(crate) email: String,
    pub(crate) email_verified: bool,
    pub(crate) name: String,
    pub(crate) roles: Vec<String>,
    /// Extra claims, added to id_tokens, access tokens and userinfo.
    pub(crate) claims: Map<String, Value>,
    /// The raw TOTP secret when MFA is on.
    pub(crate) totp_secret: Redacted<Option<Vec<u8>>>,
    /// Failed password logins on any face, and the lockout they started.
    pub(crate) lockout: super::Lockout,
    /// Names, direct permissions, creation time and lockout state (identity face).
    pub(crate) identity: super::rbac::IdentityProfile,
    /// The `type` and `refId` of an account made by the service face's `/auth/register`;
    /// `None` for every other user (type `"user"`, refId = its id, to that face).
    pub(crate) service: Option<ServiceAccount>,
    /// When a session was last issued to the user by the apps face (Unix seconds).
    pub(crate) last_sign_in: Option<u64>,
}

/// What the service face's `/auth/register` keeps about an account beyond the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ServiceAccount {
    /// The `type` it was registered with (`"user"`, `"device"`, …).
    pub(crate) kind: String,
    /// The `refId`: the registering application's own id for it.
    pub(crate) ref_id: String,
}

impl User {
    /// The OIDC profile of the user, as `/userinfo` answers it.
    pub(crate) fn profile(&self) -> Map<String, Value> {
        let mut profile = Map::new();
        profile.insert("sub".into(), Value::from(self.id.as_str()));
        profile.insert("name".into(), Value::from(self.name.as_str()));
        profile.insert(
            "preferred_username".into(),
            Value::from(self.username.as_str()),
        );
        profile.insert("email".into(), Value::from(self.email.as_str()));
        profile.insert("email_verified".into(), Value::from(self.email_verified));
        profile.insert("roles".into(), Value::from(self.roles.clone()));
        // A custom claim never replaces a standard one (see `UserBuilder::claim`).
        for (k, v) in &self.claims {
            profile.entry(k.clone()).or_insert_with(|| v.clone());
        }
        profile
    }
}
