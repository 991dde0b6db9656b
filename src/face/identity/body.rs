//! JSON request bodies of the identity face, read field by field so that one answer lists
//! every bad field (`details: {field: [messages]}`).
//!
//! ```text
//! let mut body = JsonBody::parse(req)?;            // 415 / 400 for a body that is no JSON object
//! let username = body.required_string("username");  // notes "username is required" if absent
//! let password = body.required_string("password");
//! if password.as_ref().is_some_and(|p| p.len() < 8) {
//!     body.invalid("password", "Password must be at least 8 characters");
//! }
//! body.finish("Invalid user data")?;                // 400 with every noted field, or Ok
//! ```

use serde_json::{Map, Value};

use super::error::{ErrorType, FieldErrors, IdentityError};
use crate::http::body::{after_json_whitespace, BodyKind};
use crate::http::request::HttpRequest;

/// A JSON object body and the problems found in it so far.
#[derive(Debug)]
pub(crate) struct JsonBody {
    object: Map<String, Value>,
    problems: FieldErrors,
}

impl JsonBody {
    /// The body as a JSON object. An empty body is `{}`; no `Content-Type` is fine when the
    /// body is JSON; another media type → 415, malformed JSON or a non-object → 400. What
    /// the body is comes from [`BodyKind::of`], as for the journal that records it.
    pub(crate) fn parse(req: &HttpRequest) -> Result<Self, IdentityError> {
        match BodyKind::of(req) {
            BodyKind::Empty => return Ok(Self::from_object(Map::new())),
            BodyKind::Json | BodyKind::Form { declared: false } => {}
            BodyKind::Form { declared: true } => {
                return Err(unsupported("application/x-www-form-urlencoded"))
            }
            BodyKind::Other(other) => return Err(unsupported(&other)),
        }
        if after_json_whitespace(&req.body).is_empty() {
            return Ok(Self::from_object(Map::new()));
        }
        match serde_json::from_slice::<Value>(&req.body) {
            Ok(Value::Object(object)) => Ok(Self::from_object(object)),
            Ok(_) => Err(IdentityError::bad_body(
                "The request body must be a JSON object",
            )),
            Err(e) => Err(IdentityError::bad_body(format!("Malformed JSON body: {e}"))),
        }
    }

    fn from_object(object: Map<String, Value>) -> Self {
        Self {
            object,
            problems: FieldErrors::default(),
        }
    }

    /// The raw value of `field` (`None` when absent or `null`).
    pub(crate) fn value(&self, field: &str) -> Option<&Value> {
        self.object.get(field).filter(|v| !v.is_null())
    }

    /// A non-empty string field; notes a problem when it is absent, empty or not a string.
    pub(crate) fn required_string(&mut self, field: &str) -> Option<String> {
        let problem = match self.value(field) {
            Some(Value::String(s)) if !s.is_empty() => return Some(s.clone()),
            Some(Value::String(_)) => format!("{field} must not be empty"),
            Some(_) => format!("{field} must be a string"),
            None => format!("{field} is required"),
        };
        self.invalid(field, problem);
        None
    }

    /// Notes a problem with `field` (format, length, unknown name…).
    pub(crate) fn invalid(&mut self, field: &str, message: impl Into<String>) {
        self.problems.add(field, message);
    }

    /// `Ok` when no field was bad, else 400 ValidationError with `message` and every field.
    pub(crate) fn finish(self, message: &str) -> Result<(), IdentityError> {
        self.problems.into_result(message)
    }
}

/// 415 for a body that is not JSON.
fn unsupported(media_type: &str) -> IdentityError {
    IdentityError::new(
        ErrorType::UnsupportedMediaType,
        format!("Unsupported Content-Type {media_type:?}; send application/json"),
    )
}
