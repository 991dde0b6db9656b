//! The resource owner password grant over HTTP: the default user, created users with roles
//! and claims, login by email, and answers that do not reveal which usernames exist.

use crate::common::{http, jwt_payload, password_login, status_json, token_request, userinfo};
use mockauth::MockAuth;
use serde_json::{json, Value};

/// A password-grant request of the default client for `username` / `password`.
async fn login(auth: &MockAuth, username: &str, password: &str, scope: &str) -> (u16, Value) {
    token_request(
        auth,
        &[
            ("grant_type", "password"),
            ("username", username),
            ("password", password),
            ("scope", scope),
        ],
    )
    .await
}

#[tokio::test]
async fn default_user_logs_in_with_the_password_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let user = auth.default_user();

    // Act
    let body = password_login(&auth, "openid profile email offline_access").await;

    // Assert
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "openid profile email offline_access");
    assert!(body["refresh_token"].is_string(), "{body}");
    let id_token = jwt_payload(body["id_token"].as_str().unwrap());
    assert_eq!(id_token["sub"], user.id());
    assert_eq!(id_token["preferred_username"], "testuser");
    assert_eq!(id_token["email"], "testuser@example.test");
    let access = jwt_payload(body["access_token"].as_str().unwrap());
    assert_eq!(access["sub"], user.id());
    assert_eq!(access["roles"], json!(["user"]));
    assert_eq!(access["client_id"], auth.default_client().client_id());
}

#[tokio::test]
async fn userinfo_answers_the_profile_of_the_logged_in_user() {
    // Arrange
    let auth = MockAuth::start().await;
    let body = password_login(&auth, "openid profile email").await;

    // Act
    let (status, profile) = userinfo(&auth, body["access_token"].as_str().unwrap()).await;

    // Assert
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["sub"], auth.default_user().id());
    assert_eq!(profile["name"], "testuser");
    assert_eq!(profile["email"], "testuser@example.test");
    assert_eq!(profile["email_verified"], true);
    assert_eq!(profile["roles"], json!(["user"]));
}

#[tokio::test]
async fn json_body_password_grant_works() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let response = http()
        .post(auth.token_url())
        .json(&json!({
            "grant_type": "password",
            "client_id": client.client_id(),
            "client_secret": client.client_secret(),
            "username": "testuser",
            "password": "password123",
            "scope": "openid profile email",
        }))
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["id_token"].is_string(), "{body}");
    assert!(body["refresh_token"].is_string(), "{body}");
}

#[tokio::test]
async fn created_user_with_roles_and_claims_gets_them_in_the_id_token_and_userinfo() {
    // Arrange
    let auth = MockAuth::start().await;
    let alice = auth
        .user("alice")
        .password("s3cret-pw")
        .email("alice@acme.example")
        .roles(["admin", "user"])
        .claim("tenant", "acme")
        .claim("level", 3)
        .create();

    // Act
    let (status, body) = login(&auth, "alice", "s3cret-pw", "openid profile email").await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let id_token = jwt_payload(body["id_token"].as_str().unwrap());
    assert_eq!(id_token["sub"], alice.id());
    assert_eq!(id_token["email"], "alice@acme.example");
    assert_eq!(id_token["roles"], json!(["admin", "user"]));
    assert_eq!(id_token["tenant"], "acme");
    assert_eq!(id_token["level"], 3);
    let (status, profile) = userinfo(&auth, body["access_token"].as_str().unwrap()).await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["sub"], alice.id());
    assert_eq!(profile["email"], "alice@acme.example");
    assert_eq!(profile["roles"], json!(["admin", "user"]));
    assert_eq!(profile["tenant"], "acme");
    assert_eq!(profile["level"], 3);
}

#[tokio::test]
async fn created_user_claims_land_in_the_access_token() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.user("bob")
        .roles(["auditor"])
        .claim("department", "finance")
        .create();

    // Act
    let (status, body) = login(&auth, "bob", "password123", "profile").await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let access = jwt_payload(body["access_token"].as_str().unwrap());
    assert_eq!(access["preferred_username"], "bob");
    assert_eq!(access["roles"], json!(["auditor"]));
    assert_eq!(access["department"], "finance");
}

#[tokio::test]
async fn custom_claims_never_replace_standard_ones() {
    // Arrange
    let auth = MockAuth::start().await;
    let mallory = auth
        .user("mallory")
        .claim("sub", "someone-else")
        .claim("iss", "https://evil.example")
        .claim("email", "forged@evil.example")
        .create();

    // Act
    let (status, body) = login(&auth, "mallory", "password123", "openid email").await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let id_token = jwt_payload(body["id_token"].as_str().unwrap());
    assert_eq!(id_token["sub"], mallory.id());
    assert_eq!(id_token["iss"], auth.issuer());
    assert_eq!(id_token["email"], "mallory@example.test");
    let access = jwt_payload(body["access_token"].as_str().unwrap());
    assert_eq!(access["sub"], mallory.id());
    assert_eq!(access["iss"], auth.issuer());
    let (status, profile) = userinfo(&auth, body["access_token"].as_str().unwrap()).await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["sub"], mallory.id());
    assert_eq!(profile["email"], "mallory@example.test");
}

#[tokio::test]
async fn wrong_password_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = login(&auth, "testuser", "password124", "openid").await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "invalid username or password");
    assert!(body.get("access_token").is_none());
}

#[tokio::test]
async fn default_password_does_not_open_a_user_with_its_own_password() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.user("carol").password("carol-pw-1").create();

    // Act
    let (status, body) = login(&auth, "carol", "password123", "openid").await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn unknown_user_gets_the_same_answer_as_a_wrong_password() {
    // Arrange
    let auth = MockAuth::start().await;
    let (wrong_status, wrong_password) = login(&auth, "testuser", "nope", "openid").await;

    // Act
    let (status, body) = login(&auth, "nobody", "nope", "openid").await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(status, wrong_status);
    assert_eq!(body, wrong_password);
    assert!(!body.to_string().contains("nobody"), "{body}");
}

#[tokio::test]
async fn login_by_email_works() {
    // Arrange
    let auth = MockAuth::start().await;
    let dave = auth.user("dave").email("Dave@Example.test").create();

    // Act
    let (status, body) = login(&auth, "dave@example.test", "password123", "openid").await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let id_token = jwt_payload(body["id_token"].as_str().unwrap());
    assert_eq!(id_token["sub"], dave.id());
}

#[tokio::test]
async fn default_user_logs_in_by_email_too() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = login(&auth, "testuser@example.test", "password123", "openid").await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        jwt_payload(body["access_token"].as_str().unwrap())["sub"],
        auth.default_user().id()
    );
}

#[tokio::test]
async fn scope_without_openid_gets_no_id_token() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = login(&auth, "testuser", "password123", "profile email").await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "profile email");
    assert!(body.get("id_token").is_none(), "{body}");
    assert!(body["access_token"].is_string());
}

#[tokio::test]
async fn missing_password_is_invalid_request() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = token_request(
        &auth,
        &[("grant_type", "password"), ("username", "testuser")],
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("password"),
        "{body}"
    );
}
