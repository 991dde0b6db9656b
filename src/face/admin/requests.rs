//! `GET /api/auth-sandbox/requests`: the recorded requests, oldest first, secrets redacted
//! (what `auth.requests()` returns in Rust), optionally filtered by query parameters.

use super::AdminError;
use crate::endpoint::Endpoint;
use crate::http::answer::{json, HttpResponse};
use crate::http::body::Params;
use crate::http::request::HttpRequest;
use crate::journal::{RecordedRequest, RequestFilter};
use crate::shared::Shared;
use crate::types::GrantType;

/// `?endpoint=token&client_id=web&grant_type=password&username=alice&status=200`, each
/// optional → `[{method, path, endpoint, client_id, grant_type, username, status, injected,
/// at, params}, …]`.
pub(crate) fn list(shared: &Shared, req: &HttpRequest) -> Result<HttpResponse, AdminError> {
    let filter = filter_of(req)?;
    let records: Vec<RecordedRequest> = shared.journal.lock().matching(&filter);
    let body = serde_json::to_value(&records)
        .map_err(|e| AdminError::invalid_request(format!("cannot serialize: {e}")))?;
    Ok(json(200, &body))
}

fn filter_of(req: &HttpRequest) -> Result<RequestFilter, AdminError> {
    let query = Params::from_form(req.query.as_bytes())
        .map_err(|e| AdminError::invalid_request(e.description))?;
    let mut filter = RequestFilter::any();
    if let Some(name) = query.get("endpoint") {
        let endpoint = Endpoint::parse(name).ok_or_else(|| {
            let names: Vec<&str> = Endpoint::ALL.map(Endpoint::as_str).to_vec();
            AdminError::invalid_request(format!(
                "endpoint must be one of {}; found {name:?}",
                names.join(", ")
            ))
        })?;
        filter = RequestFilter::to(endpoint);
    }
    if let Some(client) = query.get("client_id") {
        filter = filter.client(client);
    }
    if let Some(wire) = query.get("grant_type") {
        let grant = GrantType::parse(wire).ok_or_else(|| {
            AdminError::invalid_request(format!(
                "grant_type {wire:?} is not a grant this server knows"
            ))
        })?;
        filter = filter.grant(grant);
    }
    if let Some(username) = query.get("username") {
        filter = filter.user(username);
    }
    if let Some(status) = query.get("status") {
        let status = status.parse().map_err(|_| {
            AdminError::invalid_request(format!(
                "status must be an HTTP status such as 200; found {status:?}"
            ))
        })?;
        filter = filter.status(status);
    }
    Ok(filter)
}
