//! Is this access token still good? Signature, issuer, expiry, `nbf`, audience and
//! revocation, in that order.

use serde_json::{Map, Value};

use crate::mint;
use crate::preset::Preset;
use crate::shared::{Shared, TenantRef};
use crate::store::Tenant;
use crate::types::ClientId;

/// How far in the future a token's `nbf` may be (clock skew between machines).
const NBF_LEEWAY_SECONDS: u64 = 60;

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
    // RFC 9068's `typ: at+jwt` marks this server's access tokens even when a preset renamed
    // `scope` and `client_id` (Okta's `scp` and `cid`, Entra's `scp` and `azp`).
    let typed_access = mint::decode_unverified(token).is_ok_and(|(header, _)| {
        header.get("typ").and_then(Value::as_str) == Some(mint::ACCESS_TOKEN_TYP)
    });
    if !typed_access && (claims.get("scope").is_none() || claims.get("client_id").is_none()) {
        return Err("the token is not an access token".to_owned());
    }
    let now = shared.clock.unix();
    match claims.get("exp").and_then(Value::as_u64) {
        Some(exp) if exp > now => {}
        _ => return Err("the token has expired".to_owned()),
    }
    if let Some(nbf) = claims.get("nbf").and_then(Value::as_u64) {
        if nbf > now.saturating_add(NBF_LEEWAY_SECONDS) {
            return Err(format!(
                "the token is not valid yet: nbf {nbf} is {}s after now",
                nbf - now
            ));
        }
    }
    let jti = text("jti").unwrap_or_default();
    let (audience_known, revoked) = shared.with_tenant(tenant, |t| {
        (
            audience_is_known(t, &tenant.issuer, claims.get("aud")),
            t.ledger.access_is_revoked(jti, text("sid")),
        )
    });
    if !audience_known {
        return Err(format!(
            "the token's aud {} names no client of this server and no audience it minted tokens for",
            claims["aud"]
        ));
    }
    if revoked {
        return Err("the token has been revoked".to_owned());
    }
    Ok(claims)
}

/// Whether `aud` names someone this tenant issues access tokens for: one of its clients,
/// the issuer itself or its userinfo endpoint (Auth0's habit), or an audience a test minted
/// a token for. A token meant for another resource is not for us
/// ([RFC 9068 §4](https://www.rfc-editor.org/rfc/rfc9068#section-4)); no `aud` at all
/// restricts nothing.
fn audience_is_known(t: &Tenant, issuer: &str, aud: Option<&Value>) -> bool {
    let known = |aud: &str| {
        aud == issuer
            || aud.strip_prefix(issuer.trim_end_matches('/')) == Some("/userinfo")
            || t.clients.contains_key(&ClientId::new(aud))
            || t.ledger.minted_audiences.contains(aud)
            || t.preset.as_ref().and_then(Preset::audience) == Some(aud)
    };
    match aud {
        None => true,
        Some(Value::String(one)) => known(one),
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).any(known),
        Some(_) => false,
    }
}

/// Whether the session of an active access token's `claims` checked a password (see
/// [`SignIn::proved_password`](crate::store::SignIn::proved_password)): tokens without a session (`sid`) never did.
pub(crate) fn proved_password(tenant: &Tenant, claims: &Map<String, Value>) -> bool {
    claims
        .get("sid")
        .and_then(Value::as_str)
        .and_then(|sid| tenant.ledger.families.get(sid))
        .is_some_and(|family| family.sign_in.proved_password())
}
