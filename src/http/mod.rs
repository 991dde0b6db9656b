//! HTTP leaves: the request as handlers see it, body parsing and answer shapes.

pub(crate) mod answer;
pub(crate) mod body;
pub(crate) mod request;
