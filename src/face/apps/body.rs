//! Reading an apps-face body: a JSON object whose fields are read one by one, so that a
//! 400 `VALIDATION_ERROR` names every field at fault at once.

use serde_json::{json, Map, Value};

use super::error::AppsError;
use crate::http::body::BodyKind;
use crate::http::request::HttpRequest;

/// The fields of a JSON object body, and the problems found so far.
#[derive(Debug)]
pub(super) struct Fields {
    object: Map<String, Value>,
    problems: Map<String, Value>,
}

impl Fields {
    /// The body as a JSON object; 400 when it is none (another media type, not JSON, not
    /// an object).
    pub(super) fn of(req: &HttpRequest) -> Result<Self, AppsError> {
        let not_json = || AppsError::field("body", "must be a JSON object");
        match BodyKind::of(req) {
            BodyKind::Json | BodyKind::Form { declared: false } | BodyKind::Empty => {}
            BodyKind::Form { declared: true } | BodyKind::Other(_) => return Err(not_json()),
        }
        match serde_json::from_slice::<Value>(&req.body) {
            Ok(Value::Object(object)) => Ok(Self {
                object,
                problems: Map::new(),
            }),
            _ => Err(not_json()),
        }
    }

    fn problem(&mut self, field: &str, problem: &str) {
        let list = self
            .problems
            .entry(field.to_owned())
            .or_insert_with(|| json!([]));
        if let Value::Array(items) = list {
            items.push(json!(problem));
        }
    }

    /// A required string field; noted as a problem (and `""` returned) when missing, not a
    /// string or empty.
    pub(super) fn text(&mut self, field: &str) -> String {
        match self.object.get(field) {
            Some(Value::String(text)) if !text.is_empty() => text.clone(),
            Some(Value::String(_)) => {
                self.problem(field, "must not be empty");
                String::new()
            }
            None | Some(Value::Null) => {
                self.problem(field, "is required");
                String::new()
            }
            Some(_) => {
                self.problem(field, "must be a string");
                String::new()
            }
        }
    }

    /// An optional string field (absent or `null`: `None`).
    pub(super) fn optional_text(&mut self, field: &str) -> Option<String> {
        match self.object.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(_) => {
                self.problem(field, "must be a string or null");
                None
            }
        }
    }

    /// Notes a problem with a field found by the caller's own check.
    pub(super) fn invalid(&mut self, field: &str, problem: &str) {
        self.problem(field, problem);
    }

    /// Whether a problem was noted for `field`.
    pub(super) fn has_problem(&self, field: &str) -> bool {
        self.problems.contains_key(field)
    }

    /// 400 naming every field at fault, if any.
    pub(super) fn finish(self) -> Result<(), AppsError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(AppsError::validation(self.problems))
        }
    }
}
