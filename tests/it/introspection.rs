//! `/introspect` (RFC 7662): JSON `{token}` without client authentication, forms with
//! client authentication, and what active and inactive tokens look like.

use std::time::Duration;

use crate::common::{http, introspect, password_login, status_json, token_request};
use mockauth::MockAuth;
use serde_json::{json, Value};

async fn introspect_json(auth: &MockAuth, body: &Value) -> (u16, Value) {
    let response = http()
        .post(auth.introspection_url())
        .json(body)
        .send()
        .await
        .unwrap();
    status_json(response).await
}

fn assert_active_access_token(auth: &MockAuth, answer: &Value) {
    assert_eq!(answer["active"], true, "{answer}");
    assert_eq!(answer["token_type"], "access_token", "{answer}");
    assert_eq!(answer["sub"], auth.default_user().id(), "{answer}");
    assert_eq!(
        answer["client_id"],
        auth.default_client().client_id(),
        "{answer}"
    );
    assert_eq!(answer["scope"], "openid profile email", "{answer}");
    assert_eq!(answer["iss"], auth.issuer(), "{answer}");
    let (exp, iat) = (
        answer["exp"].as_u64().unwrap(),
        answer["iat"].as_u64().unwrap(),
    );
    assert_eq!(exp - iat, 3600, "{answer}");
}

async fn access_token(auth: &MockAuth) -> String {
    password_login(auth, "openid profile email").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn json_token_without_client_auth_describes_an_active_access_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = access_token(&auth).await;

    // Act
    let (status, answer) = introspect_json(&auth, &json!({ "token": token })).await;

    // Assert
    assert_eq!(status, 200, "{answer}");
    assert_active_access_token(&auth, &answer);
}

#[tokio::test]
async fn form_with_basic_client_auth_describes_an_active_access_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = access_token(&auth).await;

    // Act
    let answer = introspect(&auth, &token).await;

    // Assert
    assert_active_access_token(&auth, &answer);
}

#[tokio::test]
async fn form_with_client_secret_post_describes_an_active_access_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = access_token(&auth).await;
    let client = auth.default_client();

    // Act
    let response = http()
        .post(auth.introspection_url())
        .form(&[
            ("token", token.as_str()),
            ("client_id", client.client_id()),
            ("client_secret", client.client_secret().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    let (status, answer) = status_json(response).await;

    // Assert
    assert_eq!(status, 200, "{answer}");
    assert_active_access_token(&auth, &answer);
}

#[tokio::test]
async fn form_without_client_auth_answers_401_invalid_client() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = access_token(&auth).await;

    // Act
    let response = http()
        .post(auth.introspection_url())
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    let challenge = response.headers().get("www-authenticate").cloned();
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "invalid_client");
    assert!(body["error_description"].is_string(), "{body}");
    assert!(challenge.unwrap().to_str().unwrap().starts_with("Basic"));
}

#[tokio::test]
async fn a_wrong_client_secret_answers_401_invalid_client_in_every_form() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = access_token(&auth).await;
    let id = auth.default_client().client_id().to_owned();
    let requests = [
        http()
            .post(auth.introspection_url())
            .basic_auth(&id, Some("wrong-secret"))
            .form(&[("token", token.as_str())]),
        http().post(auth.introspection_url()).form(&[
            ("token", token.as_str()),
            ("client_id", &id),
            ("client_secret", "wrong-secret"),
        ]),
        http().post(auth.introspection_url()).json(&json!({
            "token": token, "client_id": id, "client_secret": "wrong-secret"
        })),
    ];

    for request in requests {
        // Act
        let (status, body) = status_json(request.send().await.unwrap()).await;

        // Assert
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["error"], "invalid_client", "{body}");
        assert!(body["error_description"].is_string(), "{body}");
    }
}

#[tokio::test]
async fn a_refresh_token_is_described_as_an_active_refresh_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = password_login(&auth, "openid offline_access").await;
    let refresh = tokens["refresh_token"].as_str().unwrap();

    // Act
    let answer = introspect(&auth, refresh).await;

    // Assert
    assert_eq!(answer["active"], true, "{answer}");
    assert_eq!(answer["token_type"], "refresh_token");
    assert_eq!(answer["sub"], auth.default_user().id());
    assert_eq!(answer["client_id"], auth.default_client().client_id());
    assert_eq!(answer["scope"], "openid offline_access");
    assert_eq!(answer["iss"], auth.issuer());
    assert!(answer["exp"].as_u64().unwrap() > answer_now(&auth));
}

fn answer_now(auth: &MockAuth) -> u64 {
    auth.now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[tokio::test]
async fn a_rotated_refresh_token_is_inactive() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = password_login(&auth, "openid offline_access").await;
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let (status, rotated) = token_request(
        &auth,
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await;
    assert_eq!(status, 200, "{rotated}");

    // Act
    let old = introspect(&auth, refresh).await;
    let new = introspect(&auth, rotated["refresh_token"].as_str().unwrap()).await;

    // Assert
    assert_eq!(old, json!({ "active": false }));
    assert_eq!(new["active"], true, "{new}");
}

#[tokio::test]
async fn a_client_credentials_token_is_active_with_the_client_as_subject() {
    // Arrange
    let auth = MockAuth::start().await;
    let (status, tokens) = token_request(
        &auth,
        &[("grant_type", "client_credentials"), ("scope", "profile")],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");

    // Act
    let answer = introspect(&auth, tokens["access_token"].as_str().unwrap()).await;

    // Assert
    let client_id = auth.default_client().client_id().to_owned();
    assert_eq!(answer["active"], true, "{answer}");
    assert_eq!(answer["token_type"], "access_token");
    assert_eq!(answer["client_id"], client_id);
    assert_eq!(answer["sub"], client_id);
    assert_eq!(answer["scope"], "profile");
}

#[tokio::test]
async fn unknown_and_garbage_tokens_are_inactive_and_say_nothing_more() {
    // Arrange
    let auth = MockAuth::start().await;

    for token in ["rt_unknown", "garbage", "a.b.c", "eyJhbGciOiJub25lIn0.e30."] {
        // Act
        let (status, answer) = introspect_json(&auth, &json!({ "token": token })).await;
        let authenticated = introspect(&auth, token).await;

        // Assert
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer, json!({ "active": false }), "{token}");
        assert_eq!(authenticated, json!({ "active": false }), "{token}");
    }
}

#[tokio::test]
async fn an_access_token_expired_by_advancing_the_clock_is_inactive() {
    // Arrange
    let auth = MockAuth::builder()
        .access_token_ttl(Duration::from_secs(30))
        .start()
        .await;
    let token = access_token(&auth).await;
    let before = introspect(&auth, &token).await;
    auth.advance(Duration::from_secs(31));

    // Act
    let after = introspect(&auth, &token).await;

    // Assert
    assert_eq!(before["active"], true, "{before}");
    assert_eq!(after, json!({ "active": false }));
}

#[tokio::test]
async fn a_refresh_token_expired_by_advancing_the_clock_is_inactive() {
    // Arrange
    let auth = MockAuth::builder()
        .refresh_token_ttl(Duration::from_secs(120))
        .start()
        .await;
    let tokens = password_login(&auth, "openid offline_access").await;
    let refresh = tokens["refresh_token"].as_str().unwrap();
    auth.advance(Duration::from_secs(121));

    // Act
    let answer = introspect(&auth, refresh).await;

    // Assert
    assert_eq!(answer, json!({ "active": false }));
}

#[tokio::test]
async fn a_request_without_a_token_answers_400_invalid_request() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) =
        introspect_json(&auth, &json!({ "token_type_hint": "access_token" })).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("token"));
}
