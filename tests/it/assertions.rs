//! Token assertions (`assert_token`) and issuance assertions (`assert_issued`): each one
//! passing, each one failing, with its failure text pinned.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, UNIX_EPOCH};

use crate::common;
use mockauth::{Forgery, GrantType, MockAuth};

/// 2023-11-14T22:13:20Z: a frozen clock makes `exp` and "now" exact in messages.
const NOW: u64 = 1_700_000_000;

/// A server on a frozen clock with `alice` (sub `alice-id`, tenant `acme`) and the client
/// `web`, and a token of alice's issued to web.
fn alice_token() -> (MockAuth, String) {
    let auth = MockAuth::builder()
        .start_time(UNIX_EPOCH + Duration::from_secs(NOW))
        .frozen_clock()
        .start_blocking();
    auth.user("alice")
        .id("alice-id")
        .claim("tenant", "acme")
        .create();
    auth.client("web")
        .scopes(["openid", "orders:read"])
        .create();
    let token = auth
        .issue_token()
        .user("alice")
        .client("web")
        .audience("https://api.example.test")
        .access_token();
    (auth, token)
}

/// The message of the panic `f` raises.
fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("the assertion should fail");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .expect("a text panic")
}

#[test]
fn every_token_assertion_passes_on_a_matching_token() {
    // Arrange
    let (auth, token) = alice_token();

    // Act
    let assertion = auth.assert_token(&token);

    // Assert
    assertion
        .subject("alice")
        .subject("alice-id")
        .client("web")
        .scopes(["openid"])
        .scopes(["orders:read", "openid"])
        .audience("https://api.example.test")
        .claim("tenant", "acme")
        .claim("preferred_username", "alice")
        .expires_within(Duration::from_secs(3600))
        .active();
    assert_eq!(assertion.claims()["sub"], "alice-id");
}

#[tokio::test]
async fn revoked_passes_once_the_token_was_revoked_over_http() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = auth.issue_token().access_token();
    let response = common::http()
        .post(auth.revocation_url())
        .json(&serde_json::json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // Act
    let assertion = auth.assert_token(&token);

    // Assert
    assertion.revoked().subject("testuser");
}

#[test]
fn revoked_passes_on_a_token_forged_as_revoked() {
    // Arrange
    let auth = MockAuth::start_blocking();
    let token = auth.issue_token().forge(Forgery::Revoked);

    // Act
    let assertion = auth.assert_token(&token);

    // Assert
    assertion.revoked();
}

#[tokio::test]
async fn assert_token_verifies_an_hs256_id_token_with_its_clients_secret() {
    // Arrange
    let auth = MockAuth::builder()
        .algorithm(mockauth::Algorithm::HS256)
        .start()
        .await;
    let tokens = common::password_login(&auth, "openid").await;

    // Act
    let assertion = auth.assert_token(tokens["id_token"].as_str().unwrap());

    // Assert
    assertion
        .subject("testuser")
        .client(auth.default_client().client_id())
        .audience(auth.default_client().client_id());
}

#[test]
#[should_panic(
    expected = "expected a token signed by this server, found one that fails verification: the token's signature does not verify\ntoken header (unverified):\n{"
)]
fn assert_token_fails_on_a_token_signed_by_another_key() {
    // Arrange
    let auth = MockAuth::start_blocking();

    // Act: the panic is the assertion
    let _ = auth.assert_token(&auth.issue_token().forge(Forgery::WrongKey));
}

#[test]
#[should_panic(
    expected = "expected a token signed by this server, found one that fails verification: the token is not a well-formed JWT\ntoken: \"not-a-jwt\""
)]
fn assert_token_fails_on_something_that_is_not_a_jwt() {
    // Arrange
    let auth = MockAuth::start_blocking();

    // Act: the panic is the assertion
    let _ = auth.assert_token("not-a-jwt");
}

#[test]
fn a_failure_shows_expected_found_and_the_decoded_claims() {
    // Arrange
    let (auth, token) = alice_token();

    // Act
    let message = panic_message(|| {
        auth.assert_token(&token).claim("tenant", "globex");
    });

    // Assert
    let (first_line, rest) = message.split_once('\n').unwrap();
    assert_eq!(
        first_line,
        r#"expected tenant "globex", found tenant "acme""#
    );
    assert!(rest.starts_with("token claims:\n{\n  \""), "{rest}");
    assert!(rest.contains("\n  \"sub\": \"alice-id\""), "{rest}");
    assert!(rest.contains("\n  \"tenant\": \"acme\""), "{rest}");
    assert!(rest.ends_with("\n}"), "{rest}");
}

#[test]
#[should_panic(
    expected = "expected sub \"bob\" (user \"bob\" has sub \"bob-id\"), found sub \"alice-id\"\ntoken claims:\n{"
)]
fn subject_fails_for_another_users_token() {
    // Arrange
    let (auth, token) = alice_token();
    auth.user("bob").id("bob-id").create();

    // Act: the panic is the assertion
    auth.assert_token(&token).subject("bob");
}

#[test]
#[should_panic(expected = "expected sub \"nobody\", found sub \"alice-id\"\ntoken claims:\n{")]
fn subject_fails_for_a_name_that_is_neither_the_sub_nor_a_user() {
    // Arrange
    let (auth, token) = alice_token();

    // Act: the panic is the assertion
    auth.assert_token(&token).subject("nobody");
}

