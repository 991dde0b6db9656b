//! The MFA flow over HTTP: the password grant's 403 `mfa_required` challenge and
//! `/mfa/verify` with the sandbox code or a real TOTP code, each good once.

use std::time::Duration;

use crate::common::{http, jwt_payload, status_json, token_request};
use mockauth::{MockAuth, TestUser};
use serde_json::{json, Value};

const SCOPE: &str = "openid profile email offline_access";

fn mfa_user(auth: &MockAuth) -> TestUser {
    auth.user("mfauser")
        .password("securepass")
        .mfa_totp()
        .create()
}

/// The password grant for `mfauser`; expects the 403 challenge and returns it.
async fn challenge(auth: &MockAuth) -> Value {
    let (status, body) = token_request(
        auth,
        &[
            ("grant_type", "password"),
            ("username", "mfauser"),
            ("password", "securepass"),
            ("scope", SCOPE),
        ],
    )
    .await;
    assert_eq!(status, 403, "expected an MFA challenge: {body}");
    body
}

fn text<'v>(body: &'v Value, name: &str) -> &'v str {
    body[name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {body}"))
}

/// POSTs `/mfa/verify` as a form with the default client's id.
async fn verify_form(auth: &MockAuth, mfa_token: &str, code: &str) -> (u16, Value) {
    let client = auth.default_client();
    let response = http()
        .post(auth.mfa_verify_url())
        .form(&[
            ("mfa_token", mfa_token),
            ("code", code),
            ("client_id", client.client_id()),
        ])
        .send()
        .await
        .unwrap();
    status_json(response).await
}

/// POSTs `/mfa/verify` as JSON with the default client's id.
async fn verify_json(auth: &MockAuth, mfa_token: &str, code: &str) -> (u16, Value) {
    let client = auth.default_client();
    let response = http()
        .post(auth.mfa_verify_url())
        .json(&json!({
            "mfa_token": mfa_token,
            "code": code,
            "client_id": client.client_id(),
        }))
        .send()
        .await
        .unwrap();
    status_json(response).await
}

/// A six-digit code that is none of `good`.
fn wrong_code(good: &[&str]) -> String {
    ["000000", "111111", "222222"]
        .into_iter()
        .find(|c| !good.contains(c))
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn password_grant_for_an_mfa_user_answers_403_mfa_required() {
    // Arrange
    let auth = MockAuth::start().await;
    mfa_user(&auth);
    let client = auth.default_client();

    // Act
    let response = http()
        .post(auth.token_url())
        .form(&[
            ("grant_type", "password"),
            ("client_id", client.client_id()),
            ("client_secret", client.client_secret().unwrap()),
            ("username", "mfauser"),
            ("password", "securepass"),
        ])
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.headers()["cache-control"], "no-store");
    let (status, body) = status_json(response).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "mfa_required");
    assert!(text(&body, "mfa_token").starts_with("mfatk_"), "{body}");
    assert_eq!(body["mfa_methods"], json!(["totp"]));
    let code = text(&body, "_sandbox_mfa_code");
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{body}"
    );
    assert!(body.get("access_token").is_none(), "{body}");
    assert!(body.get("refresh_token").is_none(), "{body}");
}

#[tokio::test]
async fn sandbox_code_in_a_json_body_completes_the_challenge_with_a_full_token_set() {
    // Arrange
    let auth = MockAuth::start().await;
    let user = mfa_user(&auth);
    let challenge = challenge(&auth).await;

    // Act
    let (status, body) = verify_json(
        &auth,
        text(&challenge, "mfa_token"),
        text(&challenge, "_sandbox_mfa_code"),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], SCOPE);
    assert!(body["refresh_token"].is_string(), "{body}");
    assert_eq!(jwt_payload(text(&body, "id_token"))["sub"], user.id());
    assert_eq!(jwt_payload(text(&body, "access_token"))["sub"], user.id());
}

#[tokio::test]
async fn totp_code_in_a_form_body_completes_the_challenge() {
    // Arrange
    let auth = MockAuth::start().await;
    let user = mfa_user(&auth);
    let challenge = challenge(&auth).await;
    let code = auth.totp_code("mfauser");

    // Act
    let (status, body) = verify_form(&auth, text(&challenge, "mfa_token"), &code).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string(), "{body}");
    assert!(body["refresh_token"].is_string(), "{body}");
    assert_eq!(jwt_payload(text(&body, "id_token"))["sub"], user.id());
}

#[tokio::test]
async fn the_same_totp_code_cannot_be_used_twice() {
    // Arrange
    let auth = MockAuth::start().await;
    mfa_user(&auth);
    let code = auth.totp_code("mfauser");
    let first = challenge(&auth).await;
    let (status, body) = verify_form(&auth, text(&first, "mfa_token"), &code).await;
    assert_eq!(status, 200, "{body}");
    let second = challenge(&auth).await;

    // Act
    let (status, body) = verify_form(&auth, text(&second, "mfa_token"), &code).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(body.get("access_token").is_none(), "{body}");
}

