//! Is this access token still good? Signature, issuer, expiry and revocation, in that order.

use serde_json::{Map, Value};

use crate::mint;
use crate::shared::{Shared, TenantRef};

/// The claims of an active access token, or why it is not active.
pub(crate) fn active_access_token(
    shared: &Shared,
    tenant: &TenantRef,
    token: &str,
) -> Result<Map<String, Value>, String> {
    // Verify outside the lock: a cheap clone of the key list instead of holding it.
    let keys = shared.with_tenant(tenant, |t| t.keys.clone());
    let claims = mint::verify(&keys, token).map_err(|r| r.describe().to_owned())?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str);
    if text("iss") != Some(tenant.issuer.as_str()) {
        return Err(format!(
            "the token's iss {:?} is not this issuer {:?}",
            text("iss"),
            tenant.issuer
        ));
    }
    if claims.get("scope").is_none() || claims.get("client_id").is_none() {
        return Err("the token is not an access token".to_owned());
    }
    let now = shared.clock.unix();
    match claims.get("exp").and_then(Value::as_u64) {
        Some(exp) if exp > now => {}
        _ => return Err("the token has expired".to_owned()),
    }
    let jti = text("jti").unwrap_or_default();
    let revoked = shared.with_tenant(tenant, |t| t.ledger.access_is_revoked(jti, text("sid")));
    if revoked {
        return Err("the token has been revoked".to_owned());
    }
    Ok(claims)
}
