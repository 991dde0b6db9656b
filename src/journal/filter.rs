//! [`RequestFilter`]: which recorded requests a query or an expectation is about.

use std::fmt;

use super::record::RecordedRequest;
use crate::endpoint::Endpoint;
use crate::types::GrantType;

/// Picks recorded requests by endpoint, client, grant, user and status; every part left
/// out matches anything. An [`Endpoint`] converts into the filter of all its requests.
///
/// Used by [`MockAuth::requests_matching`](crate::MockAuth::requests_matching) and
/// [`MockAuth::expect`](crate::MockAuth::expect); its `Display` reads as a phrase
/// (`token requests from client "web" with grant password`) in failure messages.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use mockauth::{Endpoint, GrantType, MockAuth, RequestFilter};
///
/// let auth = MockAuth::start().await;
/// let client = auth.default_client();
/// reqwest::Client::new()
///     .post(auth.token_url())
///     .basic_auth(client.client_id(), client.client_secret())
///     .form(&[("grant_type", "client_credentials")])
///     .send().await.unwrap();
///
/// let filter = RequestFilter::to(Endpoint::Token)
///     .client(client.client_id())
///     .grant(GrantType::ClientCredentials)
///     .status(200);
/// assert_eq!(auth.requests_matching(filter).len(), 1);
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct RequestFilter {
    endpoint: Option<Endpoint>,
    client_id: Option<String>,
    grant: Option<GrantType>,
    username: Option<String>,
    status: Option<u16>,
}

impl RequestFilter {
    /// Matches every request, 404s included.
    pub fn any() -> Self {
        Self::default()
    }

    /// Matches the requests that reached `endpoint`.
    pub fn to(endpoint: Endpoint) -> Self {
        Self {
            endpoint: Some(endpoint),
            ..Self::default()
        }
    }

    /// Only requests that concerned this client (see [`RecordedRequest::client_id`]).
    pub fn client(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// Only token requests with this grant.
    pub fn grant(mut self, grant: GrantType) -> Self {
        self.grant = Some(grant);
        self
    }

    /// Only requests that concerned this user (see [`RecordedRequest::username`]).
    pub fn user(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Only requests answered with this status (0 for a dropped or hung connection).
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Whether `request` passes the filter.
    pub fn matches(&self, request: &RecordedRequest) -> bool {
        self.endpoint.is_none_or(|e| request.endpoint == Some(e))
            && self
                .client_id
                .as_ref()
                .is_none_or(|c| request.client_id.as_ref() == Some(c))
            && self.grant.is_none_or(|g| request.grant() == Some(g))
            && self
                .username
                .as_ref()
                .is_none_or(|u| request.username.as_ref() == Some(u))
            && self.status.is_none_or(|s| request.status == s)
    }
}

impl From<Endpoint> for RequestFilter {
    fn from(endpoint: Endpoint) -> Self {
        Self::to(endpoint)
    }
}

impl fmt::Display for RequestFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.endpoint {
            Some(endpoint) => write!(f, "{endpoint} requests")?,
            None => f.write_str("requests")?,
        }
        if let Some(client) = &self.client_id {
            write!(f, " from client {client:?}")?;
        }
        if let Some(grant) = self.grant {
            write!(f, " with grant {grant}")?;
        }
        if let Some(user) = &self.username {
            write!(f, " for user {user:?}")?;
        }
        if let Some(status) = self.status {
            write!(f, " answered {status}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_reads_as_a_phrase() {
        let filter = RequestFilter::to(Endpoint::Token)
            .client("web")
            .grant(GrantType::Password)
            .user("alice")
            .status(400);
        assert_eq!(
            filter.to_string(),
            r#"token requests from client "web" with grant password for user "alice" answered 400"#
        );
        assert_eq!(RequestFilter::any().to_string(), "requests");
    }
}
