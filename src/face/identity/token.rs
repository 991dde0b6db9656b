//! The identity face's tokens: JWT access tokens signed with the tenant's key (so the
//! tenant's JWKS verifies them), and refresh tokens of the tenant's ledger.
//!
//! Both belong to a ledger *family* (the session), so rotation, replay detection and
//! revocation work as they do for the OIDC face. Claims are made under the store lock; the
//! signature comes after it ([`IdentityToken::sign`]).

use std::sync::Arc;

use serde_json::{json, Value};

use crate::keys::SigningKey;
use crate::mint::{self, Claims};
use crate::store::TenantKey;
use crate::store::{Family, NewRefresh, SignIn, Store, User};

/// The `client_id` of the face's refresh tokens in the ledger: no OIDC client has it, so a
/// refresh token of one face is refused by the other.
pub(crate) const IDENTITY_CLIENT: &str = "(identity face)";

/// An access token about to be signed.
#[derive(Debug)]
pub(crate) struct IdentityToken {
    key: Arc<SigningKey>,
    claims: Claims,
}

impl IdentityToken {
    /// The `exp` claim, Unix seconds.
    pub(crate) fn expires_at(&self) -> u64 {
        self.claims.get("exp").and_then(Value::as_u64).unwrap_or(0)
    }

    /// The compact JWS; call it after releasing the store lock.
    pub(crate) fn sign(&self) -> String {
        mint::sign(&self.key, mint::ACCESS_TOKEN_TYP, &self.claims)
    }
}

/// Who a new token is for and in which session.
#[derive(Debug)]
pub(crate) struct TokenRequest<'a> {
    pub(crate) tenant: TenantKey,
    pub(crate) issuer: &'a str,
    pub(crate) user: &'a User,
    /// The user's effective permissions (own + roles'), carried as `permissions`.
    pub(crate) permissions: &'a [String],
    /// The ledger family (session) the token belongs to.
    pub(crate) family: &'a str,
    pub(crate) now: u64,
    /// The RFC 8693 `act` claim of an impersonation token.
    pub(crate) act: Option<Value>,
    /// How the user signed in, for a new family.
    pub(crate) sign_in: SignIn,
}

/// Under the store lock: records an access token in its family and returns it unsigned.
///
/// Claims: `iss`, `sub` (the user's id), `aud` (the issuer, which the tenant's own
/// endpoints accept), `exp` (the tenant's access-token TTL), `iat`, `nbf`, `jti`, `sid`,
/// `scope` (`openid profile email`), `preferred_username`, `email`, `roles`, `permissions`, the user's own claims, and `act`.
pub(crate) fn access(store: &mut Store, request: &TokenRequest<'_>) -> IdentityToken {
    let jti = store.id("");
    let tenant = &mut store[request.tenant];
    let user = request.user;
    let mut claims = Claims::new();
    claims.insert("iss".into(), json!(request.issuer));
    claims.insert("sub".into(), json!(user.id));
    claims.insert("aud".into(), json!(request.issuer));
    let ttl = tenant.lifetimes.access_token.as_secs();
    claims.insert("exp".into(), json!(request.now.saturating_add(ttl)));
    claims.insert("iat".into(), json!(request.now));
    claims.insert("nbf".into(), json!(request.now));
    claims.insert("jti".into(), json!(jti));
    claims.insert("sid".into(), json!(request.family));
    // So the tenant's OIDC endpoints (`/userinfo`, `/introspect`) serve it too.
    claims.insert("scope".into(), json!("openid profile email"));
    claims.insert("preferred_username".into(), json!(user.username));
    claims.insert("email".into(), json!(user.email));
    claims.insert("roles".into(), json!(user.roles));
    claims.insert("permissions".into(), json!(request.permissions));
    if let Some(act) = &request.act {
        claims.insert("act".into(), act.clone());
    }
    // A custom claim never replaces a standard one (see `UserBuilder::claim`).
    for (k, v) in &user.claims {
        claims.entry(k.clone()).or_insert_with(|| v.clone());
    }
    let expires_at = request.now.saturating_add(ttl);
    family_of(tenant, request.family, request.now, request.sign_in).issued_until(expires_at);
    let key = tenant.keys.signing();
    store.issue_skew.apply(&mut claims);
    store.note_issuance(request.tenant, request.now);
    IdentityToken { key, claims }
}

/// What the face's refresh tokens start with.
pub(crate) const REFRESH_PREFIX: &str = "rt_";

/// Under the store lock: the next refresh token of `family`, living the tenant's
/// refresh-token TTL.
pub(crate) fn refresh(
    store: &mut Store,
    tenant: TenantKey,
    user_id: &str,
    family: &str,
    now: u64,
) -> String {
    let expires_at = now.saturating_add(store[tenant].lifetimes.refresh_token.as_secs());
    family_of(&mut store[tenant], family, now, SignIn::Assumed);
    let grant = NewRefresh {
        holder: IDENTITY_CLIENT,
        user_id,
        scope: Vec::new(),
        expires_at,
    };
    store
        .issue_refresh(tenant, REFRESH_PREFIX, family, grant)
        .expect("family_of made the family")
}

/// The family `family`, made (signed in by `sign_in`) if it is new.
fn family_of<'t>(
    tenant: &'t mut crate::store::Tenant,
    family: &str,
    now: u64,
    sign_in: SignIn,
) -> &'t mut Family {
    tenant
        .ledger
        .families
        .entry(family.to_owned())
        .or_insert_with(|| Family {
            auth_time: now,
            sign_in,
            ..Family::default()
        })
}
