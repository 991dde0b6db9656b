//! The service face's opaque refresh tokens: issued to one application for one account,
//! spent by a rotation (`/auth/refresh`) or a revocation (`/auth/revoke`), expired by the
//! server's clock.

use crate::store::Store;
use crate::store::TenantKey;

/// One refresh token handed out.
#[derive(Clone, Debug)]
pub(crate) struct ServiceRefresh {
    /// The id of the application it was issued to; no other may use it.
    pub(crate) application: String,
    /// The account's user id.
    pub(crate) account: String,
    /// Unix seconds, server clock.
    pub(crate) expires_at: u64,
    spent: Option<Spent>,
    /// The token a rotation gave for this one: revoked if this one comes back (replay).
    successor: Option<String>,
}

/// How a refresh token stopped working before its time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spent {
    Rotated,
    Revoked,
}

/// Why a refresh token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefreshRefusal {
    /// Never issued, or issued to another application.
    Unknown,
    /// Already exchanged for a newer pair.
    Rotated,
    /// Revoked by `/auth/revoke`.
    Revoked,
    /// Past its lifetime.
    Expired,
    /// Its account was deleted since.
    AccountGone,
}

impl RefreshRefusal {
    /// What the test can learn from the refusal.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            RefreshRefusal::Unknown => {
                "the refresh token is unknown to this application; send one that /auth/login or /auth/refresh gave it"
            }
            RefreshRefusal::Rotated => {
                "the refresh token was already exchanged by /auth/refresh: a replay, so the tokens rotated from it are revoked too; log in again"
            }
            RefreshRefusal::Revoked => "the refresh token was revoked by /auth/revoke; log in again",
            RefreshRefusal::Expired => {
                "the refresh token expired (service refresh tokens live 7 days unless MockAuthBuilder::service_refresh_token_ttl says otherwise); log in again"
            }
            RefreshRefusal::AccountGone => {
                "the account of this refresh token no longer exists; register it again"
            }
        }
    }
}

/// Drop expired tokens once the map is this large, so a long load test stays bounded.
const PRUNE_AT: usize = 4096;

impl Store {
    /// A fresh refresh token of `application` for the account `account`.
    pub(crate) fn issue_service_refresh(
        &mut self,
        tenant: TenantKey,
        application: &str,
        account: &str,
        now: u64,
    ) -> String {
        let token = self.token("srt_");
        let ttl = self[tenant].lifetimes.service_refresh_token.as_secs();
        let service = &mut self[tenant].service;
        // Amortised: one scan every PRUNE_AT issuances, never one per issuance.
        service.issued_since_prune += 1;
        if service.issued_since_prune >= PRUNE_AT {
            service.issued_since_prune = 0;
            service.prune(now);
        }
        service.refresh.insert(
            token.clone(),
            ServiceRefresh {
                application: application.to_owned(),
                account: account.to_owned(),
                expires_at: now.saturating_add(ttl),
                spent: None,
                successor: None,
            },
        );
        token
    }

    /// The user id of the account a live refresh token of `application` stands for.
    pub(crate) fn live_service_refresh(
        &self,
        tenant: TenantKey,
        application: &str,
        token: &str,
        now: u64,
    ) -> Result<String, RefreshRefusal> {
        let tenant = &self[tenant];
        let record = tenant
            .service
            .refresh
            .get(token)
            .filter(|r| r.application == application)
            .ok_or(RefreshRefusal::Unknown)?;
        match record.spent {
            Some(Spent::Rotated) => return Err(RefreshRefusal::Rotated),
            Some(Spent::Revoked) => return Err(RefreshRefusal::Revoked),
            None => {}
        }
        if record.expires_at <= now {
            return Err(RefreshRefusal::Expired);
        }
        if !tenant.users.contains_key(&record.account) {
            return Err(RefreshRefusal::AccountGone);
        }
        Ok(record.account.clone())
    }

