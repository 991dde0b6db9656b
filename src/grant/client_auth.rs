//! Client authentication at the token, introspection and revocation endpoints
//! ([RFC 6749 §2.3](https://www.rfc-editor.org/rfc/rfc6749#section-2.3)):
//! `client_secret_basic`, `client_secret_post` and `none`.

use subtle::ConstantTimeEq as _;

use crate::error::OAuthError;
use crate::http::body::Params;
use crate::store::{Client, Tenant};

/// The client credentials a request carried, wherever it carried them.
#[derive(Debug, Default)]
pub(crate) struct PresentedClient {
    /// From `Authorization: Basic`, already form-decoded.
    pub(crate) basic: Option<(String, String)>,
    pub(crate) body_id: Option<String>,
    pub(crate) body_secret: Option<String>,
}

impl PresentedClient {
    /// Collects credentials from the Basic header (raw) and the body parameters.
    pub(crate) fn new(basic_raw: Option<(String, String)>, params: &Params) -> Self {
        Self {
            basic: basic_raw.map(|(id, secret)| (form_decode(&id), form_decode(&secret))),
            body_id: params.get("client_id").map(str::to_owned),
            body_secret: params.get("client_secret").map(str::to_owned),
        }
    }

    /// The client id the request names, if any.
    pub(crate) fn client_id(&self) -> Option<&str> {
        self.basic
            .as_ref()
            .map(|(id, _)| id.as_str())
            .or(self.body_id.as_deref())
    }

    /// Whether the request tried to prove who it is with a secret.
    pub(crate) fn has_secret(&self) -> bool {
        self.basic.is_some() || self.body_secret.is_some()
    }
}

/// How strictly a missing secret is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecretRule {
    /// Confidential clients must present their secret.
    Required,
    /// The request proves the client another way (a jwt-bearer assertion signed with the secret).
    ProvenElsewhere,
}

/// Authenticates the client, or says precisely why not.
pub(crate) fn authenticate(
    tenant: &Tenant,
    presented: &PresentedClient,
    rule: SecretRule,
) -> Result<Client, OAuthError> {
    if presented.basic.is_some() && presented.body_secret.is_some() {
        return Err(OAuthError::invalid_request(
            "the client authenticated twice (Basic header and client_secret); use one method (RFC 6749 §2.3)",
        ));
    }
    if let (Some((basic_id, _)), Some(body_id)) = (&presented.basic, &presented.body_id) {
        if basic_id != body_id {
            return Err(OAuthError::invalid_request(format!(
                "client_id {body_id:?} in the body differs from {basic_id:?} in the Basic header"
            )));
        }
    }
    let id = presented.client_id().ok_or_else(|| {
        OAuthError::invalid_client(
            "no client authentication: send client_id (and client_secret) or a Basic header",
        )
    })?;
    let client = tenant.client(id)?;
    let secret = presented
        .basic
        .as_ref()
        .map(|(_, s)| s.as_str())
        .or(presented.body_secret.as_deref());
    match (&client.secret, secret) {
        (Some(expected), Some(given)) => {
            if bool::from(expected.secret().as_bytes().ct_eq(given.as_bytes())) {
                Ok(client.clone())
            } else {
                Err(OAuthError::invalid_client(format!("client secret for {id:?} does not match")))
            }
        }
        (Some(_), None) if rule == SecretRule::ProvenElsewhere => Ok(client.clone()),
        (Some(_), None) => Err(OAuthError::invalid_client(format!(
            "client {id:?} is confidential: send its client_secret (client_secret_basic or client_secret_post)"
        ))),
        (None, Some(_)) => Err(OAuthError::invalid_client(format!(
            "client {id:?} is public and has no secret; authenticate with client_id only (method none)"
        ))),
        (None, None) => Ok(client.clone()),
    }
}

/// `application/x-www-form-urlencoded` decoding of one value: `+` is a space, `%XX` a byte
/// (RFC 6749 §2.3.1 encodes Basic credentials this way before base64).
fn form_decode(raw: &str) -> String {
    percent_encoding::percent_decode_str(&raw.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn basic_credentials_are_form_decoded() {
        assert_eq!(super::form_decode("a%2Bb+c%3A"), "a+b c:");
        assert_eq!(super::form_decode("plain"), "plain");
        assert_eq!(super::form_decode("x&y=z"), "x&y=z");
    }
}
