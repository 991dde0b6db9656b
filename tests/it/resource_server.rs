//! The resource server of `examples/resource_server.rs` (axum guarded by `jwt-authorizer`,
//! trusting mockauth through discovery and its JWKS): minted tokens get in, forged ones do
//! not, and the journal shows which layer turned each away.

#[allow(dead_code)]
#[path = "../../examples/resource_server.rs"]
mod example;

use crate::common;
use example::{app, get_orders, serve, Trust, AUDIENCE};
use mockauth::{Endpoint, Forgery, MockAuth};

/// A mock with `alice` (sub `alice-id`) and the API trusting it.
async fn mock_and_api() -> (MockAuth, std::net::SocketAddr) {
    let auth = MockAuth::start().await;
    auth.user("alice").id("alice-id").create();
    let api = serve(app(Trust::mockauth(&auth)).await.unwrap())
        .await
        .unwrap();
    (auth, api)
}

#[tokio::test]
async fn a_minted_token_gets_through_jwt_authorizer_and_the_revocation_check() {
    // Arrange
    let (auth, api) = mock_and_api().await;
    let token = auth
        .issue_token()
        .user("alice")
        .audience(AUDIENCE)
        .access_token();

    // Act
    let response = common::http()
        .get(format!("http://{api}/orders"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = common::status_json(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, serde_json::json!({ "sub": "alice-id", "orders": [] }));
    assert_eq!(auth.requests_to(Endpoint::Introspect).len(), 1);
}

#[tokio::test]
async fn jwt_authorizer_rejects_every_forgery_but_revocation_on_its_own() {
    // Arrange
    let (auth, api) = mock_and_api().await;

    for forgery in Forgery::ALL {
        if forgery == Forgery::Revoked {
            continue; // A signature cannot show revocation: see the next test.
        }
        // Act
        let token = auth
            .issue_token()
            .user("alice")
            .audience(AUDIENCE)
            .forge(forgery);
        let (status, challenge) = get_orders(api, &token).await.unwrap();

        // Assert
        assert_eq!(status, 401, "{forgery}");
        assert!(
            challenge.starts_with(r#"Bearer error="invalid_token""#),
            "{forgery}: {challenge}"
        );
    }
    // jwt-authorizer turned each away before the API asked the mock about it.
    assert!(auth.requests_to(Endpoint::Introspect).is_empty());
}

#[tokio::test]
async fn a_revoked_token_passes_jwt_authorizer_and_is_stopped_by_introspection() {
    // Arrange
    let (auth, api) = mock_and_api().await;
    let token = auth
        .issue_token()
        .user("alice")
        .audience(AUDIENCE)
        .forge(Forgery::Revoked);

    // Act
    let (status, challenge) = get_orders(api, &token).await.unwrap();

    // Assert
    assert_eq!(status, 401);
    assert_eq!(
        challenge,
        r#"Bearer error="invalid_token", error_description="the token has been revoked""#
    );
    let introspections = auth.requests_to(Endpoint::Introspect);
    assert_eq!(introspections.len(), 1);
    assert_eq!(introspections[0].status, 200);
}

#[tokio::test]
async fn a_token_for_another_audience_of_the_same_mock_is_turned_away() {
    // Arrange
    let (auth, api) = mock_and_api().await;
    let token = auth
        .issue_token()
        .user("alice")
        .audience("https://billing.example.test")
        .access_token();

    // Act
    let (status, challenge) = get_orders(api, &token).await.unwrap();

    // Assert
    assert_eq!(status, 401);
    assert_eq!(challenge, r#"Bearer error="invalid_token""#);
}

#[tokio::test]
async fn a_request_without_a_token_is_turned_away() {
    // Arrange
    let (_auth, api) = mock_and_api().await;

    // Act
    let response = common::http()
        .get(format!("http://{api}/orders"))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 401);
}
