//! Fault injection: rules that answer, delay or drop instead of the real handler.
//!
//! The server asks [`Faults::intercept`] before every handler runs; what it answers is
//! recorded as injected.

use std::time::Duration;

use parking_lot::Mutex;

use crate::endpoint::Endpoint;
use crate::http::answer::HttpResponse;

/// What a fault does to one request.
// Constructed by the fault rules that build on this hook.
#[allow(dead_code)]
#[derive(Debug)]
pub(crate) enum Action {
    /// Answer this instead of the handler.
    Answer(HttpResponse),
    /// Close the connection without an answer.
    Drop,
    /// Never answer (until the client gives up).
    Hang,
}

/// The verdict for one request: wait this long, then act (or, with no action, let the real
/// handler answer).
#[derive(Debug, Default)]
pub(crate) struct Interception {
    pub(crate) delay: Duration,
    pub(crate) action: Option<Action>,
}

impl Interception {
    /// Whether anything was injected.
    pub(crate) fn is_injected(&self) -> bool {
        !self.delay.is_zero() || self.action.is_some()
    }
}

/// The fault rules of one server.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Mutex<Vec<()>>,
}

impl Faults {
    /// Decides what happens to a request for `endpoint` of tenant `tenant` from `client_id`.
    pub(crate) fn intercept(
        &self,
        _endpoint: Endpoint,
        _tenant: usize,
        _client_id: Option<&str>,
    ) -> Interception {
        let rules = self.rules.lock();
        if rules.is_empty() {
            return Interception::default();
        }
        Interception::default()
    }
}
