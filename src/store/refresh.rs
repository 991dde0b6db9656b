//! Refresh tokens that name themselves: `{prefix}{family}.{generation}.{tag}`, one rule for
//! every face that rotates them.
//!
//! A family (a session) keeps one [`RefreshGrant`]: who holds it, for which user and scope,
//! until when, and how many tokens it has handed out. A token names its family and its
//! generation, and a MAC under the server's [`RefreshKey`] proves the server made it. So a
//! spent token needs no record of its own: it is an authentic token of an earlier
//! generation, and its return is a replay that revokes the family (RFC 9700 §4.14.2). A
//! session stays one fixed-size record however often it rotates, and the 12,000th rotation
//! costs what the 10th did.

use aws_lc_rs::hmac;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use subtle::ConstantTimeEq as _;

use super::ledger::{Family, RefreshGrant, SignIn};
use super::{Store, TenantKey, User};

/// Bytes of the MAC a token carries (128 bits: unguessable, and short).
const TAG_BYTES: usize = 16;

/// The server's key for refresh-token MACs; drawn from the store's random source, so a
/// seed makes tokens reproducible. `Debug` shows nothing of it.
pub(crate) struct RefreshKey(hmac::Key);

impl RefreshKey {
    pub(crate) fn new(bytes: [u8; 32]) -> Self {
        Self(hmac::Key::new(hmac::HMAC_SHA256, &bytes))
    }

    fn tag(&self, body: &str) -> [u8; TAG_BYTES] {
        let full = hmac::sign(&self.0, body.as_bytes());
        let mut tag = [0u8; TAG_BYTES];
        tag.copy_from_slice(&full.as_ref()[..TAG_BYTES]);
        tag
    }
}

impl std::fmt::Debug for RefreshKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshKey(<redacted>)")
    }
}

/// What a new refresh token grants.
#[derive(Debug)]
pub(crate) struct NewRefresh<'a> {
    pub(crate) holder: &'a str,
    pub(crate) user_id: &'a str,
    pub(crate) scope: Vec<String>,
    pub(crate) expires_at: u64,
}

/// Why a presented refresh token was refused. Each face words it in its own shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RefreshRefusal {
    /// Not a token of this tenant with the face's prefix (or its MAC is wrong).
    Unknown,
    /// Issued to another holder (a client id or an application id).
    IssuedTo(String),
    /// Its family was revoked (logout, revocation, an earlier replay).
    Revoked,
    /// Already exchanged: the family is revoked now.
    Replayed,
    /// Past its lifetime on the server clock.
    Expired,
    /// Its user was deleted since.
    UserGone,
}

/// A live refresh token, checked: what a rotation needs to issue the next tokens.
#[derive(Clone, Debug)]
pub(crate) struct LiveRefresh {
    pub(crate) family: String,
    pub(crate) user: User,
    pub(crate) scope: Vec<String>,
    pub(crate) auth_time: u64,
    pub(crate) sign_in: SignIn,
}

/// A refresh token as introspection and revocation see it.
#[derive(Debug)]
pub(crate) struct FoundRefresh<'a> {
    pub(crate) family: &'a str,
    pub(crate) grant: &'a RefreshGrant,
    /// Unspent, its family not revoked, not expired at the time asked.
    pub(crate) active: bool,
}

impl Store {
    /// Hands out the next refresh token of `family` (which must exist) with what `new`
    /// grants; an older token of the family stops working.
    pub(crate) fn issue_refresh(
        &mut self,
        tenant: TenantKey,
        prefix: &str,
        family: &str,
        new: NewRefresh<'_>,
    ) -> Option<String> {
        let entry = self.tenants[tenant.0].ledger.families.get_mut(family)?;
        entry.issued_until(new.expires_at);
        let issued = entry.refresh.as_ref().map_or(0, |g| g.issued);
        entry.refresh = Some(RefreshGrant {
            holder: new.holder.to_owned(),
            user_id: new.user_id.to_owned(),
            scope: new.scope,
            expires_at: new.expires_at,
            issued: issued.saturating_add(1),
            live: true,
        });
        let body = format!("{prefix}{family}.{issued}");
        let tag = self.refresh_key.tag(&body);
        Some(format!("{body}.{}", B64.encode(tag)))
    }

