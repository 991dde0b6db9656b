//! The server's clock: expiry driven by `advance` with no sleeping, a frozen clock, an
//! explicit start time, and issue skew checked by `jsonwebtoken`'s leeway.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::common;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, errors::ErrorKind, DecodingKey, Validation};
use mockauth::{IssueSkew, MockAuth};
use serde_json::Value;

/// 2023-11-14T22:13:20Z, a time no wall clock shows.
const START: u64 = 1_700_000_000;

fn start_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(START)
}

/// A client-credentials access token of the default client.
async fn client_token(auth: &MockAuth) -> String {
    let (status, body) = common::token_request(auth, &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, 200, "client_credentials failed: {body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// Verifies `token` against the served JWKS as a resource server would, with `leeway` and
/// `nbf` checking on, against the wall clock.
async fn verify_with_leeway(
    auth: &MockAuth,
    token: &str,
    leeway: u64,
) -> Result<Value, jsonwebtoken::errors::Error> {
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    let jwks: JwkSet = common::http()
        .get(auth.jwks_url())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kid = decode_header(token).unwrap().kid.unwrap();
    let key = DecodingKey::from_jwk(jwks.find(&kid).unwrap()).unwrap();
    let mut validation = Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_issuer(&[auth.issuer()]);
    validation.set_audience(&[auth.default_client().client_id()]);
    validation.validate_nbf = true;
    validation.leeway = leeway;
    decode::<Value>(token, &key, &validation).map(|data| data.claims)
}

#[tokio::test]
async fn access_token_expires_then_refresh_works_until_the_refresh_token_expires_too() {
    // Arrange
    let auth = MockAuth::builder()
        .access_token_ttl(Duration::from_secs(60))
        .refresh_token_ttl(Duration::from_secs(600))
        .start()
        .await;
    let login = common::password_login(&auth, "openid offline_access").await;
    let access = login["access_token"].as_str().unwrap();
    let refresh = login["refresh_token"].as_str().unwrap();
    let (status, profile) = common::userinfo(&auth, access).await;
    assert_eq!(
        (status, profile["preferred_username"].as_str()),
        (200, Some("testuser"))
    );

    // Act: the access token's minute passes.
    auth.advance(Duration::from_secs(61));
    let (expired_status, expired_body) = common::userinfo(&auth, access).await;
    let introspected = common::introspect(&auth, access).await;
    let (refreshed_status, refreshed) = common::token_request(
        &auth,
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await;

    // Assert
    assert_eq!(expired_status, 401);
    assert_eq!(expired_body["error"], "invalid_token");
    assert_eq!(expired_body["error_description"], "the token has expired");
    assert_eq!(introspected, serde_json::json!({ "active": false }));
    assert_eq!(refreshed_status, 200, "{refreshed}");
    let fresh = refreshed["access_token"].as_str().unwrap();
    let (status, profile) = common::userinfo(&auth, fresh).await;
    assert_eq!(
        (status, profile["sub"].as_str()),
        (200, Some(auth.default_user().id()))
    );

    // Act: the refresh token's ten minutes pass as well.
    auth.advance(Duration::from_secs(600));
    let rotated = refreshed["refresh_token"].as_str().unwrap();
    let (late_status, late) = common::token_request(
        &auth,
        &[("grant_type", "refresh_token"), ("refresh_token", rotated)],
    )
    .await;

    // Assert
    assert_eq!(late_status, 400, "{late}");
    assert_eq!(late["error"], "invalid_grant");
    assert_eq!(common::introspect(&auth, rotated).await["active"], false);
}

#[tokio::test]
async fn a_frozen_clock_stamps_the_same_iat_on_every_token_until_advanced() {
    // Arrange
    let auth = MockAuth::builder().frozen_clock().start().await;

    // Act
    let first = common::jwt_payload(&client_token(&auth).await);
    let second = common::jwt_payload(&client_token(&auth).await);
    auth.advance(Duration::from_secs(90));
    let later = common::jwt_payload(&client_token(&auth).await);

    // Assert
    assert_eq!(first["iat"], second["iat"]);
    assert_eq!(first["exp"], second["exp"]);
    assert_ne!(first["jti"], second["jti"]);
    assert_eq!(
        later["iat"].as_u64(),
        first["iat"].as_u64().map(|iat| iat + 90)
    );
}

#[tokio::test]
async fn an_explicit_start_time_shows_in_iat_auth_time_and_introspection() {
    // Arrange
    let auth = MockAuth::builder()
        .start_time(start_time())
        .frozen_clock()
        .start()
        .await;

    // Act
    let login = common::password_login(&auth, "openid").await;
    let access = login["access_token"].as_str().unwrap();
    let claims = common::jwt_payload(access);
    let id_claims = common::jwt_payload(login["id_token"].as_str().unwrap());
    let introspected = common::introspect(&auth, access).await;

    // Assert
    assert_eq!(auth.now(), start_time());
    assert_eq!(claims["iat"], START);
    assert_eq!(claims["auth_time"], START);
    assert_eq!(claims["exp"], START + 3600);
    assert_eq!(id_claims["iat"], START);
    assert_eq!(id_claims["auth_time"], START);
    assert_eq!(introspected["active"], true);
    assert_eq!(introspected["iat"], START);
}

#[tokio::test]
async fn refreshing_later_moves_iat_but_keeps_the_logins_auth_time() {
    // Arrange
    let auth = MockAuth::builder()
        .start_time(start_time())
        .frozen_clock()
        .start()
        .await;
    let login = common::password_login(&auth, "openid offline_access").await;

    // Act
    auth.advance(Duration::from_secs(1800));
    let (status, refreshed) = common::token_request(
        &auth,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", login["refresh_token"].as_str().unwrap()),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{refreshed}");
    let id_claims = common::jwt_payload(refreshed["id_token"].as_str().unwrap());
    assert_eq!(id_claims["iat"], START + 1800);
    assert_eq!(id_claims["auth_time"], START);
}

#[tokio::test]
async fn a_resumed_clock_runs_on_from_where_it_was_frozen() {
    // Arrange
    let auth = MockAuth::builder()
        .start_time(start_time())
        .frozen_clock()
        .start()
        .await;

    // Act
    auth.resume_clock();
    let iat = common::jwt_payload(&client_token(&auth).await)["iat"]
        .as_u64()
        .unwrap();
    auth.freeze_clock();
    let frozen_again = auth.now();

    // Assert
    assert!((START..START + 5).contains(&iat), "iat {iat}");
    assert_eq!(auth.now(), frozen_again);
}

#[tokio::test]
async fn skew_ahead_puts_iat_and_nbf_in_the_future_beyond_a_small_leeway() {
    // Arrange
    let auth = MockAuth::start().await;
    let skew = 300;
    auth.set_issue_skew(IssueSkew::Ahead(Duration::from_secs(skew)));
    let before = auth.now().duration_since(UNIX_EPOCH).unwrap().as_secs();

    // Act
    let token = client_token(&auth).await;
    let strict = verify_with_leeway(&auth, &token, 60).await;
    let lenient = verify_with_leeway(&auth, &token, 600).await;
    let (status, body) = common::userinfo(&auth, &token).await;

    // Assert
    let claims = common::jwt_payload(&token);
    let iat = claims["iat"].as_u64().unwrap();
    assert!(
        (before + skew..before + skew + 5).contains(&iat),
        "iat {iat}, now {before}"
    );
    assert_eq!(claims["nbf"], claims["iat"]);
    assert_eq!(claims["exp"].as_u64(), Some(iat + 3600));
    assert_eq!(
        strict.map_err(|e| e.into_kind()).unwrap_err(),
        ErrorKind::ImmatureSignature
    );
    assert_eq!(lenient.unwrap()["iat"], iat);
    // The server's own check has a 60 s leeway of its own.
    assert_eq!(status, 401);
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .starts_with("the token is not valid yet"),
        "{body}"
    );
}

#[tokio::test]
async fn skew_behind_makes_a_token_look_expired_to_a_verifier_with_less_leeway() {
    // Arrange
    let auth = MockAuth::builder()
        .access_token_ttl(Duration::from_secs(300))
        .start()
        .await;
    auth.set_issue_skew(IssueSkew::Behind(Duration::from_secs(400)));

    // Act
    let token = client_token(&auth).await;
    let strict = verify_with_leeway(&auth, &token, 30).await;
    let lenient = verify_with_leeway(&auth, &token, 200).await;
    auth.set_issue_skew(IssueSkew::None);
    let unskewed = client_token(&auth).await;

    // Assert
    assert_eq!(
        strict.map_err(|e| e.into_kind()).unwrap_err(),
        ErrorKind::ExpiredSignature
    );
    let claims = lenient.unwrap();
    assert_eq!(
        claims["exp"].as_u64(),
        claims["iat"].as_u64().map(|iat| iat + 300)
    );
    assert!(verify_with_leeway(&auth, &unskewed, 0).await.is_ok());
}

#[tokio::test]
async fn skew_shifts_the_id_tokens_iat_and_auth_time_too() {
    // Arrange
    let auth = MockAuth::builder()
        .start_time(start_time())
        .frozen_clock()
        .start()
        .await;
    auth.set_issue_skew(IssueSkew::Behind(Duration::from_secs(120)));

    // Act
    let login = common::password_login(&auth, "openid").await;

    // Assert
    let id_claims = common::jwt_payload(login["id_token"].as_str().unwrap());
    let access = common::jwt_payload(login["access_token"].as_str().unwrap());
    assert_eq!(id_claims["iat"], START - 120);
    assert_eq!(id_claims["auth_time"], START - 120);
    assert_eq!(id_claims["exp"], START - 120 + 3600);
    assert_eq!(access["nbf"], START - 120);
    assert_eq!(access["auth_time"], START - 120);
}

#[test]
#[should_panic(
    expected = "access_token_ttl(18446744073709551615s) must be between 1 ms and 10 years"
)]
fn a_lifetime_beyond_ten_years_is_refused_at_the_builder() {
    let _ = MockAuth::builder().access_token_ttl(Duration::from_secs(u64::MAX));
}

