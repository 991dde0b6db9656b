//! What the server has handed out: authorization codes, grant families, refresh tokens,
//! MFA challenges, and which access tokens were revoked.
//!
//! A *family* is everything one user authorization produced: the tokens from the code (or
//! password, MFA or assertion) exchange and every rotation of its refresh token. Its id is
//! also the session id (`sid`), so logout and replay detection revoke the same unit.

use std::collections::{HashMap, HashSet};

use crate::types::{ClientId, Redacted};

/// The refresh side of a family: its live token (if any) and what it grants. Tokens are
/// made and checked in `refresh.rs`.
#[derive(Clone, Debug)]
pub(crate) struct RefreshGrant {
    /// The client (or the identity face's pseudo-client, or a service application) that
    /// may present it.
    pub(crate) holder: String,
    pub(crate) user_id: String,
    pub(crate) scope: Vec<String>,
    /// When the live token expires (server clock).
    pub(crate) expires_at: u64,
    /// Tokens handed out so far; the newest has generation `issued - 1`.
    pub(super) issued: u64,
    /// Whether the newest token is still unspent.
    pub(super) live: bool,
}

/// An authorization code waiting to be exchanged.
#[derive(Clone, Debug)]
pub(crate) struct CodeRecord {
    pub(crate) client_id: ClientId,
    pub(crate) user_id: String,
    /// The `redirect_uri` the authorization request carried, if any; the exchange must repeat it.
    pub(crate) redirect_uri: Option<String>,
    pub(crate) scope: Vec<String>,
    pub(crate) nonce: Option<String>,
    pub(crate) pkce: Option<Pkce>,
    pub(crate) auth_time: u64,
    pub(crate) expires_at: u64,
    /// Set once exchanged: the family it produced, revoked if the code comes back.
    pub(crate) redeemed_by: Option<String>,
}

/// A PKCE challenge ([RFC 7636 §4.3](https://www.rfc-editor.org/rfc/rfc7636#section-4.3)).
#[derive(Clone, Debug)]
pub(crate) struct Pkce {
    pub(crate) challenge: String,
    /// `S256` or `plain`.
    pub(crate) method: String,
}

/// How long after its expiry a record is still remembered (server clock seconds).
pub(crate) const RETENTION_AFTER_EXPIRY: u64 = 24 * 3600;

/// The most records of one kind (sessions, codes, MFA challenges, revoked token ids, used
/// assertion ids, TOTP steps) a tenant keeps. Beyond it, each prune forgets the ones that
/// expire soonest, live ones included: a client that opens sessions without end cannot
/// take the server's memory, at the price of its oldest sessions.
pub(crate) const MAX_RECORDS_PER_KIND: usize = 100_000;

/// How the user of a family showed who they are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum SignIn {
    /// Nothing was checked: an auto-approved `/authorize`, or a token minted in process.
    #[default]
    Assumed,
    /// A password, checked by [`check_password`](crate::check::check_password).
    Password,
    /// A password, then a second factor.
    PasswordAndOtp,
    /// A signed assertion (jwt-bearer).
    Assertion,
    /// A caller that had proved itself and holds `Users:Manage` impersonated the user.
    Impersonated,
}

impl SignIn {
    /// Whether a password was checked on the way to this session (directly, or by the
    /// caller that impersonated the user): what the identity face's guard asks of a token.
    pub(crate) fn proved_password(self) -> bool {
        matches!(
            self,
            SignIn::Password | SignIn::PasswordAndOtp | SignIn::Impersonated
        )
    }
}

/// One authorization and all tokens descended from it. Fixed in size however often it
/// rotates: its tokens carry its id (`sid`, and inside refresh tokens), so revoking it
/// needs no list of them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Family {
    pub(crate) auth_time: u64,
    pub(crate) sign_in: SignIn,
    pub(crate) revoked: bool,
    /// When the last token issued in it expires: after that it can be forgotten.
    pub(crate) expires_at: u64,
    /// Its refresh token, when it has one.
    pub(crate) refresh: Option<RefreshGrant>,
}

impl Family {
    /// Notes a token of the family that expires at `expires_at`.
    pub(crate) fn issued_until(&mut self, expires_at: u64) {
        self.expires_at = self.expires_at.max(expires_at);
    }
}

