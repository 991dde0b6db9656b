//! What every tenant starts with: a confidential default client with every grant, and the
//! user `testuser` / `password123`.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use super::{Client, NewUser, RedirectPolicy, Store};
use crate::password;
use crate::types::{ClientId, ClientSecret, GrantType};

/// The default user's username.
pub const DEFAULT_USERNAME: &str = "testuser";
/// The default user's password (and the default password of users made without one).
pub const DEFAULT_PASSWORD: &str = "password123";

/// The hash of the default user's password, computed once per process: every server has
/// that user, and hashing on each start would cost more than the whole start budget.
pub(crate) fn default_password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| password::hash(DEFAULT_PASSWORD))
        .clone()
}

/// The scopes a client gets unless it is declared with others.
pub(crate) const DEFAULT_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];

/// The default client: these credentials, or random ones; any loopback redirect URI.
pub(crate) fn default_client(
    store: &mut Store,
    id: Option<String>,
    secret: Option<String>,
) -> Client {
    let id = ClientId::new(id.unwrap_or_else(|| store.id("client_")));
    let secret = ClientSecret::new(secret.unwrap_or_else(|| store.token("")));
    Client {
        id,
        secret: Some(secret),
        name: "Default Client".to_owned(),
        redirect_uris: Vec::new(),
        redirect_policy: RedirectPolicy::AnyLoopback,
        post_logout_redirect_uris: Vec::new(),
        grant_types: GrantType::ALL.into_iter().collect::<BTreeSet<_>>(),
        scopes: DEFAULT_SCOPES.map(String::from).to_vec(),
    }
}

/// The user every tenant starts with: `testuser` / `password123`, role `"user"`.
pub(crate) fn default_user() -> NewUser {
    NewUser {
        username: DEFAULT_USERNAME.to_owned(),
        password_hash: default_password_hash(),
        email: format!("{DEFAULT_USERNAME}@example.test"),
        email_verified: true,
        name: DEFAULT_USERNAME.to_owned(),
        roles: vec!["user".to_owned()],
        ..NewUser::default()
    }
}
