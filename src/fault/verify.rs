//! Checking fault rules' expected hit counts, with messages that show what the rule saw.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::rule::Summary;
use parking_lot::Mutex;

use super::Faults;
use crate::journal::{Journal, RecordedRequest};

/// How many recorded requests a failed verification lists.
const REQUESTS_SHOWN: usize = 10;

/// Checks the rules mounted for the server's life; `MockAuth`'s drop calls it.
pub(crate) fn verify_on_drop(faults: &Faults, journal: &Mutex<Journal>) {
    if std::thread::panicking() {
        return;
    }
    if let Some(message) = unmet_expectations(faults, journal) {
        panic!("{message}");
    }
}

/// The failure messages of every mounted rule that missed its count, joined.
pub(crate) fn unmet_expectations(faults: &Faults, journal: &Mutex<Journal>) -> Option<String> {
    let failures: Vec<String> = faults
        .expecting()
        .iter()
        .filter_map(|summary| unmet(summary, journal))
        .collect();
    (!failures.is_empty()).then(|| failures.join("\n\n"))
}

/// `expected <n> hits on fault rule "<name>", found <m>`, the rule, and the last requests
/// it could have seen; `None` when the count is met (or none was declared).
pub(super) fn unmet(summary: &Summary, journal: &Mutex<Journal>) -> Option<String> {
    let expected = summary.expected?;
    let found = summary.hits.load(Ordering::Relaxed);
    if expected.contains(found) {
        return None;
    }
    let seen: Vec<Arc<RecordedRequest>> = journal.lock().select(|r| {
        r.endpoint.is_some_and(|e| summary.target.covers(e))
            && summary
                .client_id
                .as_ref()
                .is_none_or(|only| r.client_id.as_ref() == Some(only))
    });
    let mut message = format!(
        "expected {expected} hits on fault rule {:?}, found {found}\n  the rule: {}\n",
        summary.name, summary.described
    );
    let shown = seen.len().min(REQUESTS_SHOWN);
    let _ = writeln!(
        message,
        "  requests it could see ({shown} latest of {}):",
        seen.len()
    );
    for r in &seen[seen.len() - shown..] {
        let client = r.client_id.as_deref().unwrap_or("-");
        let injected = if r.injected { " (injected)" } else { "" };
        let _ = writeln!(
            message,
            "    {} {} client={client} -> {}{injected}",
            r.method, r.path, r.status
        );
    }
    if seen.is_empty() {
        message
            .push_str("    none: check the rule's endpoint and client against the test's calls\n");
    }
    Some(message)
}