/// A pending second-factor challenge from the password grant.
#[derive(Clone, Debug)]
pub(crate) struct MfaChallenge {
    pub(crate) user_id: String,
    pub(crate) client_id: ClientId,
    pub(crate) scope: Vec<String>,
    pub(crate) sandbox_code: Redacted<String>,
    pub(crate) expires_at: u64,
    pub(crate) failed_attempts: u32,
}

/// The issued state of one tenant. `Debug` shows counts: the maps are keyed by codes and
/// tokens.
#[derive(Default)]
pub(crate) struct Ledger {
    pub(crate) codes: HashMap<String, CodeRecord>,
    pub(crate) families: HashMap<String, Family>,
    pub(crate) mfa: HashMap<String, MfaChallenge>,
    /// `jti`s of access tokens revoked one by one → their `exp`, after which they are
    /// forgotten (a family's tokens are revoked by the family).
    pub(crate) revoked_jtis: HashMap<String, u64>,
    /// `client:jti` of jwt-bearer assertions already used ([RFC 7523 §3](https://www.rfc-editor.org/rfc/rfc7523#section-3),
    /// item 7) → the assertion's `exp`, after which it is forgotten.
    pub(crate) used_assertions: HashMap<String, u64>,
    /// The last TOTP time step accepted per user, so a code works once.
    pub(crate) last_totp_step: HashMap<String, u64>,
    /// Audiences other than a client id that this tenant minted access tokens for
    /// (`auth.issue_token().audience(..)`), so its own endpoints accept them.
    pub(crate) minted_audiences: HashSet<String>,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("codes", &self.codes.len())
            .field("families", &self.families.len())
            .field("mfa", &self.mfa.len())
            .field("revoked_jtis", &self.revoked_jtis.len())
            .field("used_assertions", &self.used_assertions.len())
            .field("last_totp_step", &self.last_totp_step.len())
            .finish_non_exhaustive()
    }
}

impl Ledger {
    /// Revokes a family: its refresh tokens stop working and its access tokens turn inactive.
    pub(crate) fn revoke_family(&mut self, family_id: &str) {
        if let Some(family) = self.families.get_mut(family_id) {
            family.revoked = true;
        }
    }

    /// Revokes one access token until it expires.
    pub(crate) fn revoke_access(&mut self, jti: &str, expires_at: u64) {
        self.revoked_jtis.insert(jti.to_owned(), expires_at);
    }

    /// Whether the access token `jti` of `family` still counts.
    pub(crate) fn access_is_revoked(&self, jti: &str, family: Option<&str>) -> bool {
        self.revoked_jtis.contains_key(jti)
            || family
                .and_then(|f| self.families.get(f))
                .is_some_and(|f| f.revoked)
    }

    /// Drops what can never matter again, so a long load test does not grow without bound:
    /// everything here is forgotten once it has expired on the server clock (codes, tokens
    /// and challenges a day later, so that presenting one soon after its expiry still
    /// answers "expired" rather than "unknown").
    pub(crate) fn prune(&mut self, now: u64) {
        let horizon = now.saturating_sub(RETENTION_AFTER_EXPIRY);
        self.families.retain(|_, f| f.expires_at > horizon);
        // A redeemed code is kept while its family lives: its reuse revokes the family.
        let families = &self.families;
        self.codes.retain(|_, c| match &c.redeemed_by {
            Some(family) => families.contains_key(family),
            None => c.expires_at > horizon,
        });
        self.mfa.retain(|_, m| m.expires_at > horizon);
        self.revoked_jtis.retain(|_, exp| *exp > now);
        self.used_assertions.retain(|_, exp| *exp > now);
        // A TOTP step matters while a code of it can still be accepted (one step either side).
        let current = now / crate::totp::STEP_SECONDS;
        self.last_totp_step
            .retain(|_, step| step.saturating_add(2) >= current);

        let cap = MAX_RECORDS_PER_KIND;
        keep_latest(&mut self.families, cap, |f| f.expires_at);
        keep_latest(&mut self.codes, cap, |c| c.expires_at);
        keep_latest(&mut self.mfa, cap, |m| m.expires_at);
        keep_latest(&mut self.revoked_jtis, cap, |exp| *exp);
        keep_latest(&mut self.used_assertions, cap, |exp| *exp);
        keep_latest(&mut self.last_totp_step, cap, |step| *step);

        compact(&mut self.families);
        compact(&mut self.codes);
        compact(&mut self.mfa);
        compact(&mut self.revoked_jtis);
        compact(&mut self.used_assertions);
    }

