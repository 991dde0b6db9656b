//! `/revoke` ([RFC 7009](https://www.rfc-editor.org/rfc/rfc7009)): 200 whether or not the
//! token was known, as §2.2 says.

use serde_json::{json, Value};

use crate::error::OAuthError;
use crate::grant::{authenticate, PresentedClient, SecretRule, REFRESH_PREFIX};
use crate::http::answer::{json, HttpResponse};
use crate::http::body::Params;
use crate::http::request::HttpRequest;
use crate::mint;
use crate::shared::{Shared, TenantRef};

/// Revokes an access token, or a refresh token together with its family.
pub(crate) fn handle(
    shared: &Shared,
    tenant: &TenantRef,
    req: &HttpRequest,
) -> Result<HttpResponse, OAuthError> {
    let params = Params::from_body(req)?;
    let presented = PresentedClient::new(req.basic_credentials()?, &params);
    let token = params.require("token")?.to_owned();
    let keys = shared.with_tenant(tenant, |t| t.keys.clone());
    let access_claims = mint::verify(&keys, &token).ok();
    let now = shared.clock.unix();
    let mut store = shared.lock();
    // Authenticate whoever says who they are; a bare `{token}` is accepted too.
    let client = match presented.client_id() {
        Some(_) => Some(authenticate(
            &store[tenant.index],
            &presented,
            SecretRule::Required,
        )?),
        None => None,
    };
    let owned_by_caller = |owner: &str| client.as_ref().is_none_or(|c| c.id.as_str() == owner);
    if let Some(claims) = &access_claims {
        let owner = crate::preset::token_client(claims).unwrap_or_default();
        if let (true, Some(jti)) = (
            owned_by_caller(owner),
            claims.get("jti").and_then(Value::as_str),
        ) {
            let exp = claims
                .get("exp")
                .and_then(Value::as_u64)
                .unwrap_or(u64::MAX);
            store[tenant.index].ledger.revoke_access(jti, exp);
        }
    } else if let Some(found) = store.find_refresh(tenant.index, REFRESH_PREFIX, &token, now) {
        // Any token of the family, spent ones included, ends the session.
        if owned_by_caller(&found.grant.holder) {
            let family = found.family.to_owned();
            store[tenant.index].ledger.revoke_family(&family);
        }
    }
    drop(store);
    Ok(json(200, &json!({})))
}
