//! Expectations in wiremock's style: "the app calls the token endpoint twice", declared up
//! front, counted as requests are recorded, checked by
//! [`MockAuth::verify_requests`] and again when the server drops.

use super::filter::RequestFilter;
use super::record::RecordedRequest;
use crate::expected_hits::ExpectedHits;
use parking_lot::Mutex;

use super::Journal;
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

/// An expectation being declared; made by [`MockAuth::expect`], declared by
/// [`times`](Self::times).
#[derive(Debug)]
#[must_use = "an expectation is declared only by .times(..)"]
pub struct ExpectationBuilder<'a> {
    journal: &'a Mutex<Journal>,
    filter: RequestFilter,
    name: Option<String>,
}

impl<'a> ExpectationBuilder<'a> {
    pub(crate) fn new(journal: &'a Mutex<Journal>, filter: RequestFilter) -> Self {
        Self {
            journal,
            filter,
            name: None,
        }
    }

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
        let mut journal = self.journal.lock();
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