    /// How many records the ledger holds (for tests of its bounds).
    #[cfg(test)]
    pub(crate) fn records(&self) -> usize {
        self.codes.len()
            + self.families.len()
            + self.mfa.len()
            + self.revoked_jtis.len()
            + self.used_assertions.len()
            + self.last_totp_step.len()
    }
}

/// Rebuilds `map` when its table could hold more than twice what it holds. Under constant
/// churn (sessions opened and forgotten) a hash table fills with deleted-entry markers and,
/// once more than half full, grows to the next power of two instead of cleaning them in
/// place; it never shrinks by itself. Small tables are left alone.
fn compact<K: Eq + std::hash::Hash, V>(map: &mut HashMap<K, V>) {
    if map.capacity() > 2 * map.len().max(1024) {
        map.shrink_to_fit();
    }
}

/// Shrinks `map` to about `cap` entries by forgetting those that expire first (ties at the
/// threshold go together, so it may keep a little less). One pass to pick the threshold, one
/// to drop: only when over the cap.
pub(crate) fn keep_latest<K, V>(map: &mut HashMap<K, V>, cap: usize, expiry: impl Fn(&V) -> u64) {
    let excess = map.len().saturating_sub(cap);
    if excess == 0 {
        return;
    }
    let mut expiries: Vec<u64> = map.values().map(&expiry).collect();
    let (_, threshold, _) = expiries.select_nth_unstable(excess - 1);
    let threshold = *threshold;
    map.retain(|_, v| expiry(v) > threshold);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One record of every kind, each expiring at `until`.
    fn ledger_with_one_of_each(until: u64) -> Ledger {
        let mut ledger = Ledger::default();
        let family = Family {
            expires_at: until,
            ..Family::default()
        };
        ledger.families.insert("sid_1".into(), family);
        ledger.codes.insert(
            "ac_1".into(),
            CodeRecord {
                client_id: ClientId::new("c"),
                user_id: "u".into(),
                redirect_uri: None,
                scope: Vec::new(),
                nonce: None,
                pkce: None,
                auth_time: 0,
                expires_at: 10,
                redeemed_by: Some("sid_1".into()),
            },
        );
        ledger.revoke_access("jti_1", until);
        ledger.used_assertions.insert("c:jti".into(), until);
        ledger
            .last_totp_step
            .insert("u".into(), until / crate::totp::STEP_SECONDS);
        ledger
    }

    #[test]
    fn over_the_cap_the_records_that_expire_first_go() {
        let mut map: HashMap<u64, u64> = (0..1_000).map(|i| (i, 5_000 - i)).collect();
        keep_latest(&mut map, 600, |exp| *exp);
        assert_eq!(map.len(), 600);
        assert!(map.values().all(|exp| *exp > 4_400), "the 600 latest stay");
        keep_latest(&mut map, 600, |exp| *exp);
        assert_eq!(map.len(), 600, "at the cap nothing goes");
    }

    #[test]
    fn pruning_caps_live_sessions_forgetting_the_soonest_to_expire() {
        let mut ledger = Ledger::default();
        for i in 0..MAX_RECORDS_PER_KIND as u64 + 10 {
            let family = Family {
                expires_at: 1_000 + i,
                ..Family::default()
            };
            ledger.families.insert(format!("sid_{i}"), family);
        }
        ledger.prune(0);
        assert_eq!(ledger.families.len(), MAX_RECORDS_PER_KIND);
        assert!(!ledger.families.contains_key("sid_9"));
        assert!(ledger.families.contains_key("sid_10"));
    }

    #[test]
    fn a_table_that_outgrew_its_records_is_rebuilt_small() {
        let mut map: HashMap<u64, u64> = (0..10_000).map(|i| (i, i)).collect();
        map.retain(|k, _| *k < 2_000);
        let grown = map.capacity();
        compact(&mut map);
        assert!(map.capacity() < grown / 2, "{} of {grown}", map.capacity());
        assert_eq!(map.len(), 2_000);
        let small = map.capacity();
        compact(&mut map);
        assert_eq!(map.capacity(), small, "a fitting table stays");
    }

    #[test]
    fn pruning_keeps_what_still_matters_and_forgets_everything_once_expired() {
        let mut ledger = ledger_with_one_of_each(1_000);
        ledger.prune(999);
        assert_eq!(ledger.records(), 5, "{ledger:?}");
        ledger.prune(1_000 + RETENTION_AFTER_EXPIRY);
        assert_eq!(ledger.records(), 0, "{ledger:?}");
    }
}
