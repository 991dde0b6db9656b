//! The backend of `examples/apps_backend.rs` (axum guarded by `jwt-authorizer`, trusting
//! one app of the apps face through the app's JWKS): tokens from signup, login and the
//! harness get in; another app's tokens and forged ones do not.

#[allow(dead_code)]
#[path = "../../examples/apps_backend.rs"]
mod example;

use example::{auth_base, backend, get_notes, serve, sign_in, APP_ID};
use mockauth::{Face, Forgery, MockAuth};

use crate::common::apps::STRONG;

/// A mock with the apps face, `ada` signed up to the app, and the backend trusting the app.
async fn mock_and_backend() -> (MockAuth, std::net::SocketAddr, String) {
    let auth = MockAuth::builder().face(Face::apps()).start().await;
    let base = auth_base(&auth, APP_ID);
    let (status, session) = sign_in(&base, "signup", "ada@example.test", STRONG)
        .await
        .unwrap();
    assert_eq!(status, 201, "{session}");
    let api = serve(backend(&base, APP_ID).await.unwrap()).await.unwrap();
    let token = session["access_token"].as_str().unwrap().to_owned();
    (auth, api, token)
}

#[tokio::test]
async fn signup_and_login_tokens_get_through_jwt_authorizer() {
    // Arrange
    let (auth, api, signup_token) = mock_and_backend().await;
    let (status, login) = sign_in(
        &auth_base(&auth, APP_ID),
        "login",
        "ada@example.test",
        STRONG,
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{login}");

    // Act
    let after_signup = get_notes(api, &signup_token).await.unwrap();
    let after_login = get_notes(api, login["access_token"].as_str().unwrap())
        .await
        .unwrap();

    // Assert
    for (status, notes) in [after_signup, after_login] {
        assert_eq!(status, 200, "{notes}");
        assert_eq!(notes["email"], "ada@example.test");
        assert_eq!(notes["user"], login["user"]["id"]);
    }
}

#[tokio::test]
async fn a_token_of_another_app_or_a_wrong_password_gets_nothing() {
    // Arrange
    let (auth, api, _) = mock_and_backend().await;
    let (status, other) = sign_in(
        &auth_base(&auth, "other-app"),
        "signup",
        "ada@example.test",
        STRONG,
    )
    .await
    .unwrap();
    assert_eq!(status, 201, "{other}");

    // Act
    let (other_status, _) = get_notes(api, other["access_token"].as_str().unwrap())
        .await
        .unwrap();
    let (login_status, refused) = sign_in(
        &auth_base(&auth, APP_ID),
        "login",
        "ada@example.test",
        "Wr0ng!pass",
    )
    .await
    .unwrap();

    // Assert
    assert_eq!(other_status, 401, "another app's token must not pass");
    assert_eq!(login_status, 401);
    assert_eq!(refused["code"], "INVALID_CREDENTIALS");
}

#[tokio::test]
async fn tokens_the_harness_issues_for_the_app_pass_and_forged_ones_do_not() {
    // Arrange
    let (auth, api, signup_token) = mock_and_backend().await;
    let app = auth.tenant(APP_ID);
    let mint = || app.issue_token().user("ada@example.test").audience(APP_ID);

    // Act
    let (minted, _) = get_notes(api, &mint().access_token()).await.unwrap();
    let mut forged = Vec::new();
    // jwt-authorizer checks neither revocation nor (unless asked) `nbf`.
    for forgery in Forgery::ALL
        .into_iter()
        .filter(|f| !matches!(f, Forgery::Revoked | Forgery::NotYetValid))
    {
        let (status, _) = get_notes(api, &mint().forge(forgery)).await.unwrap();
        forged.push((forgery, status));
    }

    // Assert
    assert_eq!(minted, 200);
    assert!(
        forged.iter().all(|(_, status)| *status == 401),
        "{forged:?}"
    );
    // The face's own tokens pass the harness's assertion, like any of the tenant's.
    app.assert_token(&signup_token)
        .audience(APP_ID)
        .claim("email", "ada@example.test")
        .claim("auth_method", "password")
        .active();
}
