//! Keycloak: issuer `/realms/{realm}`; roles in `realm_access.roles` and, per client,
//! `resource_access.{client}.roles`; `typ: Bearer` access tokens and `typ: ID` id_tokens;
//! `azp` and `session_state` naming the client and the session.

use serde_json::{json, Map, Value};

use super::{add, segment_problem, Claims, TokenContext};

/// The Keycloak preset; made by [`Preset::keycloak`](super::Preset::keycloak).
///
/// A user's roles are realm roles, except a role written `client:role`, which is a role of
/// that client: `auth.user("alice").roles(["user", "web:admin"])` gives
/// `realm_access.roles = ["user"]` and `resource_access.web.roles = ["admin"]`, as Keycloak's
/// role mappers do. Client-credentials tokens belong to the client's service account
/// (`preferred_username: service-account-{client}`) and keep `client_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keycloak {
    realm: String,
}

impl Keycloak {
    /// The realm `realm`.
    ///
    /// # Panics
    /// If `realm` is not a URL-safe path segment.
    pub fn new(realm: impl Into<String>) -> Self {
        let realm = realm.into();
        if let Some(problem) = segment_problem("Keycloak realm", &realm, "acme") {
            panic!("{problem}");
        }
        Self { realm }
    }

    /// The realm's name.
    pub fn realm(&self) -> &str {
        &self.realm
    }

    pub(crate) fn issuer_path(&self) -> String {
        format!("/realms/{}", self.realm)
    }

    pub(crate) fn shape_access(&self, claims: &mut Claims, token: &TokenContext<'_>) {
        claims.insert("typ".into(), json!("Bearer"));
        claims.insert("azp".into(), json!(token.client_id));
        add(claims, "acr", json!("1"));
        share_session(claims);
        match token.user {
            Some(user) => {
                // Keycloak names the client in `azp`; `client_id` is a service account's.
                claims.remove("client_id");
                claims.remove("roles");
                let (realm_roles, client_roles) = split_roles(user.roles);
                add(claims, "realm_access", json!({ "roles": realm_roles }));
                if !client_roles.is_empty() {
                    add(claims, "resource_access", Value::Object(client_roles));
                }
                if token.has_scope("email") {
                    add(claims, "email", json!(user.email));
                    add(claims, "email_verified", json!(user.email_verified));
                }
                if token.has_scope("profile") {
                    add(claims, "name", json!(user.name));
                }
            }
            None => {
                let account = format!("service-account-{}", token.client_id);
                add(claims, "preferred_username", json!(account));
            }
        }
    }

    pub(crate) fn shape_id(&self, claims: &mut Claims, _token: &TokenContext<'_>) {
        claims.insert("typ".into(), json!("ID"));
        claims.remove("roles");
        share_session(claims);
    }
}

/// Keycloak's `session_state` is the session id (`sid`).
fn share_session(claims: &mut Claims) {
    if let Some(sid) = claims.get("sid").cloned() {
        add(claims, "session_state", sid);
    }
}

/// Realm roles, and client roles grouped as `resource_access` wants them.
fn split_roles(roles: &[String]) -> (Vec<&str>, Map<String, Value>) {
    let mut realm = Vec::new();
    let mut by_client = Map::new();
    for role in roles {
        match role.split_once(':') {
            Some((client, role)) if !client.is_empty() && !role.is_empty() => {
                let entry = by_client
                    .entry(client.to_owned())
                    .or_insert_with(|| json!({ "roles": [] }));
                if let Some(list) = entry["roles"].as_array_mut() {
                    list.push(json!(role));
                }
            }
            _ => realm.push(role.as_str()),
        }
    }
    (realm, by_client)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_roles_are_split_from_realm_roles() {
        let roles = ["user", "web:admin", "web:audit", "api:read"].map(String::from);
        let (realm, clients) = split_roles(&roles);
        assert_eq!(realm, ["user"]);
        assert_eq!(
            Value::Object(clients),
            json!({ "web": { "roles": ["admin", "audit"] }, "api": { "roles": ["read"] } })
        );
    }
}
