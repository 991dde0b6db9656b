//! Who may call the identity face, and how often (docs/identity.md#guard): the guard (bearer tokens
//! from `/auth/login`, `X-API-Key`, the admin token; 401 and 403) through
//! `/auth/impersonate` and its RFC 8693 `act` claim, per-IP rate limits on the server's
//! clock and their off switch, and groups enabled one by one.

use std::time::{Duration, UNIX_EPOCH};

use crate::common;
use crate::common::identity::*;
use mockauth::{Face, IdentityGroups, IdentityRateLimits, MockAuth};
use serde_json::json;

// ---- the guard, through impersonation (needs Users:Manage) ----

/// Makes a user with `permissions` of its own through `POST /users` (admin token); returns
/// its id.
async fn user_with(auth: &MockAuth, username: &str, permissions: &[&str]) -> String {
    let answer = post_with(
        auth,
        "/users",
        json!({"username": username, "email": format!("{username}@example.test"), "password": "manager-pw-1", "permissions": permissions}),
        |r| r.bearer_auth(auth.admin_token()),
    )
    .await;
    assert_eq!(answer.status, 201, "POST /users failed: {}", answer.body);
    answer.body["id"].as_str().unwrap().to_owned()
}

/// Makes an API key with `permissions` through `POST /apikeys` (admin token); returns the key.
async fn api_key_with(auth: &MockAuth, permissions: &[&str], expires_at: &str) -> String {
    let answer = post_with(
        auth,
        "/apikeys",
        json!({"name": "ci", "permissions": permissions, "expiresAt": expires_at}),
        |r| r.bearer_auth(auth.admin_token()),
    )
    .await;
    assert_eq!(answer.status, 201, "POST /apikeys failed: {}", answer.body);
    answer.body["key"].as_str().unwrap().to_owned()
}

async fn impersonate(
    auth: &MockAuth,
    user_id: &str,
    with: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
) -> Answer {
    post_with(auth, "/auth/impersonate", json!({"userId": user_id}), with).await
}

#[tokio::test]
async fn a_manager_impersonates_a_user_with_an_act_claim_naming_the_manager() {
    // Arrange
    let auth = unlimited().await;
    let manager_id = user_with(&auth, "manager", &["Users:Manage"]).await;
    let manager = logged_in(&auth, "manager", "manager-pw-1").await;
    let alice = auth.user("alice").create();

    // Act
    let answer = impersonate(&auth, alice.id(), |r| {
        r.bearer_auth(manager["token"].as_str().unwrap())
    })
    .await;

    // Assert
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_secured(&answer);
    let claims = verified_claims(&auth, answer.body["token"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], alice.id());
    assert_eq!(claims["act"], json!({"sub": manager_id}));
}

#[tokio::test]
async fn impersonating_with_an_impersonation_token_chains_the_actors() {
    // Arrange
    let auth = unlimited().await;
    let boss_id = user_with(&auth, "boss", &["Users:Manage"]).await;
    let deputy_id = user_with(&auth, "deputy", &["Users:Manage"]).await;
    let boss = logged_in(&auth, "boss", "manager-pw-1").await;
    let as_deputy = impersonate(&auth, &deputy_id, |r| {
        r.bearer_auth(boss["token"].as_str().unwrap())
    })
    .await;

    // Act
    let answer = impersonate(&auth, auth.default_user().id(), |r| {
        r.bearer_auth(as_deputy.body["token"].as_str().unwrap())
    })
    .await;

    // Assert
    let claims = common::jwt_payload(answer.body["token"].as_str().unwrap());
    assert_eq!(
        claims["act"],
        json!({"sub": deputy_id, "act": {"sub": boss_id}})
    );
}

#[tokio::test]
async fn the_admin_token_impersonates_as_mockauth_admin() {
    // Arrange
    let auth = unlimited().await;

    // Act
    let answer = impersonate(&auth, auth.default_user().id(), |r| {
        r.bearer_auth(auth.admin_token())
    })
    .await;

    // Assert
    assert_eq!(answer.status, 200, "{}", answer.body);
    let claims = verified_claims(&auth, answer.body["token"].as_str().unwrap()).await;
    assert_eq!(claims["act"], json!({"sub": "mockauth-admin"}));
}

