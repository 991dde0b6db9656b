//! The non-OAuth checks: `/validate` (a client secret as an API key) and `/basic`
//! (RFC 7617 user credentials).

use crate::common::{http, status_json};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use mockauth::MockAuth;
use reqwest::Method;
use serde_json::json;

fn validate_url(auth: &MockAuth) -> String {
    format!("{}/validate", auth.issuer())
}

fn basic_url(auth: &MockAuth) -> String {
    format!("{}/basic", auth.issuer())
}

#[tokio::test]
async fn validate_with_the_default_client_secret_describes_the_client_on_post_and_get() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    for method in [Method::POST, Method::GET] {
        // Act
        let response = http()
            .request(method.clone(), validate_url(&auth))
            .header("X-API-Key", client.client_secret().unwrap())
            .send()
            .await
            .unwrap();
        let (status, body) = status_json(response).await;

        // Assert
        assert_eq!(status, 200, "{method}: {body}");
        assert_eq!(
            body,
            json!({
                "valid": true,
                "client_id": client.client_id(),
                "client_name": "Default Client",
                "scopes": ["openid", "profile", "email", "offline_access"],
            }),
            "{method}"
        );
    }
}

#[tokio::test]
async fn validate_names_the_client_whose_secret_is_presented() {
    // Arrange
    let auth = MockAuth::start().await;
    let mobile = auth
        .client("mobile-app")
        .name("Mobile App Client")
        .secret("mobile-secret")
        .scopes(["openid", "profile"])
        .create();

    // Act
    let response = http()
        .post(validate_url(&auth))
        .header("x-api-key", "mobile-secret")
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["valid"], true);
    assert_eq!(body["client_id"], mobile.client_id());
    assert_eq!(body["client_name"], "Mobile App Client");
    assert_eq!(body["scopes"], json!(["openid", "profile"]));
}

#[tokio::test]
async fn validate_with_a_wrong_key_answers_401_invalid_api_key() {
    // Arrange
    let auth = MockAuth::start().await;
    let secret = auth.default_client().client_secret().unwrap().to_owned();
    let almost = &secret[..secret.len() - 1];

    for key in ["wrong-key", almost, auth.default_client().client_id(), " "] {
        // Act
        let response = http()
            .post(validate_url(&auth))
            .header("X-API-Key", key)
            .send()
            .await
            .unwrap();
        let (status, body) = status_json(response).await;

        // Assert
        assert_eq!(status, 401, "{key:?}: {body}");
        assert_eq!(body, json!({ "valid": false, "error": "invalid_api_key" }));
    }
}

#[tokio::test]
async fn validate_without_a_key_answers_401_invalid_api_key_on_post_and_get() {
    // Arrange
    let auth = MockAuth::start().await;
    // A public client has no secret, so an empty key must not match it.
    let _public = auth.client("spa").public().create();

    for method in [Method::POST, Method::GET] {
        // Act
        let response = http()
            .request(method.clone(), validate_url(&auth))
            .send()
            .await
            .unwrap();
        let (status, body) = status_json(response).await;

        // Assert
        assert_eq!(status, 401, "{method}: {body}");
        assert_eq!(body, json!({ "valid": false, "error": "invalid_api_key" }));
    }
}

#[tokio::test]
async fn basic_with_the_default_users_credentials_returns_the_profile_on_post_and_get() {
    // Arrange
    let auth = MockAuth::start().await;
    let user = auth.default_user();

    for method in [Method::POST, Method::GET] {
        // Act
        let response = http()
            .request(method.clone(), basic_url(&auth))
            .basic_auth(user.username(), Some(user.password()))
            .send()
            .await
            .unwrap();
        let (status, body) = status_json(response).await;

        // Assert
        assert_eq!(status, 200, "{method}: {body}");
        assert_eq!(
            body,
            json!({
                "authenticated": true,
                "user": {
                    "id": user.id(),
                    "username": "testuser",
                    "email": "testuser@example.test",
                    "roles": ["user"],
                },
            }),
            "{method}"
        );
    }
}

#[tokio::test]
async fn basic_accepts_a_literal_header_and_a_password_with_a_colon() {
    // Arrange
    let auth = MockAuth::start().await;
    let admin = auth
        .user("adminuser")
        .password("pa:ss:word")
        .email("admin@example.test")
        .roles(["admin", "user"])
        .create();

    // Act
    let literal = http()
        .post(basic_url(&auth))
        .header("Authorization", "Basic dGVzdHVzZXI6cGFzc3dvcmQxMjM=")
        .send()
        .await
        .unwrap();
    let (literal_status, literal_body) = status_json(literal).await;
    let colon = http()
        .post(basic_url(&auth))
        .basic_auth("adminuser", Some("pa:ss:word"))
        .send()
        .await
        .unwrap();
    let (colon_status, colon_body) = status_json(colon).await;

    // Assert
    assert_eq!(literal_status, 200, "{literal_body}");
    assert_eq!(literal_body["user"]["username"], "testuser");
    assert_eq!(colon_status, 200, "{colon_body}");
    assert_eq!(colon_body["authenticated"], true);
    assert_eq!(colon_body["user"]["id"], admin.id());
    assert_eq!(colon_body["user"]["email"], "admin@example.test");
    assert_eq!(colon_body["user"]["roles"], json!(["admin", "user"]));
}

#[tokio::test]
async fn basic_with_bad_credentials_answers_401_invalid_credentials() {
    // Arrange
    let auth = MockAuth::start().await;
    let encode = |s: &str| format!("Basic {}", STANDARD.encode(s));
    let cases = [
        ("wrong password", Some(encode("testuser:wrong-password"))),
        ("unknown user", Some(encode("nobody:password123"))),
        ("empty password", Some(encode("testuser:"))),
        ("missing colon", Some(encode("testuserpassword123"))),
        ("invalid base64", Some("Basic !!!not-base64***".to_owned())),
        (
            "non-UTF-8 credentials",
            Some(format!("Basic {}", STANDARD.encode([0xff, b':', 0xfe]))),
        ),
        (
            "bearer scheme",
            Some("Bearer dGVzdHVzZXI6cGFzc3dvcmQxMjM=".to_owned()),
        ),
        ("scheme without value", Some("Basic".to_owned())),
        ("no header", None),
    ];

    for (case, header) in cases {
        let mut request = http().post(basic_url(&auth));
        if let Some(header) = header {
            request = request.header("Authorization", header);
        }

        // Act
        let response = request.send().await.unwrap();
        let challenge = response.headers().get("www-authenticate").cloned();
        let (status, body) = status_json(response).await;

        // Assert
        assert_eq!(status, 401, "{case}: {body}");
        assert_eq!(body, json!({ "error": "invalid_credentials" }), "{case}");
        assert!(
            challenge.is_some_and(|c| c.to_str().unwrap().starts_with("Basic")),
            "{case}"
        );
    }
}
