//! The failure message of unmet request expectations: expected vs found for each, then
//! the latest recorded requests, one line each. Its text is API: `tests/it/messages.rs` pins it.

use std::fmt::Write as _;

use parking_lot::Mutex;

use super::Journal;

/// How many recorded requests a failure message lists (the latest ones).
const REQUESTS_SHOWN: usize = 20;

/// Checks the declared expectations when `MockAuth` drops; never panics a second time.
pub(crate) fn verify_on_drop(journal: &Mutex<Journal>, origin: &str) {
    if std::thread::panicking() {
        return;
    }
    if let Some(message) = unmet_message(&journal.lock(), origin) {
        panic!("{message}");
    }
}

/// The message for the unmet expectations; `None` when all are met (or none was declared).
pub(crate) fn unmet_message(journal: &Journal, origin: &str) -> Option<String> {
    let unmet: Vec<_> = journal
        .expectations
        .iter()
        .filter(|e| !e.is_met())
        .collect();
    if unmet.is_empty() {
        return None;
    }
    let mut message = format!(
        "{} of {} request expectations not met:\n",
        unmet.len(),
        journal.expectations.len()
    );
    for expectation in unmet {
        let label = match &expectation.name {
            Some(name) => format!("{name:?}"),
            None => format!("Expectation #{}", expectation.number),
        };
        let _ = writeln!(
            message,
            "- {label} ({}): expected {}, found {}",
            expectation.filter, expectation.times, expectation.found
        );
    }
    let kept = &journal.entries;
    if journal.total == 0 {
        let _ = write!(
            message,
            "recorded requests: none; is the code under test pointed at {origin}?"
        );
        return Some(message);
    }
    let shown = kept.len().min(REQUESTS_SHOWN);
    if shown as u64 == journal.total {
        let _ = write!(message, "recorded requests ({shown}):");
    } else {
        let _ = write!(
            message,
            "recorded requests (the last {shown} of {}):",
            journal.total
        );
    }
    for kept in kept.iter().skip(kept.len() - shown) {
        let _ = write!(message, "\n  {}", kept.request);
    }
    Some(message)
}
