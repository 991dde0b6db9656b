//! Issue skew: tokens stamped as if the issuer's clock were off, to test a verifier's
//! leeway without touching the server's own clock.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::server::MockAuth;

/// How far the issuer's own clock is off when it writes `iat`, `nbf`, `auth_time` and `exp`
/// into tokens, for testing a verifier's leeway. The server's own checks (expiry at
/// `/userinfo` and `/introspect`, codes, refresh tokens) keep the true server time, so a
/// token stamped more than a minute `Ahead` is not yet valid at its `/userinfo` either.
///
/// `exp` moves with `iat`, so a token keeps its lifetime: a token issued `Behind` by more
/// than a verifier's leeway looks expired to it, one issued `Ahead` looks not yet valid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum IssueSkew {
    /// Tokens carry the true server time (the default).
    #[default]
    None,
    /// Tokens are stamped as if issued this much later (`nbf` and `iat` in the future).
    Ahead(Duration),
    /// Tokens are stamped as if issued this much earlier.
    Behind(Duration),
}

impl IssueSkew {
    /// The shift in whole seconds.
    fn seconds(self) -> i64 {
        let secs = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        match self {
            IssueSkew::None => 0,
            IssueSkew::Ahead(by) => secs(by),
            IssueSkew::Behind(by) => -secs(by),
        }
    }

    /// Shifts the time claims of a token about to be signed.
    pub(crate) fn apply(self, claims: &mut Map<String, Value>) {
        let shift = self.seconds();
        if shift == 0 {
            return;
        }
        for name in ["iat", "nbf", "auth_time", "exp"] {
            if let Some(time) = claims.get(name).and_then(Value::as_u64) {
                let shifted = time.saturating_add_signed(shift);
                claims.insert(name.into(), Value::from(shifted));
            }
        }
    }
}

impl MockAuth {
    /// Stamps every token issued from now on as if the issuer's clock were off by `skew`
    /// (`iat`, `nbf`, `auth_time` and `exp` all shift), to test a verifier's leeway.
    /// `IssueSkew::None` switches it off.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use base64::Engine as _;
    /// use mockauth::{IssueSkew, MockAuth};
    ///
    /// let start = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// let auth = MockAuth::builder().start_time(start).frozen_clock().start().await;
    /// auth.set_issue_skew(IssueSkew::Ahead(Duration::from_secs(300)));
    ///
    /// let client = auth.default_client();
    /// let answer: serde_json::Value = reqwest::Client::new()
    ///     .post(auth.token_url())
    ///     .basic_auth(client.client_id(), client.client_secret())
    ///     .form(&[("grant_type", "client_credentials")])
    ///     .send().await.unwrap()
    ///     .json().await.unwrap();
    /// let payload = answer["access_token"].as_str().unwrap().split('.').nth(1).unwrap();
    /// let claims: serde_json::Value = serde_json::from_slice(
    ///     &base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap(),
    /// ).unwrap();
    /// assert_eq!(claims["iat"], 1_700_000_300);
    /// assert_eq!(claims["nbf"], 1_700_000_300);
    /// # }
    /// ```
    pub fn set_issue_skew(&self, skew: IssueSkew) {
        self.shared().lock().issue_skew = skew;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_shifts_every_time_claim_and_nothing_else() {
        let mut claims = Map::new();
        for (name, value) in [
            ("iat", 1000),
            ("nbf", 1000),
            ("exp", 4600),
            ("auth_time", 900),
            ("jti", 7),
        ] {
            claims.insert(name.into(), Value::from(value));
        }
        IssueSkew::Behind(Duration::from_secs(100)).apply(&mut claims);
        assert_eq!(claims["iat"], 900);
        assert_eq!(claims["nbf"], 900);
        assert_eq!(claims["exp"], 4500);
        assert_eq!(claims["auth_time"], 800);
        assert_eq!(claims["jti"], 7);
    }
}
