//! The journal: every request the server answered, with secrets redacted, so a test can ask
//! what happened ([`MockAuth::requests`](crate::MockAuth::requests) and its filters) and
//! declare what must happen ([`MockAuth::expect`](crate::MockAuth::expect)).
//!
//! The server records a request once, after answering it ([`record`]); a handler that knows
//! more than the request says (whose code was exchanged) leaves an [`Annotation`] in the
//! response's extensions, so data still flows one way. Expectations count at record time,
//! so their counts stay exact after the ring buffer has let old entries go.

mod annotation;
mod bounds;
mod expect;
mod filter;
mod record;
mod redact;
mod report;
mod wire;

use std::collections::VecDeque;
use std::sync::Arc;

pub(crate) use annotation::Annotation;
pub(crate) use bounds::DEFAULT_BYTES;
pub use expect::ExpectationBuilder;
pub use filter::RequestFilter;
pub(crate) use record::record;
pub use record::RecordedRequest;
pub(crate) use report::{unmet_message, verify_on_drop};
pub(crate) use wire::Numbered;

use expect::Expectation;

/// How many requests the journal keeps by default (the oldest go first).
pub(crate) const DEFAULT_CAPACITY: usize = 10_000;

/// One kept request: its number and its approximate size. Entries are shared (`Arc`), so
/// that a reader copies pointers under the lock and the entries themselves outside it.
#[derive(Debug)]
struct Kept {
    /// 1 for the first request the server ever recorded: a cursor that stays valid while
    /// older entries go.
    seq: u64,
    /// What [`RecordedRequest::kept_bytes`] counted when it was kept.
    bytes: usize,
    request: Arc<RecordedRequest>,
}

/// The recorded requests of one server, and the expectations counting them.
///
/// Bounded twice: at most `capacity` entries and at most `budget` bytes of them (their
/// approximate heap size); the oldest go first when either would be exceeded.
#[derive(Debug)]
pub(crate) struct Journal {
    entries: VecDeque<Kept>,
    capacity: usize,
    budget: usize,
    /// The sum of the kept entries' `bytes`, never above `budget`.
    bytes: usize,
    /// Every request ever recorded, those the journal let go included.
    total: u64,
    expectations: Vec<Expectation>,
}

impl Default for Journal {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY, DEFAULT_BYTES)
    }
}

impl Journal {
    /// A journal that keeps the last `capacity` requests within `budget` bytes (0 for
    /// either keeps none but still counts).
    pub(crate) fn new(capacity: usize, budget: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            capacity,
            budget,
            bytes: 0,
            total: 0,
            expectations: Vec::new(),
        }
    }

    /// Counts `entry` for every expectation it matches (as recorded, whole), then keeps it,
    /// cut, letting the oldest entries go while the count or the bytes would be over.
    /// An entry larger than the whole budget is counted and not kept.
    pub(crate) fn push(&mut self, mut entry: RecordedRequest) {
        self.total += 1;
        for expectation in &mut self.expectations {
            expectation.count(&entry);
        }
        if self.capacity == 0 {
            return;
        }
        entry.cut_fields();
        let bytes = entry.kept_bytes(std::mem::size_of::<Kept>());
        if bytes > self.budget {
            return;
        }
        while self.entries.len() >= self.capacity || self.bytes + bytes > self.budget {
            let Some(oldest) = self.entries.pop_front() else {
                break;
            };
            self.bytes -= oldest.bytes;
        }
        self.bytes += bytes;
        self.entries.push_back(Kept {
            seq: self.total,
            bytes,
            request: Arc::new(entry),
        });
    }

    /// Every kept request, oldest first, shared: the caller copies them outside the lock.
    pub(crate) fn snapshot(&self) -> Vec<Arc<RecordedRequest>> {
        self.select(|_| true)
    }

    /// The kept requests that `filter` matches, oldest first, shared.
    pub(crate) fn matching(&self, filter: &RequestFilter) -> Vec<Arc<RecordedRequest>> {
        self.select(|r| filter.matches(r))
    }

    /// The kept requests `keep` accepts, oldest first, shared.
    pub(crate) fn select(
        &self,
        keep: impl Fn(&RecordedRequest) -> bool,
    ) -> Vec<Arc<RecordedRequest>> {
        self.entries
            .iter()
            .filter(|k| keep(&k.request))
            .map(|k| k.request.clone())
            .collect()
    }

    /// One page of the requests `filter` matches, oldest first, with their numbers: the
    /// first `limit` recorded after number `after`, or without `after` the newest `limit`.
    pub(crate) fn page(
        &self,
        filter: &RequestFilter,
        after: Option<u64>,
        limit: usize,
    ) -> Vec<(u64, Arc<RecordedRequest>)> {
        let numbered = |k: &Kept| (k.seq, k.request.clone());
        match after {
            Some(after) => {
                let start = self.entries.partition_point(|k| k.seq <= after);
                self.entries
                    .range(start..)
                    .filter(|k| filter.matches(&k.request))
                    .take(limit)
                    .map(numbered)
                    .collect()
            }
            None => {
                let mut newest: Vec<_> = self
                    .entries
                    .iter()
                    .rev()
                    .filter(|k| filter.matches(&k.request))
                    .take(limit)
                    .map(numbered)
                    .collect();
                newest.reverse();
                newest
            }
        }
    }

    /// The approximate bytes the kept entries hold (never above the budget).
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.bytes
    }

    /// Forgets every declared expectation; the recorded requests stay.
    pub(crate) fn clear_expectations(&mut self) {
        self.expectations.clear();
    }

    fn declare(&mut self, expectation: Expectation) {
        self.expectations.push(expectation);
    }
}

