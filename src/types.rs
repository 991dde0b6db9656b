//! Typed protocol values: what would otherwise be a bare `String` with a meaning.
//!
//! Secrets print as `[redacted]` in `Debug`, so a failing test's output never leaks them
//! into CI logs by accident (the habit of oauth2-rs's `new_secret_type!`).

use std::fmt;

/// An OAuth 2.0 client identifier ([RFC 6749 §2.2](https://www.rfc-editor.org/rfc/rfc6749#section-2.2)).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientId(String);

impl ClientId {
    /// Wraps a client identifier.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }
    /// The identifier as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClientId({:?})", self.0)
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A client secret ([RFC 6749 §2.3.1](https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1)).
///
/// `Debug` prints `ClientSecret([redacted])`; read the value with [`ClientSecret::secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// Wraps a client secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }
    /// The secret in clear text.
    ///
    /// # Security warning
    /// Test secrets only, but still: do not log them.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret([redacted])")
    }
}

/// A value that `Debug` never prints: secrets, password hashes, random state, anything a
/// log line must not carry. Reads through `Deref`.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Redacted<T>(pub(crate) T);

impl<T> fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<T> std::ops::Deref for Redacted<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Redacted<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> From<T> for Redacted<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

/// The grant types of [RFC 6749 §4](https://www.rfc-editor.org/rfc/rfc6749#section-4) and
/// [RFC 7523 §2.1](https://www.rfc-editor.org/rfc/rfc7523#section-2.1) that the token endpoint serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum GrantType {
    /// `authorization_code`
    AuthorizationCode,
    /// `client_credentials`
    ClientCredentials,
    /// `password` (resource owner password credentials)
    Password,
    /// `refresh_token`
    RefreshToken,
    /// `urn:ietf:params:oauth:grant-type:jwt-bearer`
    JwtBearer,
}

impl GrantType {
    /// Every grant, in the order discovery lists them.
    pub const ALL: [GrantType; 5] = [
        GrantType::AuthorizationCode,
        GrantType::ClientCredentials,
        GrantType::Password,
        GrantType::RefreshToken,
        GrantType::JwtBearer,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::ClientCredentials => "client_credentials",
            GrantType::Password => "password",
            GrantType::RefreshToken => "refresh_token",
            GrantType::JwtBearer => "urn:ietf:params:oauth:grant-type:jwt-bearer",
        }
    }

    /// Parses a wire name; `None` for a grant this server does not know.
    pub fn parse(wire: &str) -> Option<GrantType> {
        GrantType::ALL.into_iter().find(|g| g.as_str() == wire)
    }
}

impl fmt::Display for GrantType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The JWS algorithm that signs access tokens and id_tokens
/// ([RFC 7518 §3.1](https://www.rfc-editor.org/rfc/rfc7518#section-3.1), EdDSA from RFC 8037).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 over a 2048-bit key: what most providers use.
    #[default]
    RS256,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// Ed25519.
    EdDSA,
    /// HMAC-SHA-256. Access tokens use the server's secret key (readable with
    /// `MockAuth::hs256_secret`); id_tokens use the client's own secret, as
    /// [OIDC Core §10.1](https://openid.net/specs/openid-connect-core-1_0.html#Symmetric) asks.
    /// Neither is published in the JWKS, as symmetric keys never are.
    HS256,
}

impl Algorithm {
    /// The `alg` header value.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::RS256 => "RS256",
            Algorithm::ES256 => "ES256",
            Algorithm::EdDSA => "EdDSA",
            Algorithm::HS256 => "HS256",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `bytes` as a hyphenated lower-case UUID of `version` (4: random, 5: name-based), with
/// the RFC 9562 variant bits set.
pub(crate) fn uuid_text(mut bytes: [u8; 16], version: u8) -> String {
    bytes[6] = (bytes[6] & 0x0f) | (version << 4);
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let secret = ClientSecret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "ClientSecret([redacted])");
    }

    #[test]
    fn grant_types_round_trip_through_their_wire_names() {
        for grant in GrantType::ALL {
            assert_eq!(GrantType::parse(grant.as_str()), Some(grant));
        }
        assert_eq!(GrantType::parse("implicit"), None);
    }
}