#[tokio::test]
async fn no_or_bad_credentials_are_401_and_missing_permission_is_403() {
    // Arrange
    let auth = unlimited().await;
    let plain = logged_in(&auth, "testuser", "password123").await;
    let target = auth.default_user().id().to_owned();

    // Act
    let none = impersonate(&auth, &target, |r| r).await;
    let garbage = impersonate(&auth, &target, |r| r.bearer_auth("garbage")).await;
    let bad_key = impersonate(&auth, &target, |r| r.header("x-api-key", "mka_unknown")).await;
    let not_a_key = impersonate(&auth, &target, |r| r.header("x-api-key", "secret")).await;
    let forbidden = impersonate(&auth, &target, |r| {
        r.bearer_auth(plain["token"].as_str().unwrap())
    })
    .await;
    auth.advance(Duration::from_secs(3601));
    let expired = impersonate(&auth, &target, |r| {
        r.bearer_auth(plain["token"].as_str().unwrap())
    })
    .await;

    // Assert
    for answer in [&none, &garbage, &bad_key, &not_a_key, &expired] {
        assert_error(answer, 401, "Unauthorized");
        assert_secured(answer);
    }
    assert_error(&forbidden, 403, "Forbidden");
    assert_eq!(
        forbidden.body["details"]["requiredPermission"],
        "Users:Manage"
    );
    assert_secured(&forbidden);
}