    /// Exchanges a live refresh token for a new one (the old one is spent), or refuses and
    /// changes nothing.
    pub(crate) fn rotate_service_refresh(
        &mut self,
        tenant: TenantKey,
        application: &str,
        old: &str,
        now: u64,
    ) -> Result<String, RefreshRefusal> {
        let account = self.live_service_refresh(tenant, application, old, now)?;
        let new = self.issue_service_refresh(tenant, application, &account, now);
        if let Some(record) = self[tenant].service.refresh.get_mut(old) {
            record.spent = Some(Spent::Rotated);
            record.successor = Some(new.clone());
        }
        Ok(new)
    }

    /// A rotated token came back (replay): revokes every token rotated from it, so that
    /// whoever holds the stolen successor is logged out too, as on the other faces.
    pub(crate) fn revoke_service_successors(&mut self, tenant: TenantKey, replayed: &str) {
        let refresh = &mut self[tenant].service.refresh;
        let mut next = refresh.get(replayed).and_then(|r| r.successor.clone());
        while let Some(token) = next {
            next = refresh.get_mut(&token).and_then(|record| {
                record.spent.get_or_insert(Spent::Revoked);
                record.successor.clone()
            });
        }
    }

    /// Revokes a refresh token of `application` and returns its account's user id.
    /// Revoking one that is already spent or expired changes nothing and is no error (a
    /// double logout); one it never had is.
    pub(crate) fn revoke_service_refresh(
        &mut self,
        tenant: TenantKey,
        application: &str,
        token: &str,
    ) -> Result<String, RefreshRefusal> {
        let record = self[tenant]
            .service
            .refresh
            .get_mut(token)
            .filter(|r| r.application == application)
            .ok_or(RefreshRefusal::Unknown)?;
        record.spent.get_or_insert(Spent::Revoked);
        Ok(record.account.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bare store whose default tenant has `testuser`; returns its user id.
    fn store() -> (Store, String) {
        crate::store::test_store(0)
    }

    #[test]
    fn a_rotated_token_is_refused_and_its_successor_is_live() {
        let (mut store, user) = store();
        let first = store.issue_service_refresh(TenantKey::DEFAULT, "app_a", &user, 100);
        let second = store
            .rotate_service_refresh(TenantKey::DEFAULT, "app_a", &first, 101)
            .unwrap();
        assert_eq!(
            store.live_service_refresh(TenantKey::DEFAULT, "app_a", &first, 102),
            Err(RefreshRefusal::Rotated)
        );
        assert_eq!(
            store.live_service_refresh(TenantKey::DEFAULT, "app_a", &second, 102),
            Ok(user)
        );
    }

    #[test]
    fn another_applications_token_is_unknown_and_an_old_one_expired() {
        let (mut store, user) = store();
        let token = store.issue_service_refresh(TenantKey::DEFAULT, "app_a", &user, 100);
        let ttl = store[TenantKey::DEFAULT]
            .lifetimes
            .service_refresh_token
            .as_secs();
        assert_eq!(
            store.rotate_service_refresh(TenantKey::DEFAULT, "app_b", &token, 101),
            Err(RefreshRefusal::Unknown)
        );
        assert_eq!(
            store.live_service_refresh(TenantKey::DEFAULT, "app_a", &token, 100 + ttl),
            Err(RefreshRefusal::Expired)
        );
    }

    #[test]
    fn revoking_twice_is_no_error_but_a_foreign_token_is() {
        let (mut store, user) = store();
        let token = store.issue_service_refresh(TenantKey::DEFAULT, "app_a", &user, 100);
        assert_eq!(
            store.revoke_service_refresh(TenantKey::DEFAULT, "app_a", &token),
            Ok(user.clone())
        );
        assert_eq!(
            store.revoke_service_refresh(TenantKey::DEFAULT, "app_a", &token),
            Ok(user)
        );
        assert_eq!(
            store.live_service_refresh(TenantKey::DEFAULT, "app_a", &token, 101),
            Err(RefreshRefusal::Revoked)
        );
        assert_eq!(
            store.revoke_service_refresh(TenantKey::DEFAULT, "app_b", &token),
            Err(RefreshRefusal::Unknown)
        );
    }
}
