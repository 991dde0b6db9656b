//! The server's clock seen from a test: where it starts, moving it, freezing it, and the
//! issue skew stamped into tokens.

use std::time::{Duration, SystemTime};

use super::{MockAuth, MockAuthBuilder};
use crate::clock::IssueSkew;

impl MockAuthBuilder {
    /// Starts the server's clock at `at` instead of the wall clock's time; it runs from
    /// there (or stands still with [`frozen_clock`](Self::frozen_clock)).
    ///
    /// ```
    /// # fn main() {
    /// use std::time::{Duration, UNIX_EPOCH};
    /// let start = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    /// let auth = mockauth::MockAuth::builder().start_time(start).frozen_clock().start_blocking();
    /// assert_eq!(auth.now(), start);
    /// # }
    /// ```
    pub fn start_time(mut self, at: SystemTime) -> Self {
        self.clock.at = Some(at);
        self
    }

    /// Stops the server's clock: time stands still (so `iat` is the same in every token)
    /// until [`MockAuth::advance`] moves it or [`MockAuth::resume_clock`] lets it run.
    pub fn frozen_clock(mut self) -> Self {
        self.clock.frozen = true;
        self
    }
}

impl MockAuth {
    /// Moves the server's clock forward: tokens, codes and MFA challenges expire as if
    /// `by` had passed, with no sleeping.
    ///
    /// ```
    /// # fn main() {
    /// use std::time::Duration;
    /// let auth = mockauth::MockAuth::start_blocking();
    /// let before = auth.now();
    /// auth.advance(Duration::from_secs(3600));
    /// assert!(auth.now().duration_since(before).unwrap() >= Duration::from_secs(3600));
    /// # }
    /// ```
    pub fn advance(&self, by: Duration) {
        self.shared().clock.advance(by);
    }

    /// The server's current time.
    pub fn now(&self) -> SystemTime {
        self.shared().clock.now()
    }

    /// The TOTP code a user's authenticator app would show now (server clock).
    ///
    /// # Panics
    /// If the user does not exist or has no MFA.
    #[track_caller]
    pub fn totp_code(&self, username: &str) -> String {
        self.default_tenant().totp_code(username)
    }

    /// Stops the server's clock at the time it shows now; [`advance`](Self::advance) still
    /// moves it. Undo with [`resume_clock`](Self::resume_clock).
    ///
    /// ```
    /// # fn main() {
    /// use std::time::Duration;
    /// let auth = mockauth::MockAuth::start_blocking();
    /// auth.freeze_clock();
    /// let frozen = auth.now();
    /// assert_eq!(auth.now(), frozen);
    /// auth.advance(Duration::from_secs(60));
    /// assert_eq!(auth.now(), frozen + Duration::from_secs(60));
    /// # }
    /// ```
    pub fn freeze_clock(&self) {
        self.shared().clock.freeze();
    }

    /// Lets a frozen clock run again, from the time it shows.
    pub fn resume_clock(&self) {
        self.shared().clock.resume();
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
