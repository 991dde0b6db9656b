//! Which parameters are secret, and the request's parameters as the journal keeps them:
//! read as the handlers read them ([`BodyKind::of`]), secrets redacted, bounded.
//!
//! Reading is lenient on purpose: the journal records what arrived, so a body that the
//! handler refused (a repeated parameter, a nested JSON value) is still recorded, and
//! still redacted. What reads as nothing (malformed JSON, a JSON body that is no object,
//! another media type, JSON sent as a form) is not recorded at all, and neither is a name no
//! handler could have meant (see [`is_kept_name`]).

use serde_json::Value;

use super::bounds::{cut, MAX_NAME_BYTES, MAX_PARAMS};
use crate::http::body::BodyKind;
use crate::http::request::HttpRequest;

/// What a secret value is replaced with.
pub(crate) const REDACTED: &str = "[redacted]";

/// Parameter names that are secret whatever their spelling (`mfa_token`, `mfaToken`, …).
const SECRET_NAMES: [&str; 5] = ["code", "otp", "totp", "assertion", "idtokenhint"];

/// Endings of secret parameter names: `client_secret`, `new_password`, `refresh_token`,
/// `code_verifier`, `client_assertion`, `x_api_key`, `_sandbox_mfa_code`, …
const SECRET_ENDINGS: [&str; 7] = [
    "secret",
    "password",
    "token",
    "code",
    "verifier",
    "assertion",
    "apikey",
];

/// Words that make a name secret wherever they stand in it: `password_confirmation`,
/// `passwdHint`, `secretAnswer`, `client_secret_2`, …
const SECRET_WORDS: [&str; 3] = ["password", "passwd", "secret"];

/// Whether a parameter's value must never reach the journal. Names are compared lowercase
/// and by their letters and digits only, so the JSON faces' camelCase names are covered,
/// and so is a name that a mangled body bent (a form body written with a byte-order mark,
/// `\u{feff}password`; a byte that is not UTF-8, decoded as U+FFFD; `[[otp`): no handler
/// reads such a name, but its value is the secret all the same.
pub(crate) fn is_secret(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_NAMES.contains(&folded.as_str())
        || SECRET_ENDINGS.iter().any(|end| folded.ends_with(end))
        || SECRET_WORDS.iter().any(|word| folded.contains(word))
}

/// Whether a parameter name is kept: 1 to [`MAX_NAME_BYTES`] bytes, no control characters
/// and none of `"`, `{`, `}` or `\`. A name that breaks this is no name a handler reads; it
/// is what a body read the wrong way looks like (a whole JSON object as one form name,
/// password included), so it is dropped with its value, never stored.
pub(crate) fn is_kept_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_BYTES
        && !name
            .chars()
            .any(|c| c.is_control() || matches!(c, '"' | '{' | '}' | '\\'))
}

/// The parameters of one request as the journal keeps them, and the few values its own
/// fields come from.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    /// Query, then body parameters: the first [`MAX_PARAMS`] with a kept name, secrets
    /// redacted, every value [`cut`].
    pub(crate) params: Vec<(String, String)>,
    /// The first non-empty `client_id`, `grant_type`, `username` and `login_hint`, uncut
    /// (expectations count them before the journal cuts them), wherever they stood.
    pub(crate) client_id: Option<String>,
    pub(crate) grant_type: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) login_hint: Option<String>,
}

impl Collected {
    fn add(&mut self, name: &str, value: &str) {
        if !is_kept_name(name) {
            return;
        }
        let noted = match name {
            "client_id" => Some(&mut self.client_id),
            "grant_type" => Some(&mut self.grant_type),
            "username" => Some(&mut self.username),
            "login_hint" => Some(&mut self.login_hint),
            _ => None,
        };
        if let Some(slot) = noted {
            if slot.is_none() && !value.is_empty() {
                *slot = Some(value.to_owned());
            }
        }
        if self.params.len() < MAX_PARAMS {
            let value = if is_secret(name) {
                REDACTED.to_owned()
            } else {
                cut(value)
            };
            self.params.push((name.to_owned(), value));
        }
    }

