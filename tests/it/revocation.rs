//! `/revoke` (RFC 7009): access tokens, refresh tokens with their family, unknown tokens,
//! and tokens that belong to another client.

use crate::common::{http, introspect, password_login, status_json, token_request, userinfo};
use mockauth::{ClientCredentials, MockAuth};
use serde_json::{json, Value};

/// Revokes `token` authenticated as `client` with client_secret_basic.
async fn revoke_as(auth: &MockAuth, client: &ClientCredentials, token: &str) -> (u16, Value) {
    let response = http()
        .post(auth.revocation_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("token", token)])
        .send()
        .await
        .unwrap();
    status_json(response).await
}

async fn refresh(auth: &MockAuth, refresh_token: &str) -> (u16, Value) {
    token_request(
        auth,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

#[tokio::test]
async fn a_revoked_access_token_is_inactive_and_refused_by_userinfo() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = password_login(&auth, "openid").await;
    let access = text(&tokens["access_token"]);
    assert_eq!(userinfo(&auth, access).await.0, 200);

    // Act
    let (status, body) = revoke_as(&auth, &auth.default_client(), access).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({}));
    assert_eq!(introspect(&auth, access).await, json!({ "active": false }));
    let (userinfo_status, userinfo_body) = userinfo(&auth, access).await;
    assert_eq!(userinfo_status, 401, "{userinfo_body}");
    assert_eq!(userinfo_body["error"], "invalid_token");
}

#[tokio::test]
async fn a_bare_json_token_is_revoked_without_client_auth() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = password_login(&auth, "openid").await;
    let access = text(&tokens["access_token"]);

    // Act
    let response = http()
        .post(auth.revocation_url())
        .json(&json!({ "token": access, "token_type_hint": "access_token" }))
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(introspect(&auth, access).await, json!({ "active": false }));
}

#[tokio::test]
async fn a_revoked_refresh_token_kills_its_whole_family() {
    // Arrange
    let auth = MockAuth::start().await;
    let first = password_login(&auth, "openid offline_access").await;
    let (status, rotated) = refresh(&auth, text(&first["refresh_token"])).await;
    assert_eq!(status, 200, "{rotated}");
    let refresh_token = text(&rotated["refresh_token"]);

    // Act
    let (status, body) = revoke_as(&auth, &auth.default_client(), refresh_token).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    for access in [&first["access_token"], &rotated["access_token"]] {
        assert_eq!(
            introspect(&auth, text(access)).await,
            json!({ "active": false })
        );
    }
    assert_eq!(
        introspect(&auth, refresh_token).await,
        json!({ "active": false })
    );
    let (status, body) = refresh(&auth, refresh_token).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(body["error_description"].is_string(), "{body}");
}

#[tokio::test]
async fn revoking_one_login_leaves_another_login_of_the_same_user_alone() {
    // Arrange
    let auth = MockAuth::start().await;
    let doomed = password_login(&auth, "openid offline_access").await;
    let kept = password_login(&auth, "openid offline_access").await;

    // Act
    let (status, body) = revoke_as(
        &auth,
        &auth.default_client(),
        text(&doomed["refresh_token"]),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        introspect(&auth, text(&doomed["access_token"])).await,
        json!({ "active": false })
    );
    assert_eq!(
        introspect(&auth, text(&kept["access_token"])).await["active"],
        true
    );
    let (status, body) = refresh(&auth, text(&kept["refresh_token"])).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn unknown_and_garbage_tokens_answer_200() {
    // Arrange
    let auth = MockAuth::start().await;

    for token in ["rt_never_issued", "garbage", "a.b.c"] {
        // Act
        let (status, body) = revoke_as(&auth, &auth.default_client(), token).await;

        // Assert
        assert_eq!(status, 200, "{token}: {body}");
        assert_eq!(body, json!({}), "{token}");
    }
}

#[tokio::test]
async fn another_clients_tokens_are_not_revoked_when_that_client_authenticates() {
    // Arrange
    let auth = MockAuth::start().await;
    let other = auth.client("other-app").secret("other-secret").create();
    let tokens = password_login(&auth, "openid offline_access").await;
    let access = text(&tokens["access_token"]);
    let refresh_token = text(&tokens["refresh_token"]);

    // Act
    let (access_status, access_body) = revoke_as(&auth, &other, access).await;
    let (refresh_status, refresh_body) = revoke_as(&auth, &other, refresh_token).await;

    // Assert
    assert_eq!(access_status, 200, "{access_body}");
    assert_eq!(refresh_status, 200, "{refresh_body}");
    assert_eq!(introspect(&auth, access).await["active"], true);
    assert_eq!(introspect(&auth, refresh_token).await["active"], true);
    let (status, body) = refresh(&auth, refresh_token).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_wrong_client_secret_answers_401_and_revokes_nothing() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = password_login(&auth, "openid").await;
    let access = text(&tokens["access_token"]);
    let id = auth.default_client().client_id().to_owned();

    // Act
    let response = http()
        .post(auth.revocation_url())
        .basic_auth(&id, Some("wrong-secret"))
        .form(&[("token", access)])
        .send()
        .await
        .unwrap();
    let challenge = response.headers().get("www-authenticate").cloned();
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "invalid_client");
    assert!(challenge.is_some());
    assert_eq!(introspect(&auth, access).await["active"], true);
}

#[tokio::test]
async fn a_request_without_a_token_answers_400_invalid_request() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let response = http()
        .post(auth.revocation_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("token_type_hint", "access_token")])
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    assert!(body["error_description"].is_string(), "{body}");
}
