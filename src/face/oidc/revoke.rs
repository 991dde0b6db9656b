//! `/revoke` ([RFC 7009](https://www.rfc-editor.org/rfc/rfc7009)): 200 whether or not the
//! token was known, as §2.2 says.

use serde_json::{json, Value};

use crate::error::OAuthError;
use crate::grant::{authenticate, PresentedClient, SecretRule};
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
    shared.with_tenant(tenant, |t| {
        // Authenticate whoever says who they are; a bare `{token}` is accepted too.
        let client = match presented.client_id() {
            Some(_) => Some(authenticate(t, &presented, SecretRule::Required)?),
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
                t.ledger.revoke_access(jti, exp);
            }
        } else if let Some(record) = t.ledger.refresh.get(&token) {
            if owned_by_caller(record.client_id.as_str()) {
                let family = record.family.clone();
                t.ledger.revoke_family(&family);
            }
        }
        Ok::<_, OAuthError>(())
    })?;
    Ok(json(200, &json!({})))
}
