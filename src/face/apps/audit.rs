//! Writing the app's audit log from a call: who called (IP, user agent) comes from the
//! request; what happened, from the handler. Never pass a password, code, token or secret.

use serde_json::Value;

use super::Call;
use crate::store::app::AuditEntry;
use crate::store::Store;

/// What a handler tells the audit log about one event.
#[derive(Debug, Default)]
pub(super) struct Event<'a> {
    pub(super) user_id: Option<&'a str>,
    pub(super) email: Option<&'a str>,
    pub(super) success: bool,
    pub(super) metadata: Option<Value>,
}

impl Call<'_> {
    /// Records `event_type` in the app's log; takes the store lock.
    pub(super) fn audit(&self, event_type: &'static str, event: Event<'_>) {
        let mut store = self.shared.lock();
        self.audit_locked(&mut store, event_type, event);
    }

    /// Records `event_type` in the app's log, under a store lock the caller holds.
    pub(super) fn audit_locked(
        &self,
        store: &mut Store,
        event_type: &'static str,
        event: Event<'_>,
    ) {
        let now = self.shared.clock.unix();
        let entry = AuditEntry {
            id: 0,
            event_type,
            user_id: event.user_id.map(str::to_owned),
            email: event.email.map(str::to_owned),
            ip_address: self.req.peer.map(|ip| ip.to_string()),
            user_agent: self.req.header("user-agent").map(str::to_owned),
            success: event.success,
            metadata: event
                .metadata
                .unwrap_or_else(|| Value::Object(Default::default())),
            created_at: now,
        };
        store.app_mut(self.tenant.index, now).audit.record(entry);
    }
}
