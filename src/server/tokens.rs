//! Tokens without HTTP: minting, and assertions on tokens and on what was issued.

use super::{MockAuth, Tenant};
use crate::assert::{IssuedAssertion, TokenAssertion};
use crate::issue_token::TokenBuilder;
use crate::store::TenantKey;

impl MockAuth {
    /// Mints tokens without HTTP, signed by the server's current key and recorded as the
    /// token endpoint records them: `/introspect` calls them active, `/userinfo` answers
    /// for them, and `/revoke` and `/logout` revoke them. Synchronous.
    ///
    /// Without `.user(..)` or `.client(..)` the token is the default user's, issued to the
    /// default client. See [`TokenBuilder`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use std::time::Duration;
    /// use mockauth::MockAuth;
    ///
    /// let auth = MockAuth::start().await;
    /// auth.user("alice").create();
    /// let token = auth
    ///     .issue_token()
    ///     .user("alice")
    ///     .scopes(["openid", "orders:read"])
    ///     .audience("https://api.example.test")
    ///     .claim("tenant", "acme")
    ///     .lifetime(Duration::from_secs(300))
    ///     .access_token();
    ///
    /// let profile: serde_json::Value = reqwest::Client::new()
    ///     .get(auth.userinfo_url())
    ///     .bearer_auth(&token)
    ///     .send().await.unwrap()
    ///     .json().await.unwrap();
    /// assert_eq!(profile["preferred_username"], "alice");
    /// # }
    /// ```
    pub fn issue_token(&self) -> TokenBuilder<'_> {
        TokenBuilder::new(self.shared(), TenantKey::DEFAULT)
    }
}

impl<'a> Tenant<'a> {
    /// Mints tokens of this tenant without HTTP; see [`MockAuth::issue_token`].
    pub fn issue_token(&self) -> TokenBuilder<'a> {
        let (auth, index) = self.parts();
        TokenBuilder::new(auth.shared(), index)
    }
}

impl MockAuth {
    /// Asserts that the token endpoint issued at least one token (a real, not injected,
    /// 200 answer), and returns an assertion to narrow by client and grant. It reads the
    /// recorded requests, so it sees what HTTP clients obtained; tokens minted with
    /// [`issue_token`](Self::issue_token) are not requests and do not count.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use mockauth::{GrantType, MockAuth};
    ///
    /// let auth = MockAuth::start().await;
    /// let client = auth.default_client();
    /// reqwest::Client::new()
    ///     .post(auth.token_url())
    ///     .basic_auth(client.client_id(), client.client_secret())
    ///     .form(&[("grant_type", "client_credentials")])
    ///     .send().await.unwrap();
    ///
    /// auth.assert_issued()
    ///     .to_client(client.client_id())
    ///     .by_grant(GrantType::ClientCredentials)
    ///     .times(1);
    /// # }
    /// ```
    ///
    /// # Panics
    /// When no token was issued, listing the recorded token requests.
    #[track_caller]
    pub fn assert_issued(&self) -> IssuedAssertion<'_> {
        IssuedAssertion::new(self.shared())
    }
}

impl MockAuth {
    /// Verifies `token` against this server's own keys, then returns assertions over its
    /// claims. Works for access tokens and id_tokens (an HS256 id_token is checked with its
    /// client's secret, the key it was MACed with).
    ///
    /// ```
    /// # fn main() {
    /// use std::time::Duration;
    /// use mockauth::MockAuth;
    ///
    /// let auth = MockAuth::start_blocking();
    /// auth.user("alice").claim("tenant", "acme").create();
    /// let web = auth.client("web").scopes(["openid", "orders:read"]).create();
    /// let token = auth.issue_token().user("alice").client("web").access_token();
    ///
    /// auth.assert_token(&token)
    ///     .subject("alice")
    ///     .client(web.client_id())
    ///     .scopes(["openid", "orders:read"])
    ///     .claim("tenant", "acme")
    ///     .expires_within(Duration::from_secs(3600))
    ///     .active();
    /// # }
    /// ```
    ///
    /// # Panics
    /// When the token is not a JWT this server signed, with the reason and the claims it
    /// carries (unverified).
    #[track_caller]
    pub fn assert_token(&self, token: &str) -> TokenAssertion<'_> {
        TokenAssertion::verify(self.shared(), TenantKey::DEFAULT, token)
    }
}

impl<'a> Tenant<'a> {
    /// Asserts over a token of this tenant, verified with its keys first; see
    /// [`MockAuth::assert_token`].
    #[track_caller]
    pub fn assert_token(&self, token: &str) -> TokenAssertion<'a> {
        let (auth, index) = self.parts();
        TokenAssertion::verify(auth.shared(), index, token)
    }
}
