//! Issuing a token pair: an HS256 access token carrying the application's claims, and an
//! opaque refresh token. The refresh token is recorded (and, on `/auth/refresh`, the old
//! one spent) in one step under the store lock; the signing happens after it.

use serde_json::{json, Map, Value};

use super::error::ServiceError;
use super::input::Caller;
use crate::http::answer::{no_store, HttpResponse};
use crate::mint;
use crate::shared::{Shared, TenantRef};
use crate::store::{Account, Family, NewRefresh, SignIn};

/// What the face's refresh tokens start with.
pub(super) const REFRESH_PREFIX: &str = "srt_";

/// The `typ` of the face's access tokens: plain JWTs, not RFC 9068 ones (no `aud`, `jti`,
/// `client_id` or `scope`; the claims are the application's).
const ACCESS_TOKEN_TYP: &str = "JWT";

/// Issues `{accessToken, refreshToken}` for `account` with `claims` (already checked for
/// reserved names). With `rotating`, that refresh token is spent in the same step, and if
/// it stopped being live while the claims were fetched, nothing is issued.
pub(super) fn issue(
    shared: &Shared,
    tenant: &TenantRef,
    caller: &Caller,
    account: &Account,
    claims: Map<String, Value>,
    rotating: Option<&str>,
) -> Result<HttpResponse, ServiceError> {
    let now = shared.clock.unix();
    let (refresh_token, key, skew) = {
        let mut store = shared.lock();
        let family = match rotating {
            Some(old) => {
                store
                    .redeem_refresh(tenant.index, REFRESH_PREFIX, old, &caller.app.id, now)
                    .map_err(ServiceError::invalid_refresh_token)?
                    .family
            }
            None => {
                let family = store.id("sid_");
                let session = Family {
                    auth_time: now,
                    sign_in: SignIn::Password,
                    ..Family::default()
                };
                let ledger = &mut store[tenant.index].ledger;
                ledger.families.insert(family.clone(), session);
                family
            }
        };
        let ttl = caller.lifetimes.service_refresh_token.as_secs();
        let grant = NewRefresh {
            holder: &caller.app.id,
            user_id: account.id(),
            scope: Vec::new(),
            expires_at: now.saturating_add(ttl),
        };
        let refresh_token = store
            .issue_refresh(tenant.index, REFRESH_PREFIX, &family, grant)
            .expect("the family was found or made under this lock");
        (
            refresh_token,
            store.service_key(tenant.index),
            store.issue_skew,
        )
    };
    let mut claims = claims;
    let ttl = caller.lifetimes.service_access_token.as_secs();
    claims.insert("sub".into(), json!(account.id()));
    claims.insert("iss".into(), json!(tenant.issuer));
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now.saturating_add(ttl)));
    skew.apply(&mut claims);
    let access_token = mint::sign(&key, ACCESS_TOKEN_TYP, &claims);
    Ok(no_store(
        200,
        &json!({ "accessToken": access_token, "refreshToken": refresh_token }),
    ))
}
