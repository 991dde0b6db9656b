//! The JSON shape of a [`RecordedRequest`](super::RecordedRequest) (what the admin API's
//! `/requests` answers): serde helpers for its fields.

use std::time::SystemTime;

use serde::ser::{SerializeMap as _, Serializer};

use crate::clock::iso8601;
use crate::endpoint::Endpoint;

/// `endpoint` as its short name (`"token"`), or `null`.
pub(crate) fn endpoint_name<S: Serializer>(
    endpoint: &Option<Endpoint>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match endpoint {
        Some(endpoint) => serializer.serialize_str(endpoint.as_str()),
        None => serializer.serialize_none(),
    }
}

/// `at` as ISO 8601 UTC with milliseconds.
pub(crate) fn iso_time<S: Serializer>(at: &SystemTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&iso8601(*at))
}

/// `params` as a JSON object; a name that came twice keeps its first value.
pub(crate) fn param_object<S: Serializer>(
    params: &[(String, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut seen = std::collections::BTreeSet::new();
    let mut map = serializer.serialize_map(None)?;
    for (name, value) in params {
        if seen.insert(name.as_str()) {
            map.serialize_entry(name, value)?;
        }
    }
    map.end()
}

/// A recorded request with its number, as the admin API answers it: the record's fields
/// and `seq` (1 for the first request the server recorded; the cursor of `?after=`).
#[derive(Debug, serde::Serialize)]
pub(crate) struct Numbered<'a> {
    /// The request's number.
    pub(crate) seq: u64,
    /// The request.
    #[serde(flatten)]
    pub(crate) request: &'a super::RecordedRequest,
}
