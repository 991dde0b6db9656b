//! Reading a management body field by field: every problem is noted against its field and
//! reading goes on, so that one 400 `ValidationError` lists every bad field at once
//! (`details: {field: [messages]}`). Checks that need the store (unknown role or
//! permission names, taken names) are added by the domain step to the same list.

use serde_json::{Map, Value};

use super::body::JsonBody;
use super::error::IdentityError;
use crate::http::request::HttpRequest;
use crate::store::manage::FieldProblems;

/// Fields a client may send back as it read them; they are ignored.
const READ_ONLY: [&str; 2] = ["id", "createdAt"];
/// Longest accepted name, username or email, in characters.
const MAX_NAME: usize = 128;
/// Longest accepted description or person name, in characters.
const MAX_TEXT: usize = 1024;
/// Shortest accepted password, in characters (docs/identity.md#validation-rules).
pub(crate) const MIN_PASSWORD: usize = 8;

/// A JSON object body being read.
#[derive(Debug)]
pub(crate) struct Fields {
    object: Map<String, Value>,
    problems: FieldProblems,
}

impl Fields {
    /// The request's JSON object body (415 for another media type, 400 for malformed JSON
    /// or a non-object, in the face's shape), with a problem noted for every field that is
    /// not one of `accepted` (nor `id` or `createdAt`, which are ignored).
    pub(crate) fn read(req: &HttpRequest, accepted: &[&str]) -> Result<Self, IdentityError> {
        // The face's reader decides what is a JSON object body and answers what is not;
        // the object is then read again here (bodies are small and bounded).
        JsonBody::parse(req)?;
        let object: Map<String, Value> = serde_json::from_slice(&req.body).unwrap_or_default();
        let mut problems = FieldProblems::default();
        for field in object.keys() {
            if !accepted.contains(&field.as_str()) && !READ_ONLY.contains(&field.as_str()) {
                problems.add(
                    field,
                    format!("Unknown field; the fields are {}", accepted.join(", ")),
                );
            }
        }
        Ok(Self { object, problems })
    }

    /// What was found wrong so far.
    pub(crate) fn into_problems(self) -> FieldProblems {
        self.problems
    }

    /// A text field that must be there and not blank; `""` when it is bad (noted).
    pub(crate) fn required_text(&mut self, field: &str) -> String {
        match self.object.get(field) {
            None | Some(Value::Null) => {
                self.problems.add(field, format!("{field} is required"));
                String::new()
            }
            Some(_) => match self.optional_text(field, MAX_NAME) {
                Some(text) if text.trim().is_empty() => {
                    self.problems
                        .add(field, format!("{field} must not be empty"));
                    String::new()
                }
                text => text.unwrap_or_default(),
            },
        }
    }

    /// A text field that may be absent or `null`, at most `max` characters.
    pub(crate) fn optional_text(&mut self, field: &str, max: usize) -> Option<String> {
        match self.object.get(field) {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) if text.chars().count() > max => {
                self.problems
                    .add(field, format!("{field} must be at most {max} characters"));
                None
            }
            Some(Value::String(text)) => Some(text.clone()),
            Some(_) => {
                self.problems
                    .add(field, format!("{field} must be a string"));
                None
            }
        }
    }

    /// A description, first or last name: optional text of reasonable length.
    pub(crate) fn optional_description(&mut self, field: &str) -> Option<String> {
        self.optional_text(field, MAX_TEXT)
    }

    /// The name of a role or permission: required, and usable as a path segment.
    pub(crate) fn name(&mut self, field: &str) -> String {
        let name = self.required_text(field);
        // An empty name was reported as missing or empty already.
        if let Some(problem) = name_problem(&name).filter(|_| !name.is_empty()) {
            self.problems.add(field, problem);
        }
        name
    }

    /// A username: required, without whitespace or `/`.
    pub(crate) fn username(&mut self, field: &str) -> String {
        let name = self.required_text(field);
        if name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '/')
        {
            self.problems
                .add(field, format!("{field} must not contain whitespace or '/'"));
        }
        name
    }

    /// An email address: required and well formed.
    pub(crate) fn email(&mut self, field: &str) -> String {
        let email = self.required_text(field);
        if !email.is_empty() && !is_email(&email) {
            self.problems.add(field, "Invalid email format");
        }
        email
    }

    /// A password of at least [`MIN_PASSWORD`] characters; `None` when absent or bad (a
    /// problem is noted when it is bad, or absent and `required`).
    pub(crate) fn password(&mut self, field: &str, required: bool) -> Option<String> {
        let password = if required {
            Some(self.required_text(field)).filter(|p| !p.is_empty())
        } else {
            self.optional_text(field, MAX_NAME)
        }?;
        if password.chars().count() < MIN_PASSWORD {
            self.problems.add(
                field,
                format!("Password must be at least {MIN_PASSWORD} characters"),
            );
            return None;
        }
        Some(password)
    }

    /// A list of role or permission names (absent or `null` = none), without repeats.
    pub(crate) fn names(&mut self, field: &str) -> Vec<String> {
        let items = match self.object.get(field) {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.problems
                    .add(field, format!("{field} must be an array of names"));
                return Vec::new();
            }
        };
        let mut names: Vec<String> = Vec::with_capacity(items.len());
        let mut bad = false;
        for item in items {
            match item.as_str() {
                Some(name) if name_problem(name).is_none() => {
                    if !names.iter().any(|n| n == name) {
                        names.push(name.to_owned());
                    }
                }
                _ => bad = true,
            }
        }
        if bad {
            self.problems.add(
                field,
                format!("{field} must be an array of names (non-empty strings of at most {MAX_NAME} characters, without '/')"),
            );
        }
        names
    }

    /// A date-time in RFC 3339 (`2025-03-09T16:13:13Z`) as Unix seconds; absent or `null`
    /// is `None`.
    pub(crate) fn timestamp(&mut self, field: &str) -> Option<u64> {
        let text = self.optional_text(field, MAX_NAME)?;
        let parsed = super::timestamp::parse(&text);
        if parsed.is_none() {
            self.problems.add(
                field,
                format!("{field} must be an ISO 8601 date-time in UTC or with an offset, e.g. 2030-01-31T12:00:00Z"),
            );
        }
        parsed
    }
}

/// Why `name` cannot name a role or permission, if it cannot.
fn name_problem(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        Some("names must not be empty".to_owned())
    } else if name.chars().count() > MAX_NAME {
        Some(format!("names must be at most {MAX_NAME} characters"))
    } else if name.trim() != name {
        Some("names must not start or end with whitespace".to_owned())
    } else if name.chars().any(|c| c.is_control() || c == '/') {
        Some("names must not contain '/' or control characters (they appear in paths)".to_owned())
    } else {
        None
    }
}

/// `local@domain.tld`: one `@`, no whitespace, a dotted domain of letters, digits and `-`.
fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && local
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"@<>()[]\\,;:\"".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        for good in [
            "a@b.co",
            "jane.smith+x@example.test",
            "o'neil@mail.example.com",
        ] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "",
            "jane",
            "@example.test",
            "jane@",
            "jane@localhost",
            "jane@@x.test",
            "ja ne@x.test",
            "jane@x..test",
            "jane@-x.test",
            "jane@x.test.",
            ".jane@x.test",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn names_must_fit_in_a_path_segment() {
        assert_eq!(name_problem("content:write"), None);
        assert_eq!(name_problem("Content Editor"), None);
        assert!(name_problem("a/b").is_some());
        assert!(name_problem(" padded").is_some());
        assert!(name_problem("").is_some());
    }
}
