//! `POST /api/auth-sandbox/clock {advanceSeconds}`: moves the server's clock (every tenant's:
//! there is one clock) and answers the new time.

use serde::Deserialize;
use serde_json::json;

use super::{json_body, AdminError};
use crate::clock::iso8601;
use crate::http::answer::{json, HttpResponse};
use crate::http::request::HttpRequest;
use crate::shared::Shared;

/// Ten years: beyond any lifetime a test waits out, and far from overflowing the clock.
const MAX_ADVANCE: u64 = 10 * 365 * 24 * 3600;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Advance {
    advance_seconds: Option<serde_json::Number>,
}

/// `{advanceSeconds}` (0 or left out: just read the time) → `{now}` in ISO 8601 UTC.
pub(crate) fn advance(shared: &Shared, req: &HttpRequest) -> Result<HttpResponse, AdminError> {
    let body: Advance = json_body(req)?;
    let seconds = match body.advance_seconds {
        None => 0,
        Some(number) => number
            .as_u64()
            .filter(|s| *s <= MAX_ADVANCE)
            .ok_or_else(|| {
                AdminError::invalid_request(format!(
                    "advanceSeconds must be a non-negative integer of seconds (at most {MAX_ADVANCE}), found {number}; the clock only moves forward"
                ))
            })?,
    };
    shared
        .clock
        .advance(std::time::Duration::from_secs(seconds));
    Ok(json(200, &json!({ "now": iso8601(shared.clock.now()) })))
}