#[test]
#[should_panic(
    expected = "expected client_id \"mobile\", found client_id \"web\"\ntoken claims:\n{"
)]
fn client_fails_for_a_token_issued_to_another_client() {
    // Arrange
    let (auth, token) = alice_token();

    // Act: the panic is the assertion
    auth.assert_token(&token).client("mobile");
}

#[test]
#[should_panic(
    expected = "expected scopes [\"openid\", \"admin\"], found scope \"openid orders:read\"\ntoken claims:\n{"
)]
fn scopes_fails_when_one_scope_is_missing() {
    // Arrange
    let (auth, token) = alice_token();

    // Act: the panic is the assertion
    auth.assert_token(&token).scopes(["openid", "admin"]);
}

#[test]
#[should_panic(
    expected = "expected aud to include \"https://other.example.test\", found aud \"https://api.example.test\"\ntoken claims:\n{"
)]
fn audience_fails_for_another_audience() {
    // Arrange
    let (auth, token) = alice_token();
    auth.assert_token(&token)
        // Act: the panic is the assertion
        .audience("https://other.example.test");
}

#[test]
#[should_panic(expected = "expected plan \"gold\", found no plan claim\ntoken claims:\n{")]
fn claim_fails_when_the_claim_is_missing() {
    // Arrange
    let (auth, token) = alice_token();

    // Act: the panic is the assertion
    auth.assert_token(&token).claim("plan", "gold");
}

#[test]
#[should_panic(
    expected = "expected exp within 60s of the server's now (1700000060), found exp 1700003600 (3600s from now)\ntoken claims:\n{"
)]
fn expires_within_fails_for_a_token_that_lives_longer() {
    // Arrange
    let (auth, token) = alice_token();
    auth.assert_token(&token)
        // Act: the panic is the assertion
        .expires_within(Duration::from_secs(60));
}

#[test]
#[should_panic(
    expected = "expected an active access token, found an inactive one: the token has expired\ntoken claims:\n{"
)]
fn active_fails_once_the_servers_clock_passed_exp() {
    // Arrange
    let (auth, token) = alice_token();
    auth.advance(Duration::from_secs(2 * 3600));

    // Act: the panic is the assertion
    auth.assert_token(&token).active();
}

#[test]
#[should_panic(
    expected = "expected a revoked token, found one that is not revoked\ntoken claims:\n{"
)]
fn revoked_fails_for_a_token_nobody_revoked() {
    // Arrange
    let (auth, token) = alice_token();

    // Act: the panic is the assertion
    auth.assert_token(&token).revoked();
}

/// A server whose default client is `web-app`, and one client_credentials token it issued.
async fn after_client_credentials() -> MockAuth {
    let auth = MockAuth::builder().client_id("web-app").start().await;
    let (status, body) =
        common::token_request(&auth, &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, 200, "{body}");
    auth
}

#[tokio::test]
async fn assert_issued_passes_for_the_client_and_grant_that_got_a_token() {
    // Arrange
    let auth = after_client_credentials().await;
    common::password_login(&auth, "openid").await;

    // Act
    let issued = auth.assert_issued().to_client("web-app");

    // Assert
    issued
        .times(2)
        .by_grant(GrantType::ClientCredentials)
        .times(1);
    auth.assert_issued().by_grant(GrantType::Password).times(1);
}

#[tokio::test]
async fn assert_issued_does_not_count_refused_token_requests() {
    // Arrange
    let auth = after_client_credentials().await;
    let (status, _) = common::token_request(
        &auth,
        &[
            ("grant_type", "password"),
            ("username", "testuser"),
            ("password", "wrong"),
        ],
    )
    .await;
    assert_eq!(status, 400);

    // Act
    let message = panic_message(|| {
        auth.assert_issued().by_grant(GrantType::Password);
    });

    // Assert
    assert_eq!(
        message,
        "expected a token issued (token requests with grant password answered 200), found 0\n\
         recorded token requests (the last 2 of 2):\n  \
         POST /token (client \"web-app\", grant client_credentials) → 200\n  \
         POST /token (client \"web-app\", grant password, user \"testuser\") → 400"
    );
}

#[test]
#[should_panic(
    expected = "expected a token issued (token requests answered 200), found 0\nrecorded token requests: none"
)]
fn assert_issued_fails_when_nothing_was_issued() {
    // Arrange
    let auth = MockAuth::start_blocking();
    // A minted token is not a request.
    let _ = auth.issue_token().access_token();

    // Act: the panic is the assertion
    auth.assert_issued();
}

#[tokio::test]
#[should_panic(
    expected = "expected a token issued (token requests from client \"mobile\" answered 200), found 0\nrecorded token requests (the last 1 of 1):\n  POST /token (client \"web-app\", grant client_credentials) → 200"
)]
async fn assert_issued_fails_for_a_client_that_got_nothing() {
    // Arrange
    let auth = after_client_credentials().await;

    // Act: the panic is the assertion
    auth.assert_issued().to_client("mobile");
}

#[tokio::test]
#[should_panic(
    expected = "expected a token issued (token requests from client \"web-app\" with grant refresh_token answered 200), found 0\n"
)]
async fn by_grant_fails_for_a_grant_the_client_did_not_use() {
    // Arrange
    let auth = after_client_credentials().await;
    auth.assert_issued()
        .to_client("web-app")
        // Act: the panic is the assertion
        .by_grant(GrantType::RefreshToken);
}

#[tokio::test]
#[should_panic(expected = "expected 2 tokens issued (token requests answered 200), found 1\n")]
async fn times_fails_on_another_count() {
    // Arrange
    let auth = after_client_credentials().await;

    // Act: the panic is the assertion
    auth.assert_issued().times(2);
}
