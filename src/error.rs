//! The RFC 6749 error vocabulary and the one error type every OIDC handler returns.

use std::fmt;

/// An OAuth 2.0 / OpenID Connect error code
/// ([RFC 6749 §5.2](https://www.rfc-editor.org/rfc/rfc6749#section-5.2),
/// [§4.1.2.1](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1),
/// [RFC 6750 §3.1](https://www.rfc-editor.org/rfc/rfc6750#section-3.1)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// "The request is missing a required parameter, includes an unsupported parameter value
    /// (other than grant type), repeats a parameter, … or is otherwise malformed."
    InvalidRequest,
    /// "Client authentication failed (e.g., unknown client, no client authentication included,
    /// or unsupported authentication method)."
    InvalidClient,
    /// "The provided authorization grant … or refresh token is invalid, expired, revoked, does
    /// not match the redirection URI used in the authorization request, or was issued to
    /// another client."
    InvalidGrant,
    /// "The authenticated client is not authorized to use this authorization grant type."
    UnauthorizedClient,
    /// "The authorization grant type is not supported by the authorization server."
    UnsupportedGrantType,
    /// "The requested scope is invalid, unknown, malformed, or exceeds the scope granted."
    InvalidScope,
    /// The authorization server does not support obtaining a code with this `response_type`.
    UnsupportedResponseType,
    /// The resource owner or authorization server denied the request.
    AccessDenied,
    /// The access token is expired, revoked, malformed, or invalid (RFC 6750).
    InvalidToken,
    /// The token lacks the scope the resource needs (RFC 6750).
    InsufficientScope,
    /// The user must complete a second factor first (the password grant's MFA challenge).
    MfaRequired,
    /// The server failed (only ever injected on purpose).
    ServerError,
}

impl ErrorCode {
    /// The wire value of `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidClient => "invalid_client",
            ErrorCode::InvalidGrant => "invalid_grant",
            ErrorCode::UnauthorizedClient => "unauthorized_client",
            ErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            ErrorCode::InvalidScope => "invalid_scope",
            ErrorCode::UnsupportedResponseType => "unsupported_response_type",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::InsufficientScope => "insufficient_scope",
            ErrorCode::MfaRequired => "mfa_required",
            ErrorCode::ServerError => "server_error",
        }
    }

    /// The HTTP status RFC 6749 / RFC 6750 give this error at the token or resource endpoint.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidClient | ErrorCode::InvalidToken => 401,
            ErrorCode::InsufficientScope | ErrorCode::MfaRequired | ErrorCode::AccessDenied => 403,
            ErrorCode::ServerError => 500,
            _ => 400,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answered as RFC 6749 JSON: `{"error": …, "error_description": …}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuthError {
    /// The error code.
    pub code: ErrorCode,
    /// A sentence that tells the reader what went wrong and how to fix the test.
    pub description: String,
    /// The HTTP status; defaults to the code's own.
    pub status: u16,
}

impl OAuthError {
    /// An error with the code's usual status.
    pub fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
            status: code.status(),
        }
    }

    /// The same error with another HTTP status (e.g. 413 for an oversized body).
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, description)
    }
    pub(crate) fn invalid_client(description: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidClient, description)
    }
    pub(crate) fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidGrant, description)
    }
    pub(crate) fn invalid_token(description: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidToken, description)
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.description)
    }
}

impl std::error::Error for OAuthError {}