#[tokio::test]
async fn a_challenge_is_answered_only_once() {
    // Arrange
    let auth = MockAuth::start().await;
    mfa_user(&auth);
    let challenge = challenge(&auth).await;
    let (mfa_token, code) = (
        text(&challenge, "mfa_token"),
        text(&challenge, "_sandbox_mfa_code"),
    );
    let (status, body) = verify_json(&auth, mfa_token, code).await;
    assert_eq!(status, 200, "{body}");

    // Act
    let (status, body) = verify_json(&auth, mfa_token, code).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        text(&body, "error_description").contains("already used"),
        "{body}"
    );
}

#[tokio::test]
async fn wrong_code_is_invalid_grant_and_the_challenge_survives() {
    // Arrange
    let auth = MockAuth::start().await;
    mfa_user(&auth);
    let challenge = challenge(&auth).await;
    let (mfa_token, sandbox) = (
        text(&challenge, "mfa_token"),
        text(&challenge, "_sandbox_mfa_code"),
    );
    let wrong = wrong_code(&[sandbox, &auth.totp_code("mfauser")]);

    // Act
    let (status, body) = verify_json(&auth, mfa_token, &wrong).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "invalid MFA code");
    let (status, retry) = verify_json(&auth, mfa_token, sandbox).await;
    assert_eq!(status, 200, "{retry}");
}

#[tokio::test]
async fn five_wrong_codes_kill_the_challenge() {
    // Arrange
    let auth = MockAuth::start().await;
    mfa_user(&auth);
    let challenge = challenge(&auth).await;
    let (mfa_token, sandbox) = (
        text(&challenge, "mfa_token"),
        text(&challenge, "_sandbox_mfa_code"),
    );
    let wrong = wrong_code(&[sandbox, &auth.totp_code("mfauser")]);
    for attempt in 1..=4 {
        let (status, body) = verify_json(&auth, mfa_token, &wrong).await;
        assert_eq!(status, 400, "attempt {attempt}: {body}");
        assert_eq!(body["error_description"], "invalid MFA code");
    }

    // Act
    let (status, fifth) = verify_json(&auth, mfa_token, &wrong).await;

    // Assert
    assert_eq!(status, 400, "{fifth}");
    assert_eq!(fifth["error"], "invalid_grant");
    assert!(
        text(&fifth, "error_description").contains("too many attempts"),
        "{fifth}"
    );
    let (status, late) = verify_json(&auth, mfa_token, sandbox).await;
    assert_eq!(status, 400, "the right code after the fifth miss: {late}");
    assert_eq!(late["error"], "invalid_grant");
}

#[tokio::test]
async fn expired_challenge_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    mfa_user(&auth);
    let challenge = challenge(&auth).await;
    auth.advance(Duration::from_secs(301));

    // Act
    let (status, body) = verify_json(
        &auth,
        text(&challenge, "mfa_token"),
        text(&challenge, "_sandbox_mfa_code"),
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        text(&body, "error_description").contains("expired"),
        "{body}"
    );
}

#[tokio::test]
async fn challenge_ttl_follows_the_builder() {
    // Arrange
    let auth = MockAuth::builder()
        .mfa_challenge_ttl(Duration::from_secs(30))
        .start()
        .await;
    mfa_user(&auth);
    let challenge = challenge(&auth).await;
    auth.advance(Duration::from_secs(31));

    // Act
    let (status, body) = verify_form(
        &auth,
        text(&challenge, "mfa_token"),
        text(&challenge, "_sandbox_mfa_code"),
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        text(&body, "error_description").contains("expired"),
        "{body}"
    );
}

#[tokio::test]
async fn wrong_password_of_an_mfa_user_gets_no_challenge() {
    // Arrange
    let auth = MockAuth::start().await;
    mfa_user(&auth);

    // Act
    let (status, body) = token_request(
        &auth,
        &[
            ("grant_type", "password"),
            ("username", "mfauser"),
            ("password", "not-securepass"),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(body.get("mfa_token").is_none(), "{body}");
    assert!(body.get("_sandbox_mfa_code").is_none(), "{body}");
}

#[tokio::test]
async fn challenge_of_one_client_is_refused_to_another() {
    // Arrange
    let auth = MockAuth::start().await;
    mfa_user(&auth);
    let challenge = challenge(&auth).await;

    // Act
    let response = http()
        .post(auth.mfa_verify_url())
        .json(&json!({
            "mfa_token": text(&challenge, "mfa_token"),
            "code": text(&challenge, "_sandbox_mfa_code"),
            "client_id": "another-client",
        }))
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        text(&body, "error_description").contains(auth.default_client().client_id()),
        "{body}"
    );
}

#[tokio::test]
async fn missing_code_is_invalid_request() {
    // Arrange
    let auth = MockAuth::start().await;
    mfa_user(&auth);
    let challenge = challenge(&auth).await;

    // Act
    let response = http()
        .post(auth.mfa_verify_url())
        .json(&json!({ "mfa_token": text(&challenge, "mfa_token") }))
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    assert!(text(&body, "error_description").contains("code"), "{body}");
}

#[tokio::test]
async fn unknown_mfa_token_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = verify_json(&auth, "mfatk_made_up", "123456").await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
}