    /// Checks `token` for `holder` without spending it. A spent one revokes its family.
    pub(crate) fn check_refresh(
        &mut self,
        tenant: TenantKey,
        prefix: &str,
        token: &str,
        holder: &str,
        now: u64,
    ) -> Result<LiveRefresh, RefreshRefusal> {
        self.use_refresh(tenant, prefix, token, holder, now, false)
    }

    /// Checks `token` for `holder` and spends it: the family's next token is the only
    /// one that works from now on. A spent one revokes its family.
    pub(crate) fn redeem_refresh(
        &mut self,
        tenant: TenantKey,
        prefix: &str,
        token: &str,
        holder: &str,
        now: u64,
    ) -> Result<LiveRefresh, RefreshRefusal> {
        self.use_refresh(tenant, prefix, token, holder, now, true)
    }

    /// The family and grant `token` belongs to, whoever holds it, spent or not.
    pub(crate) fn find_refresh(
        &self,
        tenant: TenantKey,
        prefix: &str,
        token: &str,
        now: u64,
    ) -> Option<FoundRefresh<'_>> {
        let (family_id, generation) = self.authentic(prefix, token)?;
        let (family_id, family) = self.tenants[tenant.0]
            .ledger
            .families
            .get_key_value(family_id)?;
        let grant = family.refresh.as_ref()?;
        let newest = generation.checked_add(1) == Some(grant.issued);
        Some(FoundRefresh {
            family: family_id,
            grant,
            active: newest && grant.live && !family.revoked && grant.expires_at > now,
        })
    }

    fn use_refresh(
        &mut self,
        tenant: TenantKey,
        prefix: &str,
        token: &str,
        holder: &str,
        now: u64,
        spend: bool,
    ) -> Result<LiveRefresh, RefreshRefusal> {
        let (family_id, generation) = self
            .authentic(prefix, token)
            .ok_or(RefreshRefusal::Unknown)?;
        let tenant = &mut self.tenants[tenant.0];
        let family: &mut Family = tenant
            .ledger
            .families
            .get_mut(family_id)
            .ok_or(RefreshRefusal::Unknown)?;
        let grant = family.refresh.as_mut().ok_or(RefreshRefusal::Unknown)?;
        if generation >= grant.issued {
            return Err(RefreshRefusal::Unknown);
        }
        if grant.holder != holder {
            return Err(RefreshRefusal::IssuedTo(grant.holder.clone()));
        }
        if family.revoked {
            return Err(RefreshRefusal::Revoked);
        }
        if generation + 1 < grant.issued || !grant.live {
            family.revoked = true;
            return Err(RefreshRefusal::Replayed);
        }
        if grant.expires_at <= now {
            return Err(RefreshRefusal::Expired);
        }
        let user = tenant
            .users
            .get(&grant.user_id)
            .cloned()
            .ok_or(RefreshRefusal::UserGone)?;
        if spend {
            grant.live = false;
        }
        Ok(LiveRefresh {
            family: family_id.to_owned(),
            user,
            scope: grant.scope.clone(),
            auth_time: family.auth_time,
            sign_in: family.sign_in,
        })
    }

    /// The family id and generation `token` names, if its MAC is right.
    fn authentic<'t>(&self, prefix: &str, token: &'t str) -> Option<(&'t str, u64)> {
        let (body, tag) = token.rsplit_once('.')?;
        let (head, generation) = body.rsplit_once('.')?;
        let family = head.strip_prefix(prefix)?;
        let mut presented = [0u8; TAG_BYTES];
        let decoded = B64.decode(tag).ok()?;
        if decoded.len() != TAG_BYTES {
            return None;
        }
        presented.copy_from_slice(&decoded);
        if !bool::from(self.refresh_key.tag(body).ct_eq(&presented)) {
            return None;
        }
        Some((family, generation.parse().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_000;

    /// A store whose default tenant has `testuser` and a family `sid_1` holding a refresh
    /// token for client `c`; returns the token too.
    fn store_with_token() -> (Store, String) {
        let (mut store, user) = crate::store::test_store(NOW);
        store[TenantKey::DEFAULT]
            .ledger
            .families
            .insert("sid_1".into(), Family::default());
        let token = store
            .issue_refresh(
                TenantKey::DEFAULT,
                "rt_",
                "sid_1",
                NewRefresh {
                    holder: "c",
                    user_id: &user,
                    scope: vec!["openid".into()],
                    expires_at: NOW + 100,
                },
            )
            .expect("the family exists");
        (store, token)
    }

    fn rotate(store: &mut Store, token: &str) -> Result<String, RefreshRefusal> {
        let live = store.redeem_refresh(TenantKey::DEFAULT, "rt_", token, "c", NOW)?;
        let new = NewRefresh {
            holder: "c",
            user_id: &live.user.id,
            scope: live.scope.clone(),
            expires_at: NOW + 100,
        };
        Ok(store
            .issue_refresh(TenantKey::DEFAULT, "rt_", &live.family, new)
            .unwrap())
    }

    #[test]
    fn a_token_rotates_once_and_its_return_revokes_the_family() {
        let (mut store, first) = store_with_token();
        let second = rotate(&mut store, &first).unwrap();
        assert_eq!(rotate(&mut store, &first), Err(RefreshRefusal::Replayed));
        assert_eq!(rotate(&mut store, &second), Err(RefreshRefusal::Revoked));
    }

    #[test]
    fn a_forged_or_foreign_token_is_unknown_and_changes_nothing() {
        let (mut store, token) = store_with_token();
        let (body, _) = token.rsplit_once('.').unwrap();
        let forged_generation = token.replacen(".0.", ".1.", 1);
        for bad in [
            format!("{body}.AAAAAAAAAAAAAAAAAAAAAA"),
            forged_generation,
            format!("x{token}"),
            "rt_sid_1.0".into(),
            "rt_".into(),
            String::new(),
        ] {
            assert_eq!(
                rotate(&mut store, &bad),
                Err(RefreshRefusal::Unknown),
                "{bad}"
            );
        }
        assert_eq!(
            store
                .redeem_refresh(TenantKey::DEFAULT, "rt_", &token, "d", NOW)
                .map(|_| ()),
            Err(RefreshRefusal::IssuedTo("c".into()))
        );
        assert!(rotate(&mut store, &token).is_ok(), "still live");
    }

    #[test]
    fn checking_does_not_spend_and_expiry_is_on_the_server_clock() {
        let (mut store, token) = store_with_token();
        for _ in 0..2 {
            let live = store.check_refresh(TenantKey::DEFAULT, "rt_", &token, "c", NOW);
            assert!(live.is_ok());
        }
        assert_eq!(
            store
                .check_refresh(TenantKey::DEFAULT, "rt_", &token, "c", NOW + 100)
                .map(|_| ()),
            Err(RefreshRefusal::Expired)
        );
        assert!(
            store
                .find_refresh(TenantKey::DEFAULT, "rt_", &token, NOW)
                .unwrap()
                .active
        );
    }

    #[test]
    fn a_family_stays_one_record_however_often_it_rotates() {
        let (mut store, mut token) = store_with_token();
        for _ in 0..12_000 {
            token = rotate(&mut store, &token).unwrap();
        }
        let ledger = &store[TenantKey::DEFAULT].ledger;
        assert_eq!(ledger.families.len(), 1);
        assert!(token.contains(".12000."), "{token}");
    }
}
