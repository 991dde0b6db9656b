//! `/logout` (OIDC RP-Initiated Logout): ending the session an `id_token_hint` names, and
//! where the browser goes next.

use std::time::Duration;

use crate::common::{
    http, introspect, location_params, password_login, status_json, token_request, token_request_as,
};
use mockauth::MockAuth;
use serde_json::{json, Value};

const BYE: &str = "https://app.example.test/logged-out";

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

async fn refresh_status(auth: &MockAuth, refresh_token: &str) -> (u16, Value) {
    token_request(
        auth,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}

async fn logout(auth: &MockAuth, query: &[(&str, &str)]) -> reqwest::Response {
    http()
        .get(auth.logout_url())
        .query(query)
        .send()
        .await
        .unwrap()
}

/// Asserts that a login's access token is inactive and its refresh token refused.
async fn assert_session_revoked(auth: &MockAuth, tokens: &Value) {
    assert_eq!(
        introspect(auth, text(&tokens["access_token"])).await,
        json!({ "active": false })
    );
    let (status, body) = refresh_status(auth, text(&tokens["refresh_token"])).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn id_token_hint_revokes_that_session_but_not_another_one() {
    // Arrange
    let auth = MockAuth::start().await;
    let ended = password_login(&auth, "openid offline_access").await;
    let other = password_login(&auth, "openid offline_access").await;

    // Act
    let response = logout(&auth, &[("id_token_hint", text(&ended["id_token"]))]).await;
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["logged_out"], true);
    assert!(body["sid"].as_str().unwrap().starts_with("sid_"), "{body}");
    assert_session_revoked(&auth, &ended).await;
    assert_eq!(
        introspect(&auth, text(&other["access_token"])).await["active"],
        true
    );
    let (status, body) = refresh_status(&auth, text(&other["refresh_token"])).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_posted_form_with_id_token_hint_revokes_the_session() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = password_login(&auth, "openid offline_access").await;

    // Act
    let response = http()
        .post(auth.logout_url())
        .form(&[("id_token_hint", text(&tokens["id_token"]))])
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["logged_out"], true);
    assert_session_revoked(&auth, &tokens).await;
}

#[tokio::test]
async fn a_registered_post_logout_redirect_uri_gets_a_302_with_the_state() {
    // Arrange
    let auth = MockAuth::start().await;
    let web = auth
        .client("web")
        .secret("web-secret")
        .post_logout_redirect_uri(BYE)
        .create();
    let (status, tokens) = token_request_as(
        &auth,
        &web,
        &[
            ("grant_type", "password"),
            ("username", "testuser"),
            ("password", "password123"),
            ("scope", "openid offline_access"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");

    // Act
    let response = logout(
        &auth,
        &[
            ("id_token_hint", text(&tokens["id_token"])),
            ("post_logout_redirect_uri", BYE),
            ("state", "after logout"),
        ],
    )
    .await;

    // Assert
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(location.starts_with(&format!("{BYE}?")), "{location}");
    assert_eq!(
        location_params(&response),
        [("state".to_owned(), "after logout".to_owned())]
    );
    assert_eq!(response.text().await.unwrap(), "");
    assert_eq!(
        introspect(&auth, text(&tokens["access_token"])).await,
        json!({ "active": false })
    );
}

#[tokio::test]
async fn a_registered_uri_named_by_client_id_redirects_without_state() {
    // Arrange
    let auth = MockAuth::start().await;
    let web = auth.client("web").post_logout_redirect_uri(BYE).create();

    // Act
    let response = logout(
        &auth,
        &[
            ("client_id", web.client_id()),
            ("post_logout_redirect_uri", BYE),
        ],
    )
    .await;

    // Assert
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], BYE);
    assert_eq!(response.text().await.unwrap(), "");
}

#[tokio::test]
async fn an_unregistered_post_logout_redirect_uri_answers_400_and_revokes_nothing() {
    // Arrange
    let auth = MockAuth::start().await;
    let web = auth
        .client("web")
        .secret("web-secret")
        .post_logout_redirect_uri(BYE)
        .create();
    let (status, tokens) = token_request_as(
        &auth,
        &web,
        &[
            ("grant_type", "password"),
            ("username", "testuser"),
            ("password", "password123"),
            ("scope", "openid"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");

    // Act
    let response = logout(
        &auth,
        &[
            ("id_token_hint", text(&tokens["id_token"])),
            ("post_logout_redirect_uri", "https://evil.example.test/"),
        ],
    )
    .await;
    let location = response.headers().get("location").cloned();
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert!(location.is_none());
    assert_eq!(body["error"], "invalid_request");
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("not registered"));
    assert_eq!(
        introspect(&auth, text(&tokens["access_token"])).await["active"],
        true
    );
}

#[tokio::test]
async fn the_default_client_accepts_a_loopback_post_logout_redirect_uri() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = password_login(&auth, "openid").await;

    // Act
    let response = logout(
        &auth,
        &[
            ("id_token_hint", text(&tokens["id_token"])),
            ("post_logout_redirect_uri", "http://localhost:3000/bye"),
            ("state", "s-1"),
        ],
    )
    .await;

    // Assert
    assert_eq!(response.status(), 302);
    assert_eq!(
        response.headers()["location"],
        "http://localhost:3000/bye?state=s-1"
    );
    assert_eq!(response.text().await.unwrap(), "");
}

#[tokio::test]
async fn the_default_client_refuses_a_non_loopback_post_logout_redirect_uri() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = password_login(&auth, "openid").await;

    // Act
    let response = logout(
        &auth,
        &[
            ("id_token_hint", text(&tokens["id_token"])),
            (
                "post_logout_redirect_uri",
                "https://localhost.evil.test/bye",
            ),
        ],
    )
    .await;
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn logout_without_a_hint_answers_200_json() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = password_login(&auth, "openid").await;

    // Act
    let response = logout(&auth, &[]).await;
    let content_type = response.headers()["content-type"].clone();
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(content_type, "application/json");
    assert_eq!(body, json!({ "logged_out": true, "sid": null }));
    assert_eq!(
        introspect(&auth, text(&tokens["access_token"])).await["active"],
        true
    );
}

#[tokio::test]
async fn a_post_logout_redirect_uri_without_a_client_answers_400() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let response = logout(&auth, &[("post_logout_redirect_uri", BYE)]).await;
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    assert!(body["error_description"].is_string(), "{body}");
}

#[tokio::test]
async fn a_forged_id_token_hint_answers_400_invalid_request() {
    // Arrange
    let auth = MockAuth::start().await;
    let other = MockAuth::start().await;
    let foreign = password_login(&other, "openid").await;

    for hint in ["garbage", text(&foreign["id_token"])] {
        // Act
        let response = logout(&auth, &[("id_token_hint", hint)]).await;
        let (status, body) = status_json(response).await;

        // Assert
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"], "invalid_request");
        assert!(body["error_description"]
            .as_str()
            .unwrap()
            .contains("id_token_hint"));
    }
}

#[tokio::test]
async fn an_expired_id_token_hint_still_ends_its_session() {
    // Arrange
    let auth = MockAuth::builder()
        .id_token_ttl(Duration::from_secs(60))
        .access_token_ttl(Duration::from_secs(3600))
        .start()
        .await;
    let tokens = password_login(&auth, "openid offline_access").await;
    auth.advance(Duration::from_secs(120));

    // Act
    let response = logout(&auth, &[("id_token_hint", text(&tokens["id_token"]))]).await;
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_session_revoked(&auth, &tokens).await;
}
