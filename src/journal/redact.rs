//! Which parameters are secret, and the request's parameters as the journal keeps them.
//!
//! Reading is lenient on purpose: the journal records what arrived, so a body that the
//! handler refused (a repeated parameter, a nested JSON value) is still recorded, and
//! still redacted.

use serde_json::Value;

use crate::http::request::{HttpRequest, MediaType};

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

/// Whether a parameter's value must never reach the journal. Names are compared lowercase
/// and without `_` or `-`, so the JSON faces' camelCase names are covered too.
pub(crate) fn is_secret(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_NAMES.contains(&folded.as_str())
        || SECRET_ENDINGS.iter().any(|end| folded.ends_with(end))
}

/// The query and body parameters of `req`, in order, with secret values redacted.
pub(crate) fn recorded_params(req: &HttpRequest) -> Vec<(String, String)> {
    let mut params = form_params(req.query.as_bytes());
    if !req.body.is_empty() {
        params.extend(body_params(req));
    }
    params
}

fn form_params(form: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(form)
        .map(|(k, v)| {
            let value = if is_secret(&k) {
                REDACTED.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), value)
        })
        .collect()
}

/// A form or JSON body, told apart as the handlers tell them apart; nothing for anything
/// else.
fn body_params(req: &HttpRequest) -> Vec<(String, String)> {
    let is_json = match req.media_type() {
        MediaType::Form => false,
        MediaType::Json => true,
        MediaType::Missing => req.body.first() == Some(&b'{'),
        MediaType::Other(_) => return Vec::new(),
    };
    if !is_json {
        return form_params(&req.body);
    }
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(object)) => object
            .into_iter()
            .map(|(key, value)| {
                let text = match value {
                    _ if is_secret(&key) => REDACTED.to_owned(),
                    Value::String(s) => s,
                    mut other => {
                        redact_json(&mut other);
                        other.to_string()
                    }
                };
                (key, text)
            })
            .collect(),
        _ => Vec::new(),
    }
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
    fn nested_json_secrets_are_redacted() {
        let mut value = serde_json::json!({"users": [{"name": "a", "password": "p"}]});
        redact_json(&mut value);
        assert_eq!(
            value.to_string(),
            r#"{"users":[{"name":"a","password":"[redacted]"}]}"#
        );
    }
}
