//! [`IssuedTokens`]: the token set a minting hands back, shaped like a token response.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// Tokens minted by [`TokenBuilder::tokens`](crate::TokenBuilder::tokens): what the token
/// endpoint would have answered ([RFC 6749 §5.1](https://www.rfc-editor.org/rfc/rfc6749#section-5.1)).
///
/// `Debug` redacts the tokens (they are bearer credentials, if only a test's); read them
/// with the getters.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedTokens {
    access_token: String,
    id_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: u64,
    scope: String,
}

impl IssuedTokens {
    /// Reads the RFC 6749 §5.1 answer `TokenPlan::sign` builds.
    pub(super) fn from_answer(answer: &Value) -> Self {
        let text = |name: &str| answer[name].as_str().map(str::to_owned);
        Self {
            access_token: text("access_token").expect("a token answer has an access_token"),
            id_token: text("id_token"),
            refresh_token: text("refresh_token"),
            expires_in: answer["expires_in"].as_u64().unwrap_or(0),
            scope: text("scope").unwrap_or_default(),
        }
    }

    pub(super) fn into_access_token(self) -> String {
        self.access_token
    }

    /// The access token (an RFC 9068 JWT).
    pub fn access_token(&self) -> &str {
        &self.access_token
    }
    /// The id_token, for a user token with the `openid` scope.
    pub fn id_token(&self) -> Option<&str> {
        self.id_token.as_deref()
    }
    /// The refresh token, for a user token whose client may use the `refresh_token` grant.
    pub fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_deref()
    }
    /// How long the access token lives.
    pub fn expires_in(&self) -> Duration {
        Duration::from_secs(self.expires_in)
    }
    /// The granted scopes, space-separated.
    pub fn scope(&self) -> &str {
        &self.scope
    }
}

impl fmt::Debug for IssuedTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |token: &Option<String>| token.as_ref().map(|_| "[redacted]");
        f.debug_struct("IssuedTokens")
            .field("access_token", &"[redacted]")
            .field("id_token", &redacted(&self.id_token))
            .field("refresh_token", &redacted(&self.refresh_token))
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .finish()
    }
}