    /// A form's parameters, up to the first name that holds JSON's punctuation (`"`, `{`,
    /// `}`): there JSON sent as a form begins (whatever precedes it: a byte-order mark,
    /// `[`, other parameters), and what follows are fragments of it, one after a `&` inside
    /// a string carrying the members that follow, secrets included, in its value.
    fn add_form(&mut self, form: &[u8]) {
        for (name, value) in form_urlencoded::parse(form) {
            if name.contains(['"', '{', '}']) {
                break;
            }
            self.add(&name, &value);
        }
    }

    /// A JSON body as the faces read it: an object's members; a value that is not a string
    /// as compact JSON, its nested secrets redacted.
    fn add_json(&mut self, body: &[u8]) {
        let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
            return;
        };
        for (name, value) in object {
            match value {
                _ if is_secret(&name) => self.add(&name, REDACTED),
                Value::String(text) => self.add(&name, &text),
                mut other => {
                    redact_json(&mut other);
                    self.add(&name, &other.to_string());
                }
            }
        }
    }
}

/// The query and body parameters of `req`, in order, secrets redacted, bounded; the body
/// read as [`BodyKind::of`] says, as every handler reads it.
pub(crate) fn collect(req: &HttpRequest) -> Collected {
    let mut collected = Collected::default();
    collected.add_form(req.query.as_bytes());
    if req.body.is_empty() {
        return collected;
    }
    match BodyKind::of(req) {
        BodyKind::Form { .. } => collected.add_form(&req.body),
        BodyKind::Json => collected.add_json(&req.body),
        BodyKind::Empty | BodyKind::Other(_) => {}
    }
    collected
}

/// Redacts secret members of nested objects (an admin body's `{"users": [{"password": …}]}`).
fn redact_json(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (key, member) in object.iter_mut() {
                if is_secret(key) {
                    *member = Value::String(REDACTED.to_owned());
                } else {
                    redact_json(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_secret_parameter_is_secret_in_any_spelling() {
        for name in [
            "client_secret",
            "password",
            "code",
            "code_verifier",
            "assertion",
            "client_assertion",
            "refresh_token",
            "token",
            "access_token",
            "id_token_hint",
            "mfa_token",
            "otp",
            "refreshToken",
            "clientSecret",
            "newPassword",
            "x-api-key",
            "_sandbox_mfa_code",
            "password_confirmation",
            "passwdHint",
            "secretAnswer",
            "\u{feff}id_token_hint",
            "refreshTok\u{fffd}en",
            "[[otp",
            "client.secret",
        ] {
            assert!(is_secret(name), "{name} must be redacted");
        }
    }

    #[test]
    fn protocol_parameters_that_are_not_secret_are_kept() {
        for name in [
            "grant_type",
            "client_id",
            "username",
            "scope",
            "redirect_uri",
            "state",
            "nonce",
            "code_challenge",
            "code_challenge_method",
            "token_type_hint",
            "login_hint",
            "response_type",
        ] {
            assert!(!is_secret(name), "{name} must be kept");
        }
    }

    #[test]
    fn names_no_handler_reads_are_not_kept() {
        for name in [
            "",
            "\n{\"username\":\"a\",\"password\":\"b\"}",
            "{\"password\":\"b\"}",
            "tab\there",
            "back\\slash",
            &"n".repeat(MAX_NAME_BYTES + 1),
        ] {
            assert!(!is_kept_name(name), "{name:?} must be dropped");
        }
        for name in [
            "grant_type",
            "refreshToken",
            "scope[]",
            "x-api-key",
            "prénom",
        ] {
            assert!(is_kept_name(name), "{name:?} must be kept");
        }
    }

    #[test]
    fn nested_json_secrets_are_redacted() {
        let mut value = serde_json::json!({"users": [{"name": "a", "password": "p"}]});
        redact_json(&mut value);
        assert_eq!(
            value.to_string(),
            r#"{"users":[{"name":"a","password":"[redacted]"}]}"#
        );
    }
}
