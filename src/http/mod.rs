//! HTTP plumbing: the listener, the endpoint table, body parsing and answer shapes.

pub(crate) mod answer;
pub(crate) mod body;
pub(crate) mod request;
pub(crate) mod router;
pub(crate) mod serve;
