//! What the server has handed out: authorization codes, grant families, refresh tokens,
//! MFA challenges, and which access tokens were revoked.
//!
//! A *family* is everything one user authorization produced: the tokens from the code (or
//! password, MFA or assertion) exchange and every rotation of its refresh token. Its id is
//! also the session id (`sid`), so logout and replay detection revoke the same unit.

use std::collections::{HashMap, HashSet};

use crate::types::{ClientId, Redacted};

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

/// One authorization and all tokens descended from it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Family {
    pub(crate) auth_time: u64,
    pub(crate) sign_in: SignIn,
    pub(crate) revoked: bool,
    pub(crate) access_jtis: Vec<String>,
    pub(crate) refresh_tokens: Vec<String>,
}

/// An opaque refresh token.
#[derive(Clone, Debug)]
pub(crate) struct RefreshRecord {
    pub(crate) family: String,
    pub(crate) client_id: ClientId,
    pub(crate) user_id: Option<String>,
    pub(crate) scope: Vec<String>,
    pub(crate) expires_at: u64,
    /// Already exchanged for a newer token: presenting it again is a replay.
    pub(crate) rotated: bool,
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
    pub(crate) refresh: HashMap<String, RefreshRecord>,
    pub(crate) mfa: HashMap<String, MfaChallenge>,
    /// `jti`s of access tokens revoked one by one or with their family.
    pub(crate) revoked_jtis: HashSet<String>,
    /// `jti`s of jwt-bearer assertions already used ([RFC 7523 §3](https://www.rfc-editor.org/rfc/rfc7523#section-3), item 7).
    /// `client:jti` → the assertion's `exp`, after which it is forgotten.
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
            .field("refresh", &self.refresh.len())
            .field("mfa", &self.mfa.len())
            .field("revoked_jtis", &self.revoked_jtis.len())
            .finish_non_exhaustive()
    }
}

impl Ledger {
    /// Revokes a family: its refresh tokens stop working and its access tokens turn inactive.
    pub(crate) fn revoke_family(&mut self, family_id: &str) {
        if let Some(family) = self.families.get_mut(family_id) {
            family.revoked = true;
            self.revoked_jtis.extend(family.access_jtis.iter().cloned());
        }
    }

    /// Whether the access token `jti` of `family` still counts.
    pub(crate) fn access_is_revoked(&self, jti: &str, family: Option<&str>) -> bool {
        self.revoked_jtis.contains(jti)
            || family
                .and_then(|f| self.families.get(f))
                .is_some_and(|f| f.revoked)
    }

    /// Drops what can never matter again, so a long load test does not grow without bound.
    pub(crate) fn prune(&mut self, now: u64) {
        self.codes
            .retain(|_, c| c.expires_at > now || c.redeemed_by.is_some());
        self.mfa.retain(|_, m| m.expires_at > now);
        self.used_assertions.retain(|_, exp| *exp > now);
    }
}
