//! Expectations in wiremock's style: "the app calls the token endpoint twice", declared up
//! front, counted as requests are recorded, checked by
//! [`MockAuth::verify_requests`] and again when the server drops.

use super::filter::RequestFilter;
use super::record::RecordedRequest;
use super::report::unmet_message;
use crate::fault::ExpectedHits;
use crate::server::MockAuth;
use crate::types::GrantType;

/// One declared expectation and what it has counted so far.
#[derive(Debug, Clone)]
pub(crate) struct Expectation {
    /// `Expectation #n` in messages when it has no name; 1 for the first declared.
    pub(super) number: usize,
    pub(super) name: Option<String>,
    pub(super) filter: RequestFilter,
    pub(super) times: ExpectedHits,
    pub(super) found: u64,
}

impl Expectation {
    /// Counts `request` if the expectation is about it.
    pub(super) fn count(&mut self, request: &RecordedRequest) {
        if self.filter.matches(request) {
            self.found += 1;
        }
    }

    pub(super) fn is_met(&self) -> bool {
        self.times.contains(self.found)
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
        ExpectationBuilder {
            auth: self,
            filter: filter.into(),
            name: None,
        }
    }

    /// Checks every expectation declared with [`expect`](Self::expect).
    ///
    /// # Panics
    /// When any expectation is not met, with one line per failed expectation
    /// (`- Expectation #1 (token requests from client "web"): expected 2, found 1`) followed
    /// by the last 20 recorded requests, one per line.
    #[track_caller]
    pub fn verify_requests(&self) {
        if let Some(message) = unmet_message(self.shared()) {
            panic!("{message}");
        }
    }

    /// Forgets every declared expectation (the recorded requests stay), so that a later
    /// phase of a test can declare its own, or a test that caught a verification failure
    /// can drop the server quietly.
    pub fn clear_expectations(&self) {
        self.shared().journal.lock().expectations.clear();
    }
}

/// An expectation being declared; made by [`MockAuth::expect`], declared by
/// [`times`](Self::times).
#[derive(Debug)]
#[must_use = "an expectation is declared only by .times(..)"]
pub struct ExpectationBuilder<'a> {
    auth: &'a MockAuth,
    filter: RequestFilter,
    name: Option<String>,
}

impl ExpectationBuilder<'_> {
    /// Only requests that concerned this client; see [`RequestFilter::client`].
    pub fn client(mut self, client_id: impl Into<String>) -> Self {
        self.filter = self.filter.client(client_id);
        self
    }

    /// Only token requests with this grant; see [`RequestFilter::grant`].
    pub fn grant(mut self, grant: GrantType) -> Self {
        self.filter = self.filter.grant(grant);
        self
    }

    /// Only requests that concerned this user; see [`RequestFilter::user`].
    pub fn user(mut self, username: impl Into<String>) -> Self {
        self.filter = self.filter.user(username);
        self
    }

    /// Only requests answered with this status; see [`RequestFilter::status`].
    pub fn status(mut self, status: u16) -> Self {
        self.filter = self.filter.status(status);
        self
    }

    /// A label for failure messages, instead of `Expectation #n`.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Declares the expectation: matching requests arrive `times` times, a number or a
    /// range (`2`, `1..`, `..=3`, `2..5`; see [`ExpectedHits`]).
    pub fn times(self, times: impl Into<ExpectedHits>) {
        let times = times.into();
        let mut journal = self.auth.shared().journal.lock();
        let number = journal.expectations.len() + 1;
        journal.declare(Expectation {
            number,
            name: self.name,
            filter: self.filter,
            times,
            found: 0,
        });
    }
}
