//! Reading the server's own access tokens back (at `/userinfo`, `/introspect`, `/revoke`)
//! whatever names a preset gave the client and the scopes.

use serde_json::{Map, Value};

/// The client an access token was issued to: `client_id` (RFC 9068, Cognito), `cid` (Okta)
/// or `azp` (Keycloak, Auth0, Entra).
pub(crate) fn token_client(claims: &Map<String, Value>) -> Option<&str> {
    ["client_id", "cid", "azp"]
        .iter()
        .find_map(|name| claims.get(*name).and_then(Value::as_str))
}

/// The scopes of an access token, space-separated: `scope`, or `scp` as a string (Entra) or
/// an array (Okta); empty when it has none.
pub(crate) fn token_scope(claims: &Map<String, Value>) -> String {
    match claims.get("scope").or_else(|| claims.get("scp")) {
        Some(Value::String(scope)) => scope.clone(),
        Some(Value::Array(scopes)) => scopes
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn every_providers_client_and_scope_names_are_read() {
        let rfc = claims(json!({"client_id": "web", "scope": "openid email"}));
        let okta = claims(json!({"cid": "web", "scp": ["openid", "email"]}));
        let entra = claims(json!({"azp": "web", "scp": "openid email"}));
        for token in [rfc, okta, entra] {
            assert_eq!(token_client(&token), Some("web"));
            assert_eq!(token_scope(&token), "openid email");
        }
        assert_eq!(token_scope(&Map::new()), "");
        assert_eq!(token_client(&Map::new()), None);
    }
}
