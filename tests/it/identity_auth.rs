//! The identity face's auth side over HTTP (docs/identity.md#auth-endpoints):
//! `/auth/login`, `/auth/refresh`, `/auth/validate`, lockout on the server's clock, the
//! face's error shape and security headers, tenants and prefixes, and the harness (journal,
//! fault rules) on this face. The guard, impersonation, rate limits and groups are in
//! `identity_guard.rs`.

use std::time::Duration;

use crate::common;
use crate::common::identity::*;
use jsonwebtoken::decode_header;
use mockauth::{Endpoint, Face, Fault, IdentityRateLimits, MockAuth};
use serde_json::{json, Value};

// ---- login ----

#[tokio::test]
async fn a_fixture_user_logs_in_and_gets_a_jwt_the_jwks_verifies() {
    // Arrange
    let auth = unlimited().await;
    let alice = auth
        .user("alice")
        .password("alice-pw-1")
        .email("alice@acme.test")
        .roles(["editor"])
        .create();

    // Act
    let answer = login(&auth, "alice", "alice-pw-1").await;

    // Assert
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_secured(&answer);
    let body = &answer.body;
    assert_eq!(
        body["user"],
        json!({"id": alice.id(), "username": "alice", "email": "alice@acme.test", "roles": ["editor"], "permissions": []})
    );
    assert!(body["refreshToken"].as_str().unwrap().len() > 20);
    let claims = verified_claims(&auth, body["token"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], alice.id());
    assert_eq!(claims["preferred_username"], "alice");
    let expires_at = body["expiresAt"].as_str().unwrap();
    assert!(
        expires_at.ends_with('Z') && expires_at.len() == 24,
        "{expires_at}"
    );
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        3600
    );
}

#[tokio::test]
async fn the_tokens_lifetime_is_the_tenants_access_token_ttl() {
    // Arrange
    let auth = MockAuth::builder()
        .face(Face::identity())
        .access_token_ttl(Duration::from_secs(120))
        .start()
        .await;

    // Act
    let body = logged_in(&auth, "testuser", "password123").await;

    // Assert
    let claims = common::jwt_payload(body["token"].as_str().unwrap());
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        120
    );
}

#[tokio::test]
async fn a_wrong_password_is_invalid_credentials_with_the_attempts_left() {
    // Arrange
    let auth = unlimited().await;

    // Act
    let answer = login(&auth, "testuser", "wrong-password").await;

    // Assert
    assert_error(&answer, 401, "InvalidCredentials");
    assert_secured(&answer);
    assert_eq!(answer.body["message"], "Invalid username or password");
    assert_eq!(
        answer.body["details"],
        json!({"remainingAttempts": 4, "lockoutMinutes": 30})
    );
}

#[tokio::test]
async fn an_unknown_username_is_answered_like_a_first_wrong_password() {
    // Arrange
    let auth = unlimited().await;

    // Act
    let answer = login(&auth, "nobody", "whatever-pw").await;

    // Assert
    assert_error(&answer, 401, "InvalidCredentials");
    assert_eq!(
        answer.body["details"],
        json!({"remainingAttempts": 4, "lockoutMinutes": 30})
    );
}

#[tokio::test]
async fn a_login_without_fields_lists_every_missing_field_at_once() {
    // Arrange
    let auth = unlimited().await;

    // Act
    let answer = post(&auth, "/auth/login", json!({"username": 42})).await;

    // Assert
    assert_error(&answer, 400, "ValidationError");
    assert_eq!(
        answer.body["details"],
        json!({"username": ["username must be a string"], "password": ["password is required"]})
    );
}

