//! Issuing a token pair: an HS256 access token carrying the application's claims, and an
//! opaque refresh token. The refresh token is recorded (and, on `/auth/refresh`, the old
//! one spent) in one step under the store lock; the signing happens after it.

use serde_json::{json, Map, Value};

use super::error::ServiceError;
use super::input::Caller;
use crate::http::answer::{no_store, HttpResponse};
use crate::mint;
use crate::shared::{Shared, TenantRef};
use crate::store::Account;

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
        let refresh_token = match rotating {
            Some(old) => store
                .rotate_service_refresh(tenant.index, &caller.app.id, old, now)
                .map_err(ServiceError::invalid_refresh_token)?,
            None => store.issue_service_refresh(tenant.index, &caller.app.id, account.id(), now),
        };
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
