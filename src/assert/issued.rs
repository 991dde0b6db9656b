//! [`IssuedAssertion`]: "a token was issued to X by grant Y", read from the journal.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::endpoint::Endpoint;
use crate::journal::{RecordedRequest, RequestFilter};
use crate::shared::Shared;
use crate::types::GrantType;

/// How many recorded token requests a failure message lists (the latest ones).
const REQUESTS_SHOWN: usize = 20;

/// Assertions over the tokens the token endpoint issued. Made by
/// [`MockAuth::assert_issued`]; every step narrows the issuances it is about and asserts
/// that at least one is left, so each one can end the chain.
#[derive(Debug)]
pub struct IssuedAssertion<'a> {
    shared: &'a Shared,
    filter: RequestFilter,
}

// Each step asserts by itself; the value it returns is only there to chain the next step.
#[allow(clippy::return_self_not_must_use)]
impl<'a> IssuedAssertion<'a> {
    /// Every token issued by the server; checks that there is one.
    #[track_caller]
    pub(crate) fn new(shared: &'a Shared) -> Self {
        let assertion = Self {
            shared,
            filter: RequestFilter::to(Endpoint::Token).status(200),
        };
        assertion.check(None);
        assertion
    }

    /// Only tokens issued to this client (for jwt-bearer: the assertion's issuer).
    #[track_caller]
    pub fn to_client(self, client_id: impl Into<String>) -> Self {
        let narrowed = Self {
            filter: self.filter.client(client_id),
            ..self
        };
        narrowed.check(None);
        narrowed
    }

    /// Only tokens issued by this grant.
    #[track_caller]
    pub fn by_grant(self, grant: GrantType) -> Self {
        let narrowed = Self {
            filter: self.filter.grant(grant),
            ..self
        };
        narrowed.check(None);
        narrowed
    }

    /// Exactly `count` issuances match so far.
    #[track_caller]
    pub fn times(self, count: usize) -> Self {
        self.check(Some(count));
        self
    }

    /// Panics unless the matching issuances number `count` (or, for `None`, at least one).
    #[track_caller]
    fn check(&self, count: Option<usize>) {
        let found = self
            .shared
            .journal
            .lock()
            .matching(&self.filter)
            .iter()
            .filter(|r| !r.injected)
            .count();
        let (met, expected) = match count {
            Some(count) => (found == count, format!("{count} tokens issued")),
            None => (found > 0, "a token issued".to_owned()),
        };
        if met {
            return;
        }
        let mut message = format!("expected {expected} ({}), found {found}\n", self.filter);
        let token_requests = self.shared.journal.lock().matching(&Endpoint::Token.into());
        list_requests(&mut message, &token_requests);
        panic!("{message}");
    }
}

/// Appends the latest token requests, one line each.
fn list_requests(message: &mut String, requests: &[Arc<RecordedRequest>]) {
    if requests.is_empty() {
        message.push_str("recorded token requests: none");
        return;
    }
    let shown = requests.len().min(REQUESTS_SHOWN);
    let _ = write!(
        message,
        "recorded token requests (the last {shown} of {}):",
        requests.len()
    );
    for request in &requests[requests.len() - shown..] {
        let _ = write!(message, "\n  {request}");
    }
}
