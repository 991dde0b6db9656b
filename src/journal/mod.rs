//! The journal: every request the server answered, with secrets redacted, so a test can ask
//! what happened ([`MockAuth::requests`](crate::MockAuth::requests) and its filters) and
//! declare what must happen ([`MockAuth::expect`](crate::MockAuth::expect)).
//!
//! The server records a request once, after answering it ([`record`]); a handler that knows
//! more than the request says (whose code was exchanged) leaves an [`Annotation`] in the
//! response's extensions, so data still flows one way. Expectations count at record time,
//! so their counts stay exact after the ring buffer has let old entries go.

mod annotation;
mod expect;
mod filter;
mod record;
mod redact;
mod report;
mod wire;

use std::collections::VecDeque;

pub(crate) use annotation::Annotation;
pub use expect::ExpectationBuilder;
pub use filter::RequestFilter;
pub(crate) use record::record;
pub use record::RecordedRequest;
pub(crate) use report::{unmet_message, verify_on_drop};

use expect::Expectation;

/// How many requests the journal keeps by default (the oldest go first).
pub(crate) const DEFAULT_CAPACITY: usize = 10_000;

/// The recorded requests of one server, and the expectations counting them.
#[derive(Debug)]
pub(crate) struct Journal {
    entries: VecDeque<RecordedRequest>,
    capacity: usize,
    /// Every request ever recorded, those the ring buffer let go included.
    total: u64,
    expectations: Vec<Expectation>,
}

impl Default for Journal {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl Journal {
    /// A journal that keeps the last `capacity` requests (0 keeps none but still counts).
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            capacity,
            total: 0,
            expectations: Vec::new(),
        }
    }

    /// Counts `entry` for every expectation it matches, then keeps it.
    pub(crate) fn push(&mut self, entry: RecordedRequest) {
        self.total += 1;
        for expectation in &mut self.expectations {
            expectation.count(&entry);
        }
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() >= self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// An owned snapshot, oldest first.
    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries.iter().cloned().collect()
    }

    /// The kept requests that `filter` matches, oldest first.
    pub(crate) fn matching(&self, filter: &RequestFilter) -> Vec<RecordedRequest> {
        self.entries
            .iter()
            .filter(|r| filter.matches(r))
            .cloned()
            .collect()
    }

    /// Forgets every declared expectation; the recorded requests stay.
    pub(crate) fn clear_expectations(&mut self) {
        self.expectations.clear();
    }

    fn declare(&mut self, expectation: Expectation) {
        self.expectations.push(expectation);
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;

    fn entry(path: &str) -> RecordedRequest {
        RecordedRequest {
            method: "GET".into(),
            path: path.into(),
            endpoint: None,
            client_id: None,
            grant_type: None,
            username: None,
            status: 404,
            injected: false,
            at: SystemTime::UNIX_EPOCH,
            params: Vec::new(),
        }
    }

    #[test]
    fn the_ring_buffer_keeps_the_newest_entries_and_the_total() {
        let mut journal = Journal::with_capacity(2);
        for path in ["/a", "/b", "/c"] {
            journal.push(entry(path));
        }
        let kept: Vec<String> = journal.snapshot().into_iter().map(|r| r.path).collect();
        assert_eq!(kept, ["/b", "/c"]);
        assert_eq!(journal.total, 3);
    }

    #[test]
    fn a_journal_without_capacity_keeps_nothing_but_counts() {
        let mut journal = Journal::with_capacity(0);
        journal.push(entry("/a"));
        assert!(journal.snapshot().is_empty());
        assert_eq!(journal.total, 1);
    }
}
