//! The refresh token grant ([RFC 6749 §6](https://www.rfc-editor.org/rfc/rfc6749#section-6))
//! with rotation: each use returns a new refresh token, and a rotated one that comes back
//! revokes its whole family ([RFC 9700 §4.14.2](https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2)).

use super::domain::Domain;
use super::issue::{self, Subject, TokenPlan};
use super::scope;
use crate::error::OAuthError;
use crate::http::body::Params;
use crate::store::Client;

/// Rotates a refresh token.
pub(crate) fn exchange(
    d: &mut Domain<'_>,
    client: &Client,
    params: &Params,
) -> Result<TokenPlan, OAuthError> {
    let token = params.require("refresh_token")?;
    let now = d.now;
    let ledger = &mut d.tenant_mut().ledger;
    let Some(record) = ledger.refresh.get(token).cloned() else {
        return Err(OAuthError::invalid_grant("unknown refresh token"));
    };
    if record.client_id != client.id {
        return Err(OAuthError::invalid_grant(format!(
            "refresh token was issued to client {:?}, not {:?}",
            record.client_id.as_str(),
            client.id.as_str()
        )));
    }
    let family = ledger
        .families
        .get(&record.family)
        .copied()
        .unwrap_or_default();
    if family.revoked {
        return Err(OAuthError::invalid_grant("refresh token has been revoked"));
    }
    if record.rotated {
        ledger.revoke_family(&record.family);
        return Err(OAuthError::invalid_grant(
            "refresh token was already used; its whole family is now revoked (replay detected)",
        ));
    }
    if record.expires_at <= now {
        return Err(OAuthError::invalid_grant("refresh token has expired"));
    }
    let scopes = scope::narrow(&record.scope, params.get("scope"))?;
    let Some(user_id) = record.user_id.as_deref() else {
        return Err(OAuthError::invalid_grant("refresh token has no user"));
    };
    let user = d.tenant().user(user_id).cloned().ok_or_else(|| {
        OAuthError::invalid_grant("the user of this refresh token no longer exists")
    })?;
    if let Some(entry) = d.tenant_mut().ledger.refresh.get_mut(token) {
        entry.rotated = true;
    }
    let subject = Subject::User {
        user: Box::new(user),
        family: record.family,
        auth_time: family.auth_time,
        nonce: None,
        sign_in: family.sign_in,
    };
    let plan = issue::plan(d, client, &subject, scopes);
    // RFC 6749 §6: the new refresh token keeps the scope of the one it replaces, even when
    // this access token asked for less.
    if let Some(entry) = plan
        .refresh_token()
        .and_then(|t| d.tenant_mut().ledger.refresh.get_mut(t))
    {
        entry.scope = record.scope;
    }
    Ok(plan)
}