/// Owned copies of shared entries, made after the journal's lock is released.
pub(crate) fn owned(shared: Vec<Arc<RecordedRequest>>) -> Vec<RecordedRequest> {
    shared.into_iter().map(Arc::unwrap_or_clone).collect()
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
        let mut journal = Journal::new(2, DEFAULT_BYTES);
        for path in ["/a", "/b", "/c"] {
            journal.push(entry(path));
        }
        let kept: Vec<String> = owned(journal.snapshot())
            .into_iter()
            .map(|r| r.path)
            .collect();
        assert_eq!(kept, ["/b", "/c"]);
        assert_eq!(journal.total, 3);
    }

    #[test]
    fn a_journal_without_capacity_keeps_nothing_but_counts() {
        let mut journal = Journal::new(0, DEFAULT_BYTES);
        journal.push(entry("/a"));
        assert!(journal.snapshot().is_empty());
        assert_eq!(journal.total, 1);
    }

    fn big(path: &str) -> RecordedRequest {
        RecordedRequest {
            params: (0..32)
                .map(|i| (format!("p{i}"), "v".repeat(256)))
                .collect(),
            ..entry(path)
        }
    }

    #[test]
    fn the_byte_budget_lets_the_oldest_entries_go() {
        let one = big("/0").kept_bytes(std::mem::size_of::<Kept>());
        let mut journal = Journal::new(1_000, one * 5 + one / 2);
        for i in 0..20 {
            journal.push(big(&format!("/{i}")));
            assert!(journal.bytes() <= one * 5 + one / 2);
        }
        let kept: Vec<String> = owned(journal.snapshot())
            .into_iter()
            .map(|r| r.path)
            .collect();
        assert_eq!(kept, ["/15", "/16", "/17", "/18", "/19"]);
        assert_eq!(journal.total, 20);
    }

    #[test]
    fn an_entry_larger_than_the_budget_is_counted_and_not_kept() {
        let mut journal = Journal::new(10, 100);
        journal.push(entry("/small-enough?"));
        journal.push(big("/big"));
        assert_eq!(journal.total, 2);
        assert!(journal.bytes() <= 100);
        assert!(owned(journal.snapshot()).iter().all(|r| r.path != "/big"));
    }

    #[test]
    fn pages_follow_numbers_and_default_to_the_newest() {
        let mut journal = Journal::new(3, DEFAULT_BYTES);
        for path in ["/1", "/2", "/3", "/4", "/5"] {
            journal.push(entry(path));
        }
        let paths = |page: Vec<(u64, Arc<RecordedRequest>)>| -> Vec<(u64, String)> {
            page.into_iter().map(|(n, r)| (n, r.path.clone())).collect()
        };
        let any = RequestFilter::any();
        assert_eq!(
            paths(journal.page(&any, None, 2)),
            [(4, "/4".into()), (5, "/5".into())]
        );
        assert_eq!(
            paths(journal.page(&any, Some(0), 2)),
            [(3, "/3".into()), (4, "/4".into())]
        );
        assert_eq!(paths(journal.page(&any, Some(4), 2)), [(5, "/5".into())]);
        assert!(journal.page(&any, Some(5), 2).is_empty());
    }
}