#[tokio::test]
async fn an_api_key_with_the_permission_works_until_it_expires_on_the_server_clock() {
    // Arrange: the server's clock starts at 2023-11-14T22:13:20Z.
    let auth = MockAuth::builder()
        .face(Face::identity().rate_limits(IdentityRateLimits::off()))
        .start_time(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        .start()
        .await;
    let in_an_hour = "2023-11-14T23:13:20Z";
    let key = api_key_with(&auth, &["Users:Manage"], in_an_hour).await;
    let weak_key = api_key_with(&auth, &["Roles:Manage"], in_an_hour).await;
    let target = auth.default_user().id().to_owned();

    // Act
    let allowed = impersonate(&auth, &target, |r| r.header("x-api-key", &key)).await;
    let weak = impersonate(&auth, &target, |r| r.header("x-api-key", &weak_key)).await;
    auth.advance(Duration::from_secs(3601));
    let expired = impersonate(&auth, &target, |r| r.header("x-api-key", &key)).await;

    // Assert
    assert_eq!(allowed.status, 200, "{}", allowed.body);
    let claims = common::jwt_payload(allowed.body["token"].as_str().unwrap());
    assert!(claims["act"]["sub"]
        .as_str()
        .unwrap()
        .starts_with("apikey:"));
    assert_error(&weak, 403, "Forbidden");
    assert_error(&expired, 401, "Unauthorized");
    assert!(expired.body["message"]
        .as_str()
        .unwrap()
        .contains("expired"));
}

#[tokio::test]
async fn impersonating_an_unknown_user_or_without_user_id_is_refused() {
    // Arrange
    let auth = unlimited().await;
    let admin = |r: reqwest::RequestBuilder| r.bearer_auth(auth.admin_token());

    // Act
    let unknown = impersonate(&auth, "usr_nobody", admin).await;
    let missing = post_with(&auth, "/auth/impersonate", json!({}), admin).await;

    // Assert
    assert_error(&unknown, 404, "NotFound");
    assert_error(&missing, 400, "ValidationError");
    assert_eq!(
        missing.body["details"],
        json!({"userId": ["userId is required"]})
    );
}

// ---- rate limits ----

#[tokio::test]
async fn the_sixth_auth_call_in_a_minute_is_429_until_the_clock_moves_on() {
    // Arrange
    let auth = limited().await;
    for _ in 0..5 {
        post(&auth, "/auth/validate", json!({"token": "x"})).await;
    }

    // Act
    let limited = login(&auth, "testuser", "password123").await;
    auth.advance(Duration::from_secs(60));
    let later = login(&auth, "testuser", "password123").await;

    // Assert
    assert_error(&limited, 429, "RateLimitExceeded");
    assert_secured(&limited);
    let retry_after: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(limited.body["details"]["limit"], 5);
    assert_eq!(later.status, 200, "{}", later.body);
}

#[tokio::test]
async fn rate_limits_switched_off_let_every_call_through() {
    // Arrange
    let auth = unlimited().await;

    // Act
    let mut statuses = Vec::new();
    for _ in 0..20 {
        statuses.push(
            post(&auth, "/auth/validate", json!({"token": "x"}))
                .await
                .status,
        );
    }

    // Assert
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
}

#[tokio::test]
async fn reads_and_writes_are_counted_apart_with_configured_limits() {
    // Arrange
    let minute = Duration::from_secs(60);
    let auth = MockAuth::builder()
        .face(
            Face::identity().rate_limits(
                IdentityRateLimits::default()
                    .reads(1, minute)
                    .management(1, minute),
            ),
        )
        .start()
        .await;
    let get = || async {
        read(
            common::http()
                .get(format!("{}/roles", auth.issuer()))
                .bearer_auth(auth.admin_token())
                .send()
                .await
                .unwrap(),
        )
        .await
    };
    let write = || {
        post_with(&auth, "/roles", json!({"name": "Editor"}), |r| {
            r.bearer_auth(auth.admin_token())
        })
    };

    // Act
    let first_read = get().await;
    let first_write = write().await;
    let second_read = get().await;
    let second_write = write().await;

    // Assert
    assert_ne!(first_read.status, 429, "{}", first_read.body);
    assert_ne!(first_write.status, 429, "{}", first_write.body);
    assert_error(&second_read, 429, "RateLimitExceeded");
    assert_eq!(second_read.body["details"]["scope"], "read");
    assert_error(&second_write, 429, "RateLimitExceeded");
    assert_eq!(second_write.body["details"]["scope"], "management");
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn each_ip_has_its_own_window() {
    // Arrange: Linux routes all of 127.0.0.0/8 to loopback, so a second source IP is at hand.
    let auth = MockAuth::builder()
        .face(
            Face::identity()
                .rate_limits(IdentityRateLimits::default().auth(1, Duration::from_secs(60))),
        )
        .start()
        .await;
    let from = |ip: [u8; 4]| {
        reqwest::Client::builder()
            .local_address(std::net::IpAddr::from(ip))
            .build()
            .unwrap()
    };
    let validate = |client: reqwest::Client| {
        let url = format!("{}/auth/validate", auth.issuer());
        async move {
            client
                .post(url)
                .json(&json!({"token": "x"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };

    // Act
    let first = validate(from([127, 0, 0, 1])).await;
    let again = validate(from([127, 0, 0, 1])).await;
    let other_ip = validate(from([127, 0, 0, 2])).await;

    // Assert
    assert_eq!((first, again, other_ip), (200, 429, 200));
}

// ---- groups ----

#[tokio::test]
async fn disabled_groups_answer_404_and_enabled_ones_work() {
    // Arrange
    let auth = MockAuth::builder()
        .face(Face::identity().groups(IdentityGroups::none().auth(true)))
        .start()
        .await;
    let admin = |r: reqwest::RequestBuilder| r.bearer_auth(auth.admin_token());

    // Act
    let login = login(&auth, "testuser", "password123").await;
    let users = post_with(&auth, "/users", json!({}), admin).await;
    let impersonation = impersonate(&auth, auth.default_user().id(), admin).await;

    // Assert
    assert_eq!(login.status, 200, "{}", login.body);
    assert_error(&users, 404, "NotFound");
    assert!(users.body["message"].as_str().unwrap().contains("disabled"));
    assert_secured(&users);
    assert_error(&impersonation, 404, "NotFound");
}

#[test]
#[should_panic(expected = "applies to the identity face only")]
fn identity_options_on_another_face_panic_with_the_fix() {
    let _ = Face::service().groups(IdentityGroups::all());
}
