//! Request parameters from a query string, a form body or a JSON body, with the same rules
//! for all three: every parameter at most once (RFC 6749 §3.1), JSON objects only.

use serde_json::Value;

use super::request::{HttpRequest, MediaType};
use crate::error::OAuthError;

/// Flat request parameters, in the order they came.
#[derive(Debug, Default, Clone)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// Parameters of an `application/x-www-form-urlencoded` string (query or body).
    pub(crate) fn from_form(form: &[u8]) -> Result<Self, OAuthError> {
        let mut params = Params::default();
        for (k, v) in form_urlencoded::parse(form) {
            params.push(k.into_owned(), v.into_owned())?;
        }
        Ok(params)
    }

    /// Parameters of the request's body, as its `Content-Type` says (form or JSON).
    pub(crate) fn from_body(req: &HttpRequest) -> Result<Self, OAuthError> {
        match req.media_type() {
            MediaType::Form => Self::from_form(&req.body),
            MediaType::Json => Self::from_json(&req.body),
            // No Content-Type: read what the body looks like, as lenient servers do.
            MediaType::Missing if req.body.is_empty() => Ok(Params::default()),
            MediaType::Missing if req.body.first() == Some(&b'{') => Self::from_json(&req.body),
            MediaType::Missing => Self::from_form(&req.body),
            MediaType::Other(other) => Err(OAuthError::invalid_request(format!(
                "unsupported Content-Type {other:?}; send application/x-www-form-urlencoded or application/json"
            ))
            .with_status(415)),
        }
    }

    fn from_json(body: &[u8]) -> Result<Self, OAuthError> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| OAuthError::invalid_request(format!("malformed JSON body: {e}")))?;
        let Value::Object(object) = value else {
            return Err(OAuthError::invalid_request(
                "the JSON body must be an object of parameters",
            ));
        };
        let mut params = Params::default();
        for (key, value) in object {
            let text = match value {
                Value::String(s) => s,
                Value::Null => continue,
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                // `"scope": ["openid", "email"]` is a common client habit.
                Value::Array(items) if items.iter().all(Value::is_string) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => {
                    return Err(OAuthError::invalid_request(format!(
                        "parameter {key:?} must be a string, number or boolean"
                    )))
                }
            };
            params.push(key, text)?;
        }
        Ok(params)
    }

    fn push(&mut self, key: String, value: String) -> Result<(), OAuthError> {
        if self.get(&key).is_some() {
            return Err(OAuthError::invalid_request(format!(
                "parameter {key:?} appears more than once (RFC 6749 §3.1)"
            )));
        }
        self.0.push((key, value));
        Ok(())
    }

    /// A parameter; an empty value counts as absent (RFC 6749 §3.1).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A parameter that must be there.
    pub(crate) fn require(&self, key: &str) -> Result<&str, OAuthError> {
        self.get(key)
            .ok_or_else(|| OAuthError::invalid_request(format!("missing parameter {key:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_parameters_are_refused() {
        let err = Params::from_form(b"a=1&a=2").unwrap_err();
        assert_eq!(
            err.description,
            "parameter \"a\" appears more than once (RFC 6749 §3.1)"
        );
    }

    #[test]
    fn json_scalars_and_scope_arrays_flatten_to_strings() {
        let p =
            Params::from_json(br#"{"scope":["openid","email"],"n":3,"b":true,"x":null}"#).unwrap();
        assert_eq!(p.get("scope"), Some("openid email"));
        assert_eq!(p.get("n"), Some("3"));
        assert_eq!(p.get("b"), Some("true"));
        assert_eq!(p.get("x"), None);
    }

    #[test]
    fn nested_json_and_non_objects_are_refused() {
        assert!(Params::from_json(br#"{"a":{"b":1}}"#).is_err());
        assert!(Params::from_json(br#"[1,2]"#).is_err());
        assert!(Params::from_json(br#"{"a":"#).is_err());
    }
}
