//! A user (resource owner) of a tenant.

use serde_json::{Map, Value};

/// A registered user.
#[derive(Clone, Debug)]
pub(crate) struct User {
    /// The stable subject identifier (`sub`).
    pub(crate) id: String,
    pub(crate) username: String,
    /// argon2id PHC string.
    pub(crate) password_hash: String,
    pub(crate) email: String,
    pub(crate) email_verified: bool,
    pub(crate) name: String,
    pub(crate) roles: Vec<String>,
    /// Extra claims, added to id_tokens, access tokens and userinfo.
    pub(crate) claims: Map<String, Value>,
    /// The raw TOTP secret when MFA is on.
    pub(crate) totp_secret: Option<Vec<u8>>,
    /// Names, direct permissions, creation time and lockout state (identity face).
    pub(crate) identity: super::rbac::IdentityProfile,
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
