//! Auth0: an issuer with a trailing slash (`https://{tenant}.auth0.com/`, here
//! `http://127.0.0.1:PORT/`); access tokens for an API audience, with `permissions` (RBAC),
//! `azp`, and `gty: client-credentials` on machine-to-machine tokens; custom claims under a
//! namespace.

use serde_json::{json, Value};

use super::{add, Claims, TokenContext};

/// Claims that stay where they are: the standard ones and Auth0's own. A custom claim of
/// another name is the user's and goes under the namespace.
const NOT_NAMESPACED: &[&str] = &[
    "permissions",
    "gty",
    "nickname",
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "nbf",
    "jti",
    "client_id",
    "scope",
    "sid",
    "auth_time",
    "preferred_username",
    "roles",
    "azp",
    "nonce",
    "name",
    "email",
    "email_verified",
    "at_hash",
];

/// The Auth0 preset; made by [`Preset::auth0`](super::Preset::auth0).
///
/// Access tokens carry `aud` = the API audience (plus `{issuer}userinfo` when `openid` was
/// asked for, as Auth0 does), `azp` = the client, and `permissions`: the user's roles, or
/// the granted scopes of a client-credentials token (which also has `gty:
/// client-credentials` and `sub: {client_id}@clients`). A user's custom claims and roles go
/// under the namespace (default `https://mockauth.test/`): `.claim("plan", "pro")` becomes
/// `https://mockauth.test/plan`, the roles `https://mockauth.test/roles`, as an Auth0 Action
/// would add them. A claim whose name is already a URL keeps it, and a user's own
/// `permissions` claim replaces the roles-derived one.
///
/// ```
/// use mockauth::{Auth0, Preset};
/// let preset = Preset::Auth0(Auth0::new("https://api.example.test").claim_namespace("https://example.test/"));
/// # let _ = preset;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth0 {
    audience: String,
    namespace: String,
}

impl Auth0 {
    /// Auth0 issuing access tokens for the API `audience`.
    pub fn new(audience: impl Into<String>) -> Self {
        Self {
            audience: audience.into(),
            namespace: "https://mockauth.test/".to_owned(),
        }
    }

    /// The prefix of custom claims (default `https://mockauth.test/`); use your app's.
    #[must_use]
    pub fn claim_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// The API audience of access tokens.
    pub fn audience(&self) -> &str {
        &self.audience
    }

    pub(crate) fn shape_access(&self, claims: &mut Claims, token: &TokenContext<'_>) {
        let audience = if token.has_scope("openid") {
            json!([self.audience, format!("{}userinfo", token.issuer)])
        } else {
            json!(self.audience)
        };
        claims.insert("aud".into(), audience);
        claims.insert("azp".into(), json!(token.client_id));
        claims.remove("client_id");
        match token.user {
            Some(user) => {
                add(claims, "permissions", json!(user.roles));
                self.namespace_claims(claims, token);
            }
            None => {
                claims.insert("sub".into(), json!(format!("{}@clients", token.client_id)));
                claims.insert("gty".into(), json!("client-credentials"));
                add(claims, "permissions", json!(token.scopes));
            }
        }
    }

    pub(crate) fn shape_id(&self, claims: &mut Claims, token: &TokenContext<'_>) {
        if let Some(user) = token.user {
            add(claims, "nickname", json!(user.username));
        }
        self.namespace_claims(claims, token);
    }

    /// Moves the user's custom claims and roles under the namespace.
    fn namespace_claims(&self, claims: &mut Claims, token: &TokenContext<'_>) {
        let Some(user) = token.user else { return };
        if let Some(roles) = claims.remove("roles") {
            add(claims, &format!("{}roles", self.namespace), roles);
        }
        for name in user.claims.keys() {
            if name.contains("://") || NOT_NAMESPACED.contains(&name.as_str()) {
                continue;
            }
            if let Some(value) = claims.remove(name) {
                let namespaced = format!("{}{name}", self.namespace);
                claims.entry(namespaced).or_insert(value as Value);
            }
        }
    }
}
