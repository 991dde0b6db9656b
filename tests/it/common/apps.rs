//! Helpers of the apps face's tests: servers with the face, JSON calls below
//! `/auth/{app_id}`, and sign-ups.

use mockauth::{Face, MockAuth};
use serde_json::{json, Value};

use super::identity::{read, Answer};

/// A password the default policy accepts.
pub const STRONG: &str = "MyP@ssw0rd!";

/// A server with the apps face at the origin.
pub async fn server() -> MockAuth {
    MockAuth::builder().face(Face::apps()).start().await
}

/// The URL of `path` (e.g. `/signup`) of app `app`.
pub fn url(auth: &MockAuth, app: &str, path: &str) -> String {
    format!("http://{}/auth/{app}{path}", auth.address())
}

/// POSTs JSON to `path` of `app`.
pub async fn post(auth: &MockAuth, app: &str, path: &str, body: Value) -> Answer {
    read(
        super::http()
            .post(url(auth, app, path))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// Calls `path` of `app` with `method` and a bearer token.
pub async fn with_bearer(
    auth: &MockAuth,
    app: &str,
    method: &str,
    path: &str,
    token: &str,
) -> Answer {
    read(
        super::http()
            .request(method.parse().unwrap(), url(auth, app, path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// Signs `email` up to `app` with [`STRONG`]; panics unless 201.
pub async fn signup(auth: &MockAuth, app: &str, email: &str) -> Value {
    let answer = post(
        auth,
        app,
        "/signup",
        json!({ "email": email, "password": STRONG }),
    )
    .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    answer.body
}