#[tokio::test]
async fn malformed_json_a_form_body_and_a_wrong_method_get_the_faces_error_shape() {
    // Arrange
    let auth = unlimited().await;
    let url = format!("{}/auth/login", auth.issuer());

    // Act
    let malformed = read(
        common::http()
            .post(&url)
            .header("content-type", "application/json")
            .body("{\"username\":")
            .send()
            .await
            .unwrap(),
    )
    .await;
    let form = read(
        common::http()
            .post(&url)
            .form(&[("username", "testuser")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    let get = read(common::http().get(&url).send().await.unwrap()).await;
    let array = read(
        common::http()
            .post(&url)
            .json(&json!(["testuser"]))
            .send()
            .await
            .unwrap(),
    )
    .await;

    // Assert
    assert_error(&malformed, 400, "ValidationError");
    assert!(malformed.body["details"]["body"][0]
        .as_str()
        .unwrap()
        .starts_with("Malformed JSON body"));
    assert_error(&form, 415, "UnsupportedMediaType");
    assert_error(&get, 405, "MethodNotAllowed");
    assert_eq!(get.headers["allow"], "POST");
    assert_error(&array, 400, "ValidationError");
    for answer in [&malformed, &form, &get, &array] {
        assert_secured(answer);
    }
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_413_in_the_faces_shape() {
    // Arrange
    let auth = MockAuth::builder()
        .face(Face::identity())
        .body_limit(1024)
        .start()
        .await;

    // Act
    let answer = post(
        &auth,
        "/auth/login",
        json!({"username": "x".repeat(4096), "password": "p"}),
    )
    .await;

    // Assert
    assert_error(&answer, 413, "PayloadTooLarge");
    assert_eq!(answer.body["details"]["limitBytes"], 1024);
    assert_secured(&answer);
}

#[tokio::test]
async fn an_unknown_identity_path_is_404_not_found_with_the_headers() {
    // Arrange
    let auth = unlimited().await;

    // Act
    let answer = post(&auth, "/auth/nope", json!({})).await;

    // Assert
    assert_error(&answer, 404, "NotFound");
    assert_secured(&answer);
}

#[tokio::test]
async fn every_error_has_its_own_trace_id() {
    // Arrange
    let auth = unlimited().await;

    // Act
    let first = login(&auth, "testuser", "wrong-1").await;
    let second = login(&auth, "testuser", "wrong-2").await;

    // Assert
    assert_ne!(first.body["traceId"], second.body["traceId"]);
}

// ---- lockout ----

#[tokio::test]
async fn five_failed_logins_lock_the_account_even_against_the_right_password() {
    // Arrange
    let auth = unlimited().await;
    auth.user("alice").password("alice-pw-1").create();
    let mut remaining = Vec::new();

    // Act
    for _ in 0..5 {
        remaining.push(
            login(&auth, "alice", "wrong-pw").await.body["details"]["remainingAttempts"].clone(),
        );
    }
    let right_password = login(&auth, "alice", "alice-pw-1").await;

    // Assert
    assert_eq!(remaining, [4, 3, 2, 1, 0]);
    assert_error(&right_password, 401, "InvalidCredentials");
    assert_eq!(
        right_password.body["details"],
        json!({"remainingAttempts": 0, "lockoutMinutes": 30})
    );
    assert!(right_password.body["message"]
        .as_str()
        .unwrap()
        .contains("locked"));
}

#[tokio::test]
async fn the_lockout_counts_down_on_the_server_clock_and_advance_lifts_it() {
    // Arrange
    let auth = unlimited().await;
    for _ in 0..5 {
        login(&auth, "testuser", "wrong-pw").await;
    }

    // Act
    auth.advance(Duration::from_secs(10 * 60));
    let during = login(&auth, "testuser", "password123").await;
    auth.advance(Duration::from_secs(21 * 60));
    let after = login(&auth, "testuser", "password123").await;
    let next_failure = login(&auth, "testuser", "wrong-pw").await;

    // Assert
    assert_eq!(during.body["details"]["lockoutMinutes"], 20);
    assert_eq!(after.status, 200, "{}", after.body);
    assert_eq!(next_failure.body["details"]["remainingAttempts"], 4);
}

#[tokio::test]
async fn a_successful_login_resets_the_failure_count() {
    // Arrange
    let auth = unlimited().await;
    login(&auth, "testuser", "wrong-pw").await;
    login(&auth, "testuser", "wrong-pw").await;

    // Act
    logged_in(&auth, "testuser", "password123").await;
    let answer = login(&auth, "testuser", "wrong-pw").await;

    // Assert
    assert_eq!(answer.body["details"]["remainingAttempts"], 4);
}

// ---- refresh ----

#[tokio::test]
async fn refresh_rotates_and_a_reused_refresh_token_revokes_the_session() {
    // Arrange
    let auth = unlimited().await;
    let first = logged_in(&auth, "testuser", "password123").await;
    let old = first["refreshToken"].as_str().unwrap();

    // Act
    let rotated = post(&auth, "/auth/refresh", json!({"refreshToken": old})).await;
    let reused = post(&auth, "/auth/refresh", json!({"refreshToken": old})).await;
    let newest = post(
        &auth,
        "/auth/refresh",
        json!({"refreshToken": rotated.body["refreshToken"]}),
    )
    .await;
    let validated = post(
        &auth,
        "/auth/validate",
        json!({"token": rotated.body["token"]}),
    )
    .await;

    // Assert
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    assert_secured(&rotated);
    assert_ne!(rotated.body["refreshToken"], first["refreshToken"]);
    let claims = verified_claims(&auth, rotated.body["token"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], auth.default_user().id());
    assert_error(&reused, 401, "Unauthorized");
    assert!(reused.body["message"]
        .as_str()
        .unwrap()
        .contains("already used"));
    assert_error(&newest, 401, "Unauthorized");
    assert_eq!(validated.body, json!({"isValid": false}));
}

#[tokio::test]
async fn unknown_missing_expired_and_oidc_refresh_tokens_are_refused() {
    // Arrange
    let auth = MockAuth::builder()
        .face(Face::identity().rate_limits(IdentityRateLimits::off()))
        .refresh_token_ttl(Duration::from_secs(600))
        .start()
        .await;
    let oidc = common::password_login(&auth, "openid offline_access").await;
    let login = logged_in(&auth, "testuser", "password123").await;

    // Act
    let garbage = post(
        &auth,
        "/auth/refresh",
        json!({"refreshToken": "rt_garbage"}),
    )
    .await;
    let missing = post(&auth, "/auth/refresh", json!({})).await;
    let from_oidc = post(
        &auth,
        "/auth/refresh",
        json!({"refreshToken": oidc["refresh_token"]}),
    )
    .await;
    auth.advance(Duration::from_secs(601));
    let expired = post(
        &auth,
        "/auth/refresh",
        json!({"refreshToken": login["refreshToken"]}),
    )
    .await;

    // Assert
    assert_error(&garbage, 401, "Unauthorized");
    assert_error(&missing, 400, "ValidationError");
    assert_eq!(
        missing.body["details"],
        json!({"refreshToken": ["refreshToken is required"]})
    );
    assert_error(&from_oidc, 401, "Unauthorized");
    assert_error(&expired, 401, "Unauthorized");
    assert!(expired.body["message"]
        .as_str()
        .unwrap()
        .contains("expired"));
}

// ---- validate ----

#[tokio::test]
async fn validate_needs_no_credentials_and_says_whether_a_token_is_good() {
    // Arrange
    let auth = unlimited().await;
    let token = logged_in(&auth, "testuser", "password123").await["token"].clone();

    // Act
    let good = post(&auth, "/auth/validate", json!({"token": token})).await;
    let garbage = post(&auth, "/auth/validate", json!({"token": "not-a-jwt"})).await;
    let forged = post(
        &auth,
        "/auth/validate",
        json!({"token": format!("{}x", token.as_str().unwrap())}),
    )
    .await;
    auth.advance(Duration::from_secs(3601));
    let expired = post(&auth, "/auth/validate", json!({"token": token})).await;
    let missing = post(&auth, "/auth/validate", json!({})).await;

    // Assert
    assert_eq!((good.status, &good.body), (200, &json!({"isValid": true})));
    assert_secured(&good);
    assert_eq!(
        (garbage.status, &garbage.body),
        (200, &json!({"isValid": false}))
    );
    assert_eq!(forged.body, json!({"isValid": false}));
    assert_eq!(expired.body, json!({"isValid": false}));
    assert_error(&missing, 400, "ValidationError");
}

#[tokio::test]
async fn an_identity_token_is_a_token_of_the_tenant_that_userinfo_accepts() {
    // Arrange
    let auth = unlimited().await;
    let token = logged_in(&auth, "testuser", "password123").await["token"].clone();

    // Act
    let (status, userinfo) = common::userinfo(&auth, token.as_str().unwrap()).await;

    // Assert
    assert_eq!(status, 200, "{userinfo}");
    assert_eq!(userinfo["sub"], auth.default_user().id());
}

// ---- the harness on this face ----

#[tokio::test]
async fn logins_are_recorded_with_the_password_redacted() {
    // Arrange
    let auth = unlimited().await;

    // Act
    logged_in(&auth, "testuser", "password123").await;
    login(&auth, "testuser", "wrong-pw").await;

    // Assert
    let logins = auth.requests_to(Endpoint::IdentityLogin);
    assert_eq!(logins.len(), 2);
    assert_eq!(logins[0].username.as_deref(), Some("testuser"));
    assert_eq!(logins[0].param("password"), Some("[redacted]"));
    assert_eq!((logins[0].status, logins[1].status), (200, 401));
}

#[tokio::test]
async fn a_fault_rule_on_identity_login_answers_instead_once() {
    // Arrange
    let auth = unlimited().await;
    auth.fault(Endpoint::IdentityLogin)
        .next_calls(1)
        .inject(Fault::server_error())
        .mount();

    // Act
    let faulted = login(&auth, "testuser", "password123").await;
    let next = login(&auth, "testuser", "password123").await;

    // Assert
    assert_eq!(faulted.status, 500);
    assert_eq!(next.status, 200, "{}", next.body);
    assert!(auth.requests_to(Endpoint::IdentityLogin)[0].injected);
}

#[tokio::test]
async fn the_face_lives_below_its_prefix_in_every_tenant_with_the_tenants_keys() {
    // Arrange
    let auth = MockAuth::builder()
        .face(
            Face::identity()
                .at("/identity")
                .rate_limits(IdentityRateLimits::off()),
        )
        .tenant("acme", |t| t.issuer_path("/realms/acme"))
        .start()
        .await;
    let acme = auth.tenant("acme");
    let bob = acme.user("bob").password("bob-pw-123").create();
    let url = |base: String| format!("{base}/identity/auth/login");
    let body = json!({"username": "bob", "password": "bob-pw-123"});

    // Act
    let in_acme = read(
        common::http()
            .post(url(acme.issuer()))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let in_default = read(
        common::http()
            .post(url(auth.issuer()))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;

    // Assert
    assert_eq!(in_acme.status, 200, "{}", in_acme.body);
    let token = in_acme.body["token"].as_str().unwrap();
    assert_eq!(common::jwt_payload(token)["iss"], acme.issuer());
    assert_eq!(common::jwt_payload(token)["sub"], bob.id());
    let kid = decode_header(token).unwrap().kid.unwrap();
    let jwks: Value = common::http()
        .get(acme.jwks_url())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["kid"] == kid));
    assert_error(&in_default, 401, "InvalidCredentials");
}
