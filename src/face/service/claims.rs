//! The claims of an access token: asked of the application's claims endpoint or closure on
//! every login and refresh, outside the store lock, and checked before anything is issued.

use std::time::Duration;

use serde_json::{Map, Value};

use super::error::ServiceError;
use crate::store::Account;
use crate::store::{Application, ClaimsFn, ClaimsSource};

/// Claims the face sets itself; an application may not set them.
pub(super) const RESERVED: [&str; 4] = ["sub", "iss", "exp", "iat"];

/// The claims `app` gives `account`: a JSON object without a reserved claim, or a 502.
pub(super) async fn fetch(
    app: &Application,
    account: &Account,
    timeout: Duration,
) -> Result<Map<String, Value>, ServiceError> {
    let (source, answer) = match &app.claims {
        ClaimsSource::Nothing => return Ok(Map::new()),
        ClaimsSource::Closure(claims) => (
            format!("the claims closure of application {:?}", app.name),
            call_closure(claims, account),
        ),
        ClaimsSource::Url(url) => (
            format!("the claims endpoint {url} of application {:?}", app.name),
            call_url(url, &app.secret, account, timeout).await,
        ),
    };
    let answer = answer.map_err(|problem| {
        ServiceError::claims_failed(format!("{source} {problem}; no tokens were issued"))
    })?;
    checked(answer).map_err(|problem| {
        ServiceError::claims_failed(format!("{source} {problem}; no tokens were issued"))
    })
}

/// The answer as a claims object, or what is wrong with it (as the rest of a sentence).
fn checked(answer: Value) -> Result<Map<String, Value>, String> {
    let Value::Object(claims) = answer else {
        return Err(format!(
            "answered {}, not a JSON object; answer the claims as an object such as {{\"role\": \"admin\"}}",
            kind(&answer)
        ));
    };
    if let Some(name) = RESERVED.iter().find(|name| claims.contains_key(**name)) {
        return Err(format!(
            "returned the claim {name:?}, which the service face sets itself ({}); rename or drop it",
            RESERVED.join(", ")
        ));
    }
    Ok(claims)
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Runs the closure on this thread; a panic in it is the test's bug, reported as a 502.
fn call_closure(claims: &ClaimsFn, account: &Account) -> Result<Value, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| claims(account))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(problem)) => Err(format!("returned an error: {problem}")),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a non-text payload".to_owned());
            Err(format!("panicked: {message}"))
        }
    }
}

#[cfg(feature = "claims-url")]
async fn call_url(
    url: &str,
    secret: &str,
    account: &Account,
    timeout: Duration,
) -> Result<Value, String> {
    super::claims_url::call(url, secret, account, timeout).await
}

/// Without the feature no application can have a URL (creating one is refused); this keeps
/// the arm total.
#[cfg(not(feature = "claims-url"))]
async fn call_url(
    url: &str,
    _secret: &str,
    _account: &Account,
    _timeout: Duration,
) -> Result<Value, String> {
    Err(format!(
        "cannot be called: {}",
        crate::store::claims_url_problem(url).unwrap_or_default()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_object_without_reserved_claims_passes() {
        let claims = checked(json!({"role": "admin", "nbf": 1})).unwrap();
        assert_eq!(claims["role"], "admin");
    }

    #[test]
    fn reserved_claims_and_non_objects_are_refused() {
        let sub = checked(json!({"sub": "someone-else"})).unwrap_err();
        assert!(sub.contains("\"sub\""), "{sub}");
        let array = checked(json!(["admin"])).unwrap_err();
        assert!(array.starts_with("answered an array"), "{array}");
    }
}
