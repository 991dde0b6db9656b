//! `GET /api/auth-sandbox/requests`: the recorded requests, oldest first, secrets redacted
//! (what `auth.requests()` returns in Rust), optionally filtered by query parameters, one
//! page at a time.
//!
//! The journal's lock is held only to pick the page (filter, then copy pointers to the
//! matching entries); the answer is serialized after it is released, so a large read does
//! not hold up the requests being recorded meanwhile.

use super::AdminError;
use crate::endpoint::Endpoint;
use crate::http::answer::{json_bytes, HttpResponse};
use crate::http::body::Params;
use crate::http::request::HttpRequest;
use crate::journal::{Numbered, RequestFilter};
use crate::shared::Shared;
use crate::types::GrantType;

/// The page size when `limit` is not given.
const DEFAULT_LIMIT: usize = 1_000;
/// The largest `limit`.
const MAX_LIMIT: usize = 10_000;
/// The query parameters: five filters and two for paging.
const QUERY: [&str; 7] = [
    "endpoint",
    "client_id",
    "grant_type",
    "username",
    "status",
    "limit",
    "after",
];

/// `?endpoint=token&client_id=web&grant_type=password&username=alice&status=200`, each
/// optional, and `?limit=N&after=SEQ` → `[{seq, method, path, endpoint, client_id,
/// grant_type, username, status, injected, at, params}, …]`: the first `limit` matches
/// numbered above `after`, or without `after` the newest `limit` matches; oldest first.
pub(crate) fn list(shared: &Shared, req: &HttpRequest) -> Result<HttpResponse, AdminError> {
    let query = super::query(req, &QUERY)?;
    let filter = filter_of(&query)?;
    let (after, limit) = page_of(&query)?;
    let page = shared.journal.lock().page(&filter, after, limit);
    let numbered: Vec<Numbered<'_>> = page
        .iter()
        .map(|(seq, request)| Numbered { seq: *seq, request })
        .collect();
    let body = serde_json::to_vec(&numbered)
        .map_err(|e| AdminError::invalid_request(format!("cannot serialize: {e}")))?;
    Ok(json_bytes(200, body))
}

/// `after` (a request's `seq`) and `limit` (1 to 10,000, default 1,000).
fn page_of(query: &Params) -> Result<(Option<u64>, usize), AdminError> {
    let after = match query.get("after") {
        None => None,
        Some(after) => Some(after.parse::<u64>().map_err(|_| {
            AdminError::invalid_request(format!(
                "after must be the seq of a recorded request (a whole number, 0 for the first page); found {after:?}"
            ))
        })?),
    };
    let limit = match query.get("limit") {
        None => DEFAULT_LIMIT,
        Some(limit) => limit
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                AdminError::invalid_request(format!(
                    "limit must be a whole number from 1 to {MAX_LIMIT}; found {limit:?}"
                ))
            })?,
    };
    Ok((after, limit))
}

fn filter_of(query: &Params) -> Result<RequestFilter, AdminError> {
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
