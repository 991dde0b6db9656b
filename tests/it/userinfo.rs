//! `/userinfo` (OIDC Core §5.3, RFC 6750): the profile behind an access token, and the
//! 401/403 answers for every way a token can be wrong.

use std::time::Duration;

use crate::common::{http, password_login, status_json, token_request, userinfo};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use mockauth::MockAuth;
use serde_json::{json, Value};

/// Status, `WWW-Authenticate` and body of a GET with `Authorization: Bearer {token}`.
async fn userinfo_with_challenge(auth: &MockAuth, token: &str) -> (u16, String, Value) {
    let response = http()
        .get(auth.userinfo_url())
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let (status, body) = status_json(response).await;
    (status, challenge, body)
}

/// Asserts a 401 `invalid_token` answer with its RFC 6750 challenge.
fn assert_invalid_token((status, challenge, body): &(u16, String, Value)) {
    assert_eq!(*status, 401, "{body}");
    assert!(challenge.starts_with("Bearer "), "{challenge:?}");
    assert!(
        challenge.contains(r#"error="invalid_token""#),
        "{challenge:?}"
    );
    assert_eq!(body["error"], "invalid_token", "{body}");
    assert!(body["error_description"].is_string(), "{body}");
}

async fn access_token(auth: &MockAuth, scope: &str) -> String {
    password_login(auth, scope).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn bearer_header_returns_the_default_users_profile() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = access_token(&auth, "openid profile email").await;
    let user = auth.default_user();

    // Act
    let (status, profile) = userinfo(&auth, &token).await;

    // Assert
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["sub"], user.id());
    assert_eq!(profile["name"], "testuser");
    assert_eq!(profile["email"], "testuser@example.test");
    assert_eq!(profile["email_verified"], true);
    assert_eq!(profile["roles"], json!(["user"]));
}

#[tokio::test]
async fn access_token_in_a_posted_form_returns_the_profile() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = access_token(&auth, "openid").await;

    // Act
    let response = http()
        .post(auth.userinfo_url())
        .form(&[("access_token", token.as_str())])
        .send()
        .await
        .unwrap();
    let (status, profile) = status_json(response).await;

    // Assert
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["sub"], auth.default_user().id());
    assert_eq!(profile["email"], "testuser@example.test");
}

#[tokio::test]
async fn bearer_header_on_a_post_returns_the_profile() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = access_token(&auth, "openid").await;

    // Act
    let response = http()
        .post(auth.userinfo_url())
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (status, profile) = status_json(response).await;

    // Assert
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["sub"], auth.default_user().id());
}

#[tokio::test]
async fn a_users_own_claims_are_added_without_replacing_standard_ones() {
    // Arrange
    let auth = MockAuth::start().await;
    let alice = auth
        .user("alice")
        .password("alice-pw")
        .email("alice@acme.test")
        .name("Alice Liddell")
        .email_verified(false)
        .roles(["admin", "user"])
        .claim("tenant", "acme")
        .claim("groups", json!(["eng", "ops"]))
        .claim("sub", "forged-subject")
        .claim("email", "forged@evil.test")
        .create();
    let (status, token) = token_request(
        &auth,
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "alice-pw"),
            ("scope", "openid profile email"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{token}");

    // Act
    let (status, profile) = userinfo(&auth, token["access_token"].as_str().unwrap()).await;

    // Assert
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["sub"], alice.id());
    assert_eq!(profile["name"], "Alice Liddell");
    assert_eq!(profile["email"], "alice@acme.test");
    assert_eq!(profile["email_verified"], false);
    assert_eq!(profile["roles"], json!(["admin", "user"]));
    assert_eq!(profile["tenant"], "acme");
    assert_eq!(profile["groups"], json!(["eng", "ops"]));
}

#[tokio::test]
async fn a_request_without_a_token_answers_401_invalid_token() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let response = http().get(auth.userinfo_url()).send().await.unwrap();
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    let (status, body) = status_json(response).await;

    // Assert
    assert_invalid_token(&(status, challenge, body));
}

