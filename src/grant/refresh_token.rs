//! The refresh token grant ([RFC 6749 §6](https://www.rfc-editor.org/rfc/rfc6749#section-6))
//! with rotation: each use returns a new refresh token, and a rotated one that comes back
//! revokes its whole family ([RFC 9700 §4.14.2](https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2)).

use super::domain::Domain;
use super::issue::{self, Subject, TokenPlan, REFRESH_PREFIX};
use super::scope;
use crate::error::OAuthError;
use crate::http::body::Params;
use crate::store::{Client, RefreshRefusal};

/// Rotates a refresh token.
pub(crate) fn exchange(
    d: &mut Domain<'_>,
    client: &Client,
    params: &Params,
) -> Result<TokenPlan, OAuthError> {
    let token = params.require("refresh_token")?;
    let (now, tenant, holder) = (d.now, d.tenant, client.id.as_str());
    let live = d
        .store
        .check_refresh(tenant, REFRESH_PREFIX, token, holder, now)
        .map_err(|refusal| refused(refusal, holder))?;
    // Narrowed before the token is spent, so a bad `scope` leaves it live.
    let scopes = scope::narrow(&live.scope, params.get("scope"))?;
    d.store
        .redeem_refresh(tenant, REFRESH_PREFIX, token, holder, now)
        .map_err(|refusal| refused(refusal, holder))?;
    let subject = Subject::User {
        user: Box::new(live.user),
        family: live.family.clone(),
        auth_time: live.auth_time,
        nonce: None,
        sign_in: live.sign_in,
    };
    let plan = issue::plan(d, client, &subject, scopes);
    // RFC 6749 §6: the new refresh token keeps the scope of the one it replaces, even when
    // this access token asked for less.
    let family = d.tenant_mut().ledger.families.get_mut(&live.family);
    if let Some(grant) = family.and_then(|f| f.refresh.as_mut()) {
        grant.scope = live.scope;
    }
    Ok(plan)
}

/// The RFC 6749 §5.2 answer to a refused refresh token.
fn refused(refusal: RefreshRefusal, client: &str) -> OAuthError {
    OAuthError::invalid_grant(match refusal {
        RefreshRefusal::Unknown => "unknown refresh token".to_owned(),
        RefreshRefusal::IssuedTo(holder) => {
            format!("refresh token was issued to client {holder:?}, not {client:?}")
        }
        RefreshRefusal::Revoked => "refresh token has been revoked".to_owned(),
        RefreshRefusal::Replayed => {
            "refresh token was already used; its whole family is now revoked (replay detected)"
                .to_owned()
        }
        RefreshRefusal::Expired => "refresh token has expired".to_owned(),
        RefreshRefusal::UserGone => "the user of this refresh token no longer exists".to_owned(),
    })
}
