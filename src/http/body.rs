//! What a request body is ([`BodyKind`], the one decision every parser and the journal's
//! redaction share), and request parameters from a query string, a form body or a JSON
//! body, with the same rules for all three: every parameter at most once (RFC 6749 §3.1),
//! JSON objects only.

use serde_json::Value;

use super::request::{HttpRequest, MediaType};
use crate::error::OAuthError;

/// What a request body is, as every reader of bodies decides it: the OIDC face's
/// parameters, the identity and service faces' JSON, and the journal, which must redact a
/// body exactly as the handler that read it (a login the faces accept as JSON must not be
/// recorded as a form whose one parameter name is the whole body, password included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// No `Content-Type`, and nothing but JSON whitespace (or nothing at all).
    Empty,
    /// A form: declared (`application/x-www-form-urlencoded`), or no `Content-Type` and a
    /// body that does not start as a JSON object.
    Form {
        /// Whether the `Content-Type` said so (the JSON faces refuse a declared form with
        /// 415, and answer 400 to an undeclared body that is no JSON).
        declared: bool,
    },
    /// JSON: declared (`application/json`, any `+json` type), or no `Content-Type` and a
    /// body that [starts as a JSON object](starts_as_json_object), as lenient servers read it.
    Json,
    /// Another `Content-Type`, lowercased, without parameters.
    Other(String),
}

impl BodyKind {
    /// What `req`'s body is, by its `Content-Type` ([`HttpRequest::media_type`]) and, when
    /// it has none, by its first bytes.
    pub(crate) fn of(req: &HttpRequest) -> Self {
        match req.media_type() {
            MediaType::Form => Self::Form { declared: true },
            MediaType::Json => Self::Json,
            MediaType::Other(other) => Self::Other(other),
            MediaType::Missing => match after_json_whitespace(&req.body).first() {
                None => Self::Empty,
                Some(b'{') => Self::Json,
                Some(_) => Self::Form { declared: false },
            },
        }
    }
}

/// `body` without the whitespace JSON allows before a value: space, tab, CR and LF, exactly
/// what `serde_json` skips (not form feed, not Unicode spaces).
pub(crate) fn after_json_whitespace(body: &[u8]) -> &[u8] {
    let start = body
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .unwrap_or(body.len());
    &body[start..]
}

/// Whether `body`'s first byte after JSON whitespace opens an object.
pub(crate) fn starts_as_json_object(body: &[u8]) -> bool {
    after_json_whitespace(body).first() == Some(&b'{')
}

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

    /// Parameters of the request's body, read as [`BodyKind::of`] says (form or JSON).
    pub(crate) fn from_body(req: &HttpRequest) -> Result<Self, OAuthError> {
        match BodyKind::of(req) {
            BodyKind::Empty => Ok(Params::default()),
            BodyKind::Form { .. } => Self::from_form(&req.body),
            BodyKind::Json => Self::from_json(&req.body),
            BodyKind::Other(other) => Err(OAuthError::invalid_request(format!(
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

    fn request(content_type: Option<&str>, body: &'static [u8]) -> HttpRequest {
        let mut headers = hyper::HeaderMap::new();
        if let Some(value) = content_type {
            headers.insert("content-type", value.parse().unwrap());
        }
        HttpRequest {
            method: hyper::Method::POST,
            path: "/".into(),
            query: String::new(),
            headers,
            body: bytes::Bytes::from_static(body),
            peer: None,
        }
    }

    #[test]
    fn a_body_without_content_type_is_json_when_it_starts_as_an_object_after_json_whitespace() {
        for body in [&b"{}"[..], b"\n{\"a\":1}", b" \t\r\n{"] {
            assert_eq!(
                BodyKind::of(&request(None, body)),
                BodyKind::Json,
                "{body:?}"
            );
        }
        for body in [&b"a=1"[..], b"\x0c{}", b"[1]", b"\xc2\xa0{}"] {
            assert_eq!(
                BodyKind::of(&request(None, body)),
                BodyKind::Form { declared: false },
                "{body:?}"
            );
        }
        for body in [&b""[..], b" \n\t\r"] {
            assert_eq!(
                BodyKind::of(&request(None, body)),
                BodyKind::Empty,
                "{body:?}"
            );
        }
    }

    #[test]
    fn a_declared_content_type_decides_whatever_the_body_looks_like() {
        let form = request(Some("application/x-www-form-urlencoded"), b"{}");
        assert_eq!(BodyKind::of(&form), BodyKind::Form { declared: true });
        let json = request(Some("application/vnd.api+json; charset=utf-8"), b"a=1");
        assert_eq!(BodyKind::of(&json), BodyKind::Json);
        let text = request(Some("Text/Plain"), b"{}");
        assert_eq!(BodyKind::of(&text), BodyKind::Other("text/plain".into()));
    }

    #[test]
    fn a_json_login_after_whitespace_reads_as_json() {
        let req = request(None, b"\n{\"grant_type\":\"password\"}");
        let params = Params::from_body(&req).unwrap();
        assert_eq!(params.get("grant_type"), Some("password"));
    }

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
