//! The identity face's management groups over HTTP (docs/identity.md#management): `/users`,
//! `/roles`, `/permissions`, `/apikeys`, the relation reads, the guard, validation,
//! cascades and bad input, each answer checked for its status and its body.

use std::time::{Duration, UNIX_EPOCH};

use crate::common::{self, http, token_request};
use mockauth::{Face, IdentityRateLimits, MockAuth};
use reqwest::Method;
use serde_json::{json, Value};

mod api_keys;
mod bad_input;
mod guard;
mod permissions;
mod roles;
mod users;

/// 2024-03-09T16:13:13Z: the server's (frozen) clock at start.
const START: u64 = 1_710_000_793;
const START_ISO: &str = "2024-03-09T16:13:13Z";

/// A server with the identity face at the root, rate limits off, and a frozen clock.
async fn server() -> MockAuth {
    MockAuth::builder()
        .face(Face::identity().rate_limits(IdentityRateLimits::off()))
        .start_time(UNIX_EPOCH + Duration::from_secs(START))
        .frozen_clock()
        .start()
        .await
}

/// Who calls.
#[derive(Clone, Copy)]
enum Caller<'a> {
    Admin,
    Bearer(&'a str),
    Key(&'a str),
    Nobody,
}

/// Calls `method path` below the issuer as `caller`; `(status, JSON body or null)`.
async fn call(
    auth: &MockAuth,
    caller: Caller<'_>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = http().request(method, format!("{}{path}", auth.issuer()));
    request = match caller {
        Caller::Admin => request.bearer_auth(auth.admin_token()),
        Caller::Bearer(token) => request.bearer_auth(token),
        Caller::Key(key) => request.header("x-api-key", key),
        Caller::Nobody => request,
    };
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}: not JSON ({e}): {text}"))
    };
    (status, body)
}

async fn admin(auth: &MockAuth, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    call(auth, Caller::Admin, method, path, body).await
}

/// Creates what `body` describes at `path` as the admin and returns it (checking the 201).
async fn create(auth: &MockAuth, path: &str, body: Value) -> Value {
    let (status, created) = admin(auth, Method::POST, path, Some(body)).await;
    assert_eq!(status, 201, "POST {path}: {created}");
    created
}

/// Logs in through the identity face and returns the bearer token.
async fn login(auth: &MockAuth, username: &str, password: &str) -> String {
    let (status, body) = call(
        auth,
        Caller::Nobody,
        Method::POST,
        "/auth/login",
        Some(json!({"username": username, "password": password})),
    )
    .await;
    assert_eq!(status, 200, "login of {username}: {body}");
    body["token"].as_str().unwrap().to_owned()
}

/// Checks the face's error shape `{error, message, details, traceId}` and its status.
#[track_caller]
fn assert_error(answer: &(u16, Value), status: u16, error: &str) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["error"], error, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(body["details"].is_object(), "{body}");
    assert!(
        body["traceId"].as_str().is_some_and(|t| !t.is_empty()),
        "{body}"
    );
}

/// The names in a list answer.
fn names(list: &Value, field: &str) -> Vec<String> {
    let items = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"));
    items
        .iter()
        .map(|i| i[field].as_str().unwrap().to_owned())
        .collect()
}

fn jane() -> Value {
    json!({
        "username": "jane.smith",
        "email": "jane@example.test",
        "password": "SecurePass123!",
        "firstName": "Jane",
        "lastName": "Smith",
    })
}
