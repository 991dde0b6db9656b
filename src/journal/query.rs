//! Asking the journal what happened: owned snapshots of the recorded requests, filtered.

use super::filter::RequestFilter;
use super::record::RecordedRequest;
use crate::endpoint::Endpoint;
use crate::server::MockAuth;

/// Queries over the recorded requests.
impl MockAuth {
    /// The recorded requests that reached `endpoint`, oldest first.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use mockauth::{Endpoint, MockAuth};
    ///
    /// let auth = MockAuth::start().await;
    /// let http = reqwest::Client::new();
    /// http.get(auth.discovery_url()).send().await.unwrap();
    /// http.get(auth.jwks_url()).send().await.unwrap();
    ///
    /// let jwks = auth.requests_to(Endpoint::Jwks);
    /// assert_eq!(jwks.len(), 1);
    /// assert_eq!((jwks[0].method.as_str(), jwks[0].status), ("GET", 200));
    /// # }
    /// ```
    pub fn requests_to(&self, endpoint: Endpoint) -> Vec<RecordedRequest> {
        self.requests_matching(endpoint)
    }

    /// The recorded requests that `filter` matches (an [`Endpoint`] or a
    /// [`RequestFilter`]), oldest first; see [`RequestFilter`] for an example.
    pub fn requests_matching(&self, filter: impl Into<RequestFilter>) -> Vec<RecordedRequest> {
        self.shared().journal.lock().matching(&filter.into())
    }
}
