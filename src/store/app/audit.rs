//! An app's audit log: what happened to whom, newest last, at most
//! [`MAX_AUDIT_ENTRIES`] entries (the oldest go first). Entries never hold a password,
//! code, token or secret: callers put only names, ids and outcomes in them.

use std::collections::VecDeque;

use serde_json::Value;

/// The most entries an app's log keeps.
pub(crate) const MAX_AUDIT_ENTRIES: usize = 10_000;

/// Longest text kept in an entry's `email` or `user_agent`, in bytes.
const MAX_TEXT: usize = 256;

/// One event of the log.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct AuditEntry {
    /// Numbered from 1 in the order recorded.
    pub(crate) id: u64,
    pub(crate) event_type: &'static str,
    pub(crate) user_id: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) ip_address: Option<String>,
    pub(crate) user_agent: Option<String>,
    pub(crate) success: bool,
    /// Small facts about the event (a provider's name, a setting's name), never a secret.
    pub(crate) metadata: Value,
    /// Unix seconds on the server clock.
    pub(crate) created_at: u64,
}

/// Which entries a reader wants, newest first.
#[derive(Clone, Debug, Default)]
pub(crate) struct AuditQuery<'a> {
    pub(crate) user_id: Option<&'a str>,
    pub(crate) event_type: Option<&'a str>,
    pub(crate) limit: usize,
    pub(crate) offset: usize,
}

/// The log of one app.
#[derive(Debug, Default)]
pub(crate) struct AuditLog {
    entries: VecDeque<AuditEntry>,
    next_id: u64,
}

/// `text` cut to at most [`MAX_TEXT`] bytes on a character boundary.
fn bounded(text: Option<String>) -> Option<String> {
    text.map(|mut t| {
        if t.len() > MAX_TEXT {
            let mut end = MAX_TEXT;
            while !t.is_char_boundary(end) {
                end -= 1;
            }
            t.truncate(end);
        }
        t
    })
}

impl AuditLog {
    /// Appends `entry` (its `id` is set here), dropping the oldest entry when full.
    pub(crate) fn record(&mut self, mut entry: AuditEntry) {
        self.next_id += 1;
        entry.id = self.next_id;
        entry.email = bounded(entry.email);
        entry.user_agent = bounded(entry.user_agent);
        if self.entries.len() >= MAX_AUDIT_ENTRIES {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// The entries matching `query`, newest first, and how many match in all.
    pub(crate) fn query(&self, query: &AuditQuery<'_>) -> (Vec<AuditEntry>, usize) {
        let matching = || {
            self.entries.iter().rev().filter(|e| {
                query
                    .user_id
                    .is_none_or(|u| e.user_id.as_deref() == Some(u))
                    && query.event_type.is_none_or(|t| e.event_type == t)
            })
        };
        let total = matching().count();
        let page = matching()
            .skip(query.offset)
            .take(query.limit)
            .cloned()
            .collect();
        (page, total)
    }

    /// How many entries are kept.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(event_type: &'static str, user: &str) -> AuditEntry {
        AuditEntry {
            id: 0,
            event_type,
            user_id: Some(user.to_owned()),
            email: Some("x".repeat(1000)),
            ip_address: None,
            user_agent: None,
            success: true,
            metadata: Value::Null,
            created_at: 0,
        }
    }

    #[test]
    fn keeps_the_newest_entries_and_filters_newest_first() {
        let mut log = AuditLog::default();
        for i in 0..MAX_AUDIT_ENTRIES + 5 {
            log.record(entry(if i % 2 == 0 { "login" } else { "signup" }, "u1"));
        }
        assert_eq!(log.len(), MAX_AUDIT_ENTRIES);
        let (page, total) = log.query(&AuditQuery {
            event_type: Some("login"),
            limit: 2,
            ..AuditQuery::default()
        });
        assert_eq!(total, MAX_AUDIT_ENTRIES / 2);
        assert!(page[0].id > page[1].id);
        assert_eq!(page[0].email.as_ref().unwrap().len(), MAX_TEXT);
        let (none, total) = log.query(&AuditQuery {
            user_id: Some("u2"),
            limit: 50,
            ..AuditQuery::default()
        });
        assert!(none.is_empty() && total == 0);
    }
}
