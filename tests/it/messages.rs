//! Failure messages are API: the exact text of unmet request expectations, from
//! `verify_requests` and from the drop of `MockAuth`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::common::blocking_http;
use mockauth::{Endpoint, Fault, GrantType, MockAuth};

/// The message `f` panics with; fails the test when it does not panic.
fn panic_message(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    if let Some(text) = payload.downcast_ref::<String>() {
        return text.clone();
    }
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .expect("a panic with a text message")
}

/// A client_credentials request with Basic credentials; returns the status.
fn client_credentials(auth: &MockAuth, id: &str, secret: &str) -> u16 {
    blocking_http()
        .post(auth.token_url())
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn verify_requests_says_expected_and_found_for_each_failure_then_lists_the_requests() {
    // Arrange
    let auth = MockAuth::start_blocking();
    let web = auth.client("web").create();
    auth.expect(Endpoint::Token)
        .client("web")
        .grant(GrantType::ClientCredentials)
        .times(2);
    auth.expect(Endpoint::Userinfo)
        .status(200)
        .named("profile fetch")
        .times(1..);
    auth.expect(Endpoint::Discovery).times(..=1);
    let http = blocking_http();
    let token = client_credentials(&auth, "web", web.client_secret().unwrap());
    let userinfo = http.get(auth.userinfo_url()).send().unwrap();
    let discovery = http.get(auth.discovery_url()).send().unwrap();

    // Act
    let message = panic_message(|| auth.verify_requests());
    auth.clear_expectations();

    // Assert
    assert_eq!(
        (
            token,
            userinfo.status().as_u16(),
            discovery.status().as_u16()
        ),
        (200, 401, 200)
    );
    assert_eq!(
        message,
        "2 of 3 request expectations not met:\n\
         - Expectation #1 (token requests from client \"web\" with grant client_credentials): expected 2, found 1\n\
         - \"profile fetch\" (userinfo requests answered 200): expected at least 1, found 0\n\
         recorded requests (3):\n  \
         POST /token (client \"web\", grant client_credentials) → 200\n  \
         GET /userinfo → 401\n  \
         GET /.well-known/openid-configuration → 200"
    );
}

#[test]
#[should_panic(expected = "1 of 1 request expectations not met:\n\
                           - Expectation #1 (logout requests): expected 1, found 0\n\
                           recorded requests: none; is the code under test pointed at http://127.0.0.1:")]
fn an_expectation_with_no_request_at_all_asks_where_the_code_under_test_points() {
    // Arrange
    let auth = MockAuth::start_blocking();
    auth.expect(Endpoint::Logout).times(1);

    // Act
    auth.verify_requests();
}

#[test]
fn the_hint_names_the_servers_own_address() {
    // Arrange
    let auth = MockAuth::start_blocking();
    auth.expect(Endpoint::Revoke)
        .named("logout revokes")
        .times(1);

    // Act
    let message = panic_message(|| auth.verify_requests());
    auth.clear_expectations();

    // Assert
    assert_eq!(
        message,
        format!(
            "1 of 1 request expectations not met:\n\
             - \"logout revokes\" (revoke requests): expected 1, found 0\n\
             recorded requests: none; is the code under test pointed at {}?",
            auth.issuer()
        )
    );
}

#[test]
fn the_listing_shows_only_the_last_20_requests() {
    // Arrange
    let auth = MockAuth::start_blocking();
    auth.expect(Endpoint::Jwks).times(..=20);
    let http = blocking_http();
    for _ in 0..25 {
        assert_eq!(http.get(auth.jwks_url()).send().unwrap().status(), 200);
    }

    // Act
    let message = panic_message(|| auth.verify_requests());
    auth.clear_expectations();

    // Assert
    let expected = format!(
        "1 of 1 request expectations not met:\n\
         - Expectation #1 (jwks requests): expected at most 20, found 25\n\
         recorded requests (the last 20 of 25):{}",
        "\n  GET /.well-known/jwks.json → 200".repeat(20)
    );
    assert_eq!(message, expected);
}

#[test]
fn injected_answers_are_marked_in_the_listing() {
    // Arrange
    let auth = MockAuth::builder()
        .client_id("app")
        .client_secret("app-secret")
        .start_blocking();
    auth.fault(Endpoint::Token)
        .next_calls(1)
        .inject(Fault::rate_limited())
        .mount();
    auth.expect(Endpoint::Token).status(200).times(2);
    let statuses = [
        client_credentials(&auth, "app", "app-secret"),
        client_credentials(&auth, "app", "app-secret"),
    ];

    // Act
    let message = panic_message(|| auth.verify_requests());
    auth.clear_expectations();

    // Assert
    assert_eq!(statuses, [429, 200]);
    assert_eq!(
        message,
        "1 of 1 request expectations not met:\n\
         - Expectation #1 (token requests answered 200): expected 2, found 1\n\
         recorded requests (2):\n  \
         POST /token (client \"app\", grant client_credentials) → 429 [injected]\n  \
         POST /token (client \"app\", grant client_credentials) → 200"
    );
}

#[test]
fn dropping_the_server_checks_its_expectations_with_the_same_message() {
    // Arrange
    let mut issuer = String::new();

    // Act
    let message = panic_message(|| {
        let auth = MockAuth::start_blocking();
        issuer = auth.issuer();
        auth.expect(Endpoint::Token)
            .user("alice")
            .named("alice logs in")
            .times(1);
        drop(auth);
    });

    // Assert
    assert_eq!(
        message,
        format!(
            "1 of 1 request expectations not met:\n\
             - \"alice logs in\" (token requests for user \"alice\"): expected 1, found 0\n\
             recorded requests: none; is the code under test pointed at {issuer}?"
        )
    );
}

#[test]
fn a_test_already_panicking_gets_its_own_message_and_no_second_panic_from_the_drop() {
    // Arrange
    let message = panic_message(|| {
        let auth = MockAuth::start_blocking();
        auth.expect(Endpoint::Token).times(1);

        // Act
        panic!("the test's own assertion failed");
    });

    // Assert
    assert_eq!(message, "the test's own assertion failed");
}

#[test]
fn met_expectations_let_the_server_drop_quietly() {
    // Arrange
    let auth = MockAuth::start_blocking();
    auth.expect(Endpoint::Jwks).times(1);

    // Act
    let status = blocking_http()
        .get(auth.jwks_url())
        .send()
        .unwrap()
        .status();

    // Assert
    assert_eq!(status, 200);
    drop(auth);
}
