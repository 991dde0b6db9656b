//! Scope checks ([RFC 6749 §3.3](https://www.rfc-editor.org/rfc/rfc6749#section-3.3)).

use crate::error::{ErrorCode, OAuthError};
use crate::store::Client;

/// The scopes a request gets: what it asked for if the client may have all of it, or the
/// client's whole set when it asked for nothing.
pub(crate) fn resolve(client: &Client, requested: Option<&str>) -> Result<Vec<String>, OAuthError> {
    let Some(requested) = requested else {
        return Ok(client.scopes.clone());
    };
    let mut granted: Vec<String> = Vec::new();
    for scope in requested.split(' ').filter(|s| !s.is_empty()) {
        if !client.scopes.iter().any(|allowed| allowed == scope) {
            return Err(OAuthError::new(
                ErrorCode::InvalidScope,
                format!(
                    "scope {scope:?} is not allowed for client {:?}; allowed: {:?}",
                    client.id.as_str(),
                    client.scopes
                ),
            ));
        }
        if !granted.iter().any(|g| g == scope) {
            granted.push(scope.to_owned());
        }
    }
    Ok(granted)
}

/// A narrower scope on refresh ([RFC 6749 §6](https://www.rfc-editor.org/rfc/rfc6749#section-6)):
/// every requested scope must have been granted originally.
pub(crate) fn narrow(
    original: &[String],
    requested: Option<&str>,
) -> Result<Vec<String>, OAuthError> {
    let Some(requested) = requested else {
        return Ok(original.to_vec());
    };
    let asked: Vec<String> = requested
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    match asked.iter().find(|s| !original.contains(s)) {
        Some(extra) => Err(OAuthError::new(
            ErrorCode::InvalidScope,
            format!("scope {extra:?} was not granted originally; granted: {original:?}"),
        )),
        None => Ok(asked),
    }
}

/// Whether `scopes` holds `wanted`.
pub(crate) fn has(scopes: &[String], wanted: &str) -> bool {
    scopes.iter().any(|s| s == wanted)
}