#[test]
#[should_panic(expected = "must be between 1 ms and 10 years")]
fn a_zero_lifetime_is_refused_for_a_tenant_too() {
    let _ = MockAuth::builder().tenant("acme", |t| t.refresh_token_ttl(Duration::ZERO));
}

#[tokio::test]
async fn advancing_a_frozen_clock_by_any_duration_saturates_and_the_server_keeps_issuing() {
    // Arrange
    let auth = MockAuth::builder()
        .frozen_clock()
        .access_token_ttl(Duration::from_secs(10 * 365 * 24 * 3600))
        .start()
        .await;

    // Act
    auth.advance(Duration::MAX);
    auth.advance(Duration::MAX);
    let body = crate::common::password_login(&auth, "openid").await;
    let (status, _) = crate::common::userinfo(&auth, body["access_token"].as_str().unwrap()).await;

    // Assert: the clock stands at its last second (9999-12-31T23:59:59Z); `exp` lies after it.
    assert_eq!(
        auth.now(),
        std::time::UNIX_EPOCH + Duration::from_secs(253_402_300_799)
    );
    let claims = crate::common::jwt_payload(body["access_token"].as_str().unwrap());
    assert!(claims["exp"].as_u64().unwrap() > claims["iat"].as_u64().unwrap());
    assert_eq!(status, 200);
}

#[tokio::test]
async fn at_the_clocks_last_second_the_identity_faces_expiry_is_still_an_rfc3339_time() {
    // Arrange: the token's `exp` lies after 9999-12-31T23:59:59Z, which `expiresAt` wrote
    // with a five-digit year (found with the OpenAPI document's `expiresAt` pattern).
    let auth = MockAuth::builder()
        .frozen_clock()
        .face(mockauth::Face::identity())
        .start()
        .await;
    auth.advance(Duration::MAX);

    // Act
    let response = common::http()
        .post(format!("{}/auth/login", auth.issuer()))
        .json(&serde_json::json!({ "username": "testuser", "password": "password123" }))
        .send()
        .await
        .unwrap();
    let (status, body) = common::status_json(response).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["expiresAt"], "9999-12-31T23:59:59.999Z");
    let claims = common::jwt_payload(body["token"].as_str().unwrap());
    assert!(claims["exp"].as_u64().unwrap() > 253_402_300_799);
}
