//! The journal seen from a test: recorded requests and expectations over them.

use super::MockAuth;
use crate::endpoint::Endpoint;
use crate::journal::{owned, unmet_message, ExpectationBuilder, RecordedRequest, RequestFilter};

/// Queries over the recorded requests.
impl MockAuth {
    /// Every request the server answered so far (up to the last 10,000 within 4 MiB, see
    /// [`journal_capacity`](crate::MockAuthBuilder::journal_capacity) and
    /// [`journal_bytes`](crate::MockAuthBuilder::journal_bytes)),
    /// oldest first, with secrets redacted.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        // The lock is held while pointers are copied; the entries are copied after it.
        let kept = self.shared().journal.lock().snapshot();
        owned(kept)
    }

    /// The recorded requests that reached `endpoint`, oldest first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use mockauth::{Endpoint, MockAuth};
    ///
    /// let auth = MockAuth::start().await;
    /// let http = reqwest::Client::new();
    /// http.get(auth.discovery_url()).send().await.unwrap();
    /// http.get(auth.jwks_url()).send().await.unwrap();
    ///
    /// let jwks = auth.requests_to(Endpoint::Jwks);
    /// assert_eq!(jwks.len(), 1);
    /// assert_eq!((jwks[0].method.as_str(), jwks[0].status), ("GET", 200));
    /// # }
    /// ```
    pub fn requests_to(&self, endpoint: Endpoint) -> Vec<RecordedRequest> {
        self.requests_matching(endpoint)
    }

    /// The recorded requests that `filter` matches (an [`Endpoint`] or a
    /// [`RequestFilter`]), oldest first; see [`RequestFilter`] for an example.
    pub fn requests_matching(&self, filter: impl Into<RequestFilter>) -> Vec<RecordedRequest> {
        let filter = filter.into();
        let kept = self.shared().journal.lock().matching(&filter);
        owned(kept)
    }
}

/// Request expectations.
impl MockAuth {
    /// Declares that requests matching `filter` (an [`Endpoint`](crate::Endpoint) or a
    /// [`RequestFilter`]) will arrive a number of times; narrow it with the builder and
    /// declare the count with [`times`](ExpectationBuilder::times).
    ///
    /// Only requests recorded after the declaration count. Every expectation is checked by
    /// [`verify_requests`](Self::verify_requests) and, unless the thread is already
    /// panicking, when the `MockAuth` drops (that panic points at the drop, not at the
    /// declaration: give expectations a [`named`](ExpectationBuilder::named) label, or
    /// call `verify_requests` yourself for a precise location).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use mockauth::{Endpoint, GrantType, MockAuth};
    ///
    /// let auth = MockAuth::start().await;
    /// let client = auth.default_client();
    /// auth.expect(Endpoint::Token)
    ///     .client(client.client_id())
    ///     .grant(GrantType::ClientCredentials)
    ///     .named("service login")
    ///     .times(1);
    /// auth.expect(Endpoint::Userinfo).times(0);
    ///
    /// reqwest::Client::new()
    ///     .post(auth.token_url())
    ///     .basic_auth(client.client_id(), client.client_secret())
    ///     .form(&[("grant_type", "client_credentials")])
    ///     .send().await.unwrap();
    ///
    /// auth.verify_requests();
    /// # }
    /// ```
    pub fn expect(&self, filter: impl Into<RequestFilter>) -> ExpectationBuilder<'_> {
        ExpectationBuilder::new(&self.shared().journal, filter.into())
    }

    /// Checks every expectation declared with [`expect`](Self::expect).
    ///
    /// # Panics
    /// When any expectation is not met, with one line per failed expectation
    /// (`- Expectation #1 (token requests from client "web"): expected 2, found 1`) followed
    /// by the last 20 recorded requests, one per line.
    #[track_caller]
    pub fn verify_requests(&self) {
        let message = unmet_message(&self.shared().journal.lock(), &self.shared().origin);
        if let Some(message) = message {
            panic!("{message}");
        }
    }

    /// Forgets every declared expectation (the recorded requests stay), so that a later
    /// phase of a test can declare its own, or a test that caught a verification failure
    /// can drop the server quietly.
    pub fn clear_expectations(&self) {
        self.shared().journal.lock().clear_expectations();
    }
}
