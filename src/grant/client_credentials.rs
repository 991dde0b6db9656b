//! The client credentials grant ([RFC 6749 §4.4](https://www.rfc-editor.org/rfc/rfc6749#section-4.4)).

use super::domain::Domain;
use super::issue::{self, Subject, TokenPlan};
use super::scope;
use crate::error::{ErrorCode, OAuthError};
use crate::http::body::Params;
use crate::store::Client;

/// Issues an access token to the client itself; no refresh token, no id_token.
pub(crate) fn exchange(
    d: &mut Domain<'_>,
    client: &Client,
    params: &Params,
) -> Result<TokenPlan, OAuthError> {
    if client.is_public() {
        return Err(OAuthError::new(
            ErrorCode::UnauthorizedClient,
            format!(
                "client {:?} is public; client_credentials needs a confidential client",
                client.id.as_str()
            ),
        ));
    }
    let scopes = scope::resolve(client, params.get("scope"))?;
    Ok(issue::plan(d, client, &Subject::Client, scopes))
}
