//! Issuing a **session**: `{access_token, refresh_token, expires_in, token_type, user}`.
//! The session is a ledger family of the app's tenant, so rotation, replay detection and
//! revocation follow the store's one refresh rule. Claims are made under the store lock and
//! signed after it ([`Pending::answer`]).

use std::sync::Arc;

use serde_json::{json, Value};

use super::error::AppsError;
use super::user_view::user_json;
use crate::keys::SigningKey;
use crate::mint::{self, Claims};
use crate::shared::TenantRef;
use crate::store::{Family, NewRefresh, RefreshRefusal, SignIn, Store, User};

/// What the face's refresh tokens start with.
pub(super) const REFRESH_PREFIX: &str = "art_";

/// The holder of the face's refresh tokens in the ledger: no OIDC client or service
/// application has it, so another face refuses them.
pub(super) const HOLDER: &str = "(apps face)";

/// A session whose access token is still to be signed.
#[derive(Debug)]
pub(super) struct Pending {
    key: Arc<SigningKey>,
    claims: Claims,
    refresh_token: String,
    expires_in: u64,
    user: Value,
}

impl Pending {
    /// The signed-in user as the face shows it (`id`, `email`, …).
    pub(super) fn user(&self) -> &Value {
        &self.user
    }

    /// The session JSON with `status`; call it after releasing the store lock.
    pub(super) fn answer(self, status: u16) -> crate::http::answer::HttpResponse {
        let access_token = mint::sign(&self.key, mint::ACCESS_TOKEN_TYP, &self.claims);
        crate::http::answer::no_store(
            status,
            &json!({
                "access_token": access_token,
                "refresh_token": self.refresh_token,
                "expires_in": self.expires_in,
                "token_type": "Bearer",
                "user": self.user,
            }),
        )
    }
}

/// Under the store lock: a new session for `user_id` signed in with a password.
pub(super) fn start(
    store: &mut Store,
    tenant: &TenantRef,
    app_id: &str,
    user_id: &str,
    now: u64,
) -> Pending {
    let family = store.id("ses_");
    let session = Family {
        auth_time: now,
        sign_in: SignIn::Password,
        ..Family::default()
    };
    store[tenant.index]
        .ledger
        .families
        .insert(family.clone(), session);
    next(store, tenant, app_id, user_id, &family, now)
}

/// Under the store lock: spends `refresh_token` and issues the session's next tokens. A
/// spent token revokes its session (the store's rule).
pub(super) fn rotate(
    store: &mut Store,
    tenant: &TenantRef,
    app_id: &str,
    refresh_token: &str,
    now: u64,
) -> Result<Pending, RefreshRefusal> {
    let live = store.redeem_refresh(tenant.index, REFRESH_PREFIX, refresh_token, HOLDER, now)?;
    Ok(next(
        store,
        tenant,
        app_id,
        &live.user.id,
        &live.family,
        now,
    ))
}

/// The sentence for a refused refresh token (one code for all).
pub(super) fn refused(refusal: RefreshRefusal) -> AppsError {
    AppsError::invalid_refresh_token(match refusal {
        RefreshRefusal::Unknown | RefreshRefusal::IssuedTo(_) => "Invalid refresh token",
        RefreshRefusal::Replayed => {
            "Refresh token already used; the session is revoked, sign in again"
        }
        RefreshRefusal::Revoked => "Refresh token revoked; sign in again",
        RefreshRefusal::Expired => "Refresh token expired; sign in again",
        RefreshRefusal::UserGone => "The account of this refresh token no longer exists",
    })
}

/// The next access and refresh token of session `family` (which exists), the user's
/// `last_sign_in_at` set to now.
fn next(
    store: &mut Store,
    tenant: &TenantRef,
    app_id: &str,
    user_id: &str,
    family: &str,
    now: u64,
) -> Pending {
    let jti = store.id("");
    let lifetimes = store[tenant.index].lifetimes;
    let refresh_ttl = lifetimes.refresh_token.as_secs();
    let grant = NewRefresh {
        holder: HOLDER,
        user_id,
        scope: Vec::new(),
        expires_at: now.saturating_add(refresh_ttl),
    };
    let refresh_token = store
        .issue_refresh(tenant.index, REFRESH_PREFIX, family, grant)
        .expect("the session exists under this lock");
    let app = &mut store[tenant.index];
    let user: &mut User = app
        .users
        .get_mut(user_id)
        .expect("the user was found under this lock");
    user.last_sign_in = Some(now);
    let expires_in = lifetimes.access_token.as_secs();
    let expires_at = now.saturating_add(expires_in);
    let mut claims = Claims::new();
    claims.insert("iss".into(), json!(tenant.issuer));
    claims.insert("aud".into(), json!(app_id));
    claims.insert("sub".into(), json!(user.id));
    claims.insert("sid".into(), json!(family));
    claims.insert("jti".into(), json!(jti));
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(expires_at));
    claims.insert("email".into(), json!(user.email));
    claims.insert("email_verified".into(), json!(user.email_verified));
    claims.insert("app_id".into(), json!(app_id));
    claims.insert("auth_method".into(), json!("password"));
    claims.insert("provider".into(), json!("email"));
    let user = user_json(user);
    // The app id is the tokens' audience: known to the tenant even when its default client
    // has another id (an app declared as a tenant up front).
    if !app.ledger.minted_audiences.contains(app_id) {
        app.ledger.minted_audiences.insert(app_id.to_owned());
    }
    if let Some(session) = app.ledger.families.get_mut(family) {
        session.issued_until(expires_at);
    }
    let key = app.keys.signing();
    store.issue_skew.apply(&mut claims);
    store.note_issuance(tenant.index, now);
    Pending {
        key,
        claims,
        refresh_token,
        expires_in,
        user,
    }
}
