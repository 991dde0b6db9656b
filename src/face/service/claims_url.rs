//! Calling an application's claims endpoint over plain HTTP (cargo feature `claims-url`).

use std::time::Duration;

use serde_json::{json, Value};

use super::input::SECRET_HEADER;
use crate::store::Account;

/// How much of a non-JSON answer goes into the error message.
const SHOWN_BODY: usize = 120;

/// `POST {url}` with `{accountId, type, refId}` and the application's secret header; the
/// JSON it answers, or what went wrong (as the rest of a sentence).
pub(super) async fn call(
    url: &str,
    secret: &str,
    account: &Account,
    timeout: Duration,
) -> Result<Value, String> {
    // A client per call: a pooled connection would belong to the runtime of the server
    // that opened it, and a test binary runs many servers, each on its own runtime.
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .map_err(|err| format!("could not be called: {err}"))?;
    let took_too_long = || {
        format!(
            "did not answer within {timeout:?} (MockAuthBuilder::claims_timeout sets the limit)"
        )
    };
    let response = client
        .post(url)
        .header(SECRET_HEADER, secret)
        .json(&json!({
            "accountId": account.id(),
            "type": account.kind(),
            "refId": account.ref_id(),
        }))
        .send()
        .await
        .map_err(|err| {
            if err.is_timeout() {
                took_too_long()
            } else {
                format!("could not be reached: {err}")
            }
        })?;
    let status = response.status();
    let body = response.bytes().await.map_err(|err| {
        if err.is_timeout() {
            took_too_long()
        } else {
            format!("answered {status} with a body that could not be read: {err}")
        }
    })?;
    if !status.is_success() {
        return Err(format!(
            "answered {status}; it must answer 2xx with a JSON object of claims (body: {})",
            shown(&body)
        ));
    }
    serde_json::from_slice(&body).map_err(|err| {
        format!(
            "answered {status} with a body that is not JSON ({err}): {}",
            shown(&body)
        )
    })
}

/// The start of a body, as text, for an error message.
fn shown(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(SHOWN_BODY) {
        Some((cut, _)) => format!("{:?}…", &text[..cut]),
        None => format!("{text:?}"),
    }
}
