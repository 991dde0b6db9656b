//! AWS Cognito user pools: issuer `/{user pool id}`; `token_use` telling access tokens from
//! id_tokens; access tokens with `client_id` and no `aud`; groups in `cognito:groups`.

use serde_json::json;

use super::{add, segment_problem, Claims, TokenContext};

/// The Cognito preset; made by [`Preset::cognito`](super::Preset::cognito).
///
/// Access tokens carry `token_use: access`, `client_id`, `scope`, `username`, `version: 2`
/// and no `aud` (a verifier checks `client_id` instead, as aws-jwt-verify does). id_tokens
/// carry `token_use: id`, `aud` = the client id (a string), `cognito:username`. A user's
/// roles are its groups (`cognito:groups`, left out when there are none, as Cognito does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cognito {
    user_pool_id: String,
}

impl Cognito {
    /// The user pool `user_pool_id` (e.g. `us-east-1_Example`).
    ///
    /// # Panics
    /// If `user_pool_id` is not a URL-safe path segment.
    pub fn new(user_pool_id: impl Into<String>) -> Self {
        let user_pool_id = user_pool_id.into();
        let example = "us-east-1_Example";
        if let Some(problem) = segment_problem("Cognito user pool id", &user_pool_id, example) {
            panic!("{problem}");
        }
        Self { user_pool_id }
    }

    /// The user pool's id.
    pub fn user_pool_id(&self) -> &str {
        &self.user_pool_id
    }

    pub(crate) fn issuer_path(&self) -> String {
        format!("/{}", self.user_pool_id)
    }

    pub(crate) fn shape_access(&self, claims: &mut Claims, token: &TokenContext<'_>) {
        claims.remove("aud");
        claims.insert("token_use".into(), json!("access"));
        add(claims, "version", json!(2));
        if let Some(user) = token.user {
            claims.remove("preferred_username");
            add(claims, "username", json!(user.username));
        }
        groups(claims);
    }

    pub(crate) fn shape_id(&self, claims: &mut Claims, token: &TokenContext<'_>) {
        claims.insert("token_use".into(), json!("id"));
        claims.insert("aud".into(), json!(token.client_id));
        claims.remove("azp");
        if let Some(user) = token.user {
            add(claims, "cognito:username", json!(user.username));
        }
        groups(claims);
    }
}

/// Roles become `cognito:groups`, and no groups means no claim.
fn groups(claims: &mut Claims) {
    if let Some(roles) = claims.remove("roles") {
        if roles.as_array().is_some_and(|r| !r.is_empty()) {
            add(claims, "cognito:groups", roles);
        }
    }
}