#[tokio::test]
async fn a_post_without_a_token_answers_401_invalid_token() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let response = http()
        .post(auth.userinfo_url())
        .form(&[("other", "x")])
        .send()
        .await
        .unwrap();
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    let (status, body) = status_json(response).await;

    // Assert
    assert_invalid_token(&(status, challenge, body));
}

#[tokio::test]
async fn a_garbage_token_answers_401_invalid_token() {
    // Arrange
    let auth = MockAuth::start().await;

    for garbage in ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "...."] {
        // Act
        let answer = userinfo_with_challenge(&auth, garbage).await;

        // Assert
        assert_invalid_token(&answer);
    }
}

#[tokio::test]
async fn a_token_with_a_tampered_payload_answers_401_invalid_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = access_token(&auth, "openid").await;
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims: Value = serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
    claims["sub"] = json!("someone-else");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        B64.encode(claims.to_string()),
        parts[2]
    );

    // Act
    let answer = userinfo_with_challenge(&auth, &forged).await;

    // Assert
    assert_invalid_token(&answer);
}

#[tokio::test]
async fn a_token_signed_by_another_server_answers_401_invalid_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let other = MockAuth::start().await;
    let foreign = access_token(&other, "openid").await;

    // Act
    let answer = userinfo_with_challenge(&auth, &foreign).await;

    // Assert
    assert_invalid_token(&answer);
}

#[tokio::test]
async fn a_token_expired_by_advancing_the_clock_answers_401_invalid_token() {
    // Arrange
    let auth = MockAuth::builder()
        .access_token_ttl(Duration::from_secs(60))
        .start()
        .await;
    let token = access_token(&auth, "openid").await;
    let (before, _) = userinfo(&auth, &token).await;
    auth.advance(Duration::from_secs(61));

    // Act
    let answer = userinfo_with_challenge(&auth, &token).await;

    // Assert
    assert_eq!(before, 200);
    assert_invalid_token(&answer);
    assert!(
        answer.2["error_description"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{}",
        answer.2
    );
}

#[tokio::test]
async fn a_revoked_token_answers_401_invalid_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = access_token(&auth, "openid").await;
    let client = auth.default_client();
    let revoked = http()
        .post(auth.revocation_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);

    // Act
    let answer = userinfo_with_challenge(&auth, &token).await;

    // Assert
    assert_invalid_token(&answer);
    assert!(
        answer.2["error_description"]
            .as_str()
            .unwrap()
            .contains("revoked"),
        "{}",
        answer.2
    );
}

#[tokio::test]
async fn a_token_without_the_openid_scope_answers_403_insufficient_scope() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = access_token(&auth, "profile email").await;

    // Act
    let (status, challenge, body) = userinfo_with_challenge(&auth, &token).await;

    // Assert
    assert_eq!(status, 403, "{body}");
    assert!(challenge.starts_with("Bearer "), "{challenge:?}");
    assert!(
        challenge.contains(r#"error="insufficient_scope""#),
        "{challenge:?}"
    );
    assert_eq!(body["error"], "insufficient_scope");
    assert!(body["error_description"].is_string(), "{body}");
}

#[tokio::test]
async fn a_client_credentials_token_answers_401_invalid_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let (status, token) = token_request(
        &auth,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "openid profile"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{token}");

    // Act
    let answer = userinfo_with_challenge(&auth, token["access_token"].as_str().unwrap()).await;

    // Assert
    assert_invalid_token(&answer);
}

#[tokio::test]
async fn an_id_token_used_as_a_bearer_token_answers_401_invalid_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = password_login(&auth, "openid").await;

    // Act
    let answer = userinfo_with_challenge(&auth, tokens["id_token"].as_str().unwrap()).await;

    // Assert
    assert_invalid_token(&answer);
}
