//! `jsonwebtoken`, a verifier nobody here wrote, checks the server's tokens against the JWKS
//! it serves: every asymmetric algorithm, access tokens and id_tokens, issuer and audience,
//! plus the HS256 mode that publishes no keys.

use crate::common;
use jsonwebtoken::jwk::{Jwk, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};
use mockauth::{Algorithm, MockAuth};
use serde_json::Value;

fn install_crypto() {
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
}

async fn fetch_jwks(auth: &MockAuth) -> JwkSet {
    let response = common::http().get(auth.jwks_url()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.expect("a JWK Set document")
}

/// The JWK the token's `kid` names.
fn key_for<'a>(jwks: &'a JwkSet, token: &str) -> &'a Jwk {
    let kid = decode_header(token)
        .unwrap()
        .kid
        .expect("tokens carry a kid");
    jwks.find(&kid)
        .unwrap_or_else(|| panic!("kid {kid:?} is not in the JWKS"))
}

/// Validation of iss and aud (= the client id), plus exp, for `alg`.
fn validation(auth: &MockAuth, alg: jsonwebtoken::Algorithm) -> Validation {
    let mut validation = Validation::new(alg);
    validation.set_issuer(&[auth.issuer()]);
    validation.set_audience(&[auth.default_client().client_id()]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation
}

/// Logs the default user in and verifies both the access token and the id_token against
/// the served JWKS; returns their claims.
async fn tokens_verify_against_jwks(
    algorithm: Algorithm,
    expected: jsonwebtoken::Algorithm,
) -> (Value, Value) {
    let auth = MockAuth::builder().algorithm(algorithm).start().await;
    let jwks = fetch_jwks(&auth).await;
    let tokens = common::password_login(&auth, "openid profile email").await;
    let access = tokens["access_token"].as_str().unwrap();
    let id = tokens["id_token"].as_str().unwrap();

    let mut verified = Vec::new();
    for token in [access, id] {
        assert_eq!(decode_header(token).unwrap().alg, expected);
        let key = DecodingKey::from_jwk(key_for(&jwks, token)).unwrap();
        let data = decode::<Value>(token, &key, &validation(&auth, expected))
            .unwrap_or_else(|e| panic!("{algorithm:?} token rejected by jsonwebtoken: {e:?}"));
        assert_eq!(data.claims["sub"], auth.default_user().id());
        verified.push(data.claims);
    }
    let id_claims = verified.pop().unwrap();
    let access_claims = verified.pop().unwrap();
    (access_claims, id_claims)
}

#[tokio::test]
async fn rs256_access_token_and_id_token_verify_against_the_jwks() {
    // Arrange
    install_crypto();

    // Act
    let (access, id) =
        tokens_verify_against_jwks(Algorithm::RS256, jsonwebtoken::Algorithm::RS256).await;

    // Assert
    assert_eq!(access["scope"], "openid profile email");
    assert!(access["jti"].is_string());
    assert!(id["at_hash"].is_string());
}

#[tokio::test]
async fn es256_access_token_and_id_token_verify_against_the_jwks() {
    // Arrange
    install_crypto();

    // Act
    let (access, id) =
        tokens_verify_against_jwks(Algorithm::ES256, jsonwebtoken::Algorithm::ES256).await;

    // Assert
    assert!(access["client_id"].is_string());
    assert_eq!(id["azp"], access["client_id"]);
}

#[tokio::test]
async fn eddsa_access_token_and_id_token_verify_against_the_jwks() {
    // Arrange
    install_crypto();

    // Act
    let (access, id) =
        tokens_verify_against_jwks(Algorithm::EdDSA, jsonwebtoken::Algorithm::EdDSA).await;

    // Assert
    assert!(access["exp"].as_u64() > access["iat"].as_u64());
    assert_eq!(id["email"], "testuser@example.test");
}

#[tokio::test]
async fn every_published_key_names_its_kid_alg_and_use() {
    // Arrange
    install_crypto();
    let cases = [
        (Algorithm::RS256, KeyAlgorithm::RS256),
        (Algorithm::ES256, KeyAlgorithm::ES256),
        (Algorithm::EdDSA, KeyAlgorithm::EdDSA),
    ];
    for (algorithm, expected) in cases {
        let auth = MockAuth::builder().algorithm(algorithm).start().await;

        // Act
        let jwks = fetch_jwks(&auth).await;

        // Assert
        assert!(!jwks.keys.is_empty(), "{algorithm:?}: no keys published");
        for jwk in &jwks.keys {
            let common = &jwk.common;
            assert!(
                common.key_id.as_deref().is_some_and(|k| !k.is_empty()),
                "{algorithm:?}: a key without kid"
            );
            assert_eq!(common.key_algorithm, Some(expected), "{algorithm:?}: alg");
            assert_eq!(
                common.public_key_use,
                Some(PublicKeyUse::Signature),
                "{algorithm:?}: use"
            );
        }
    }
}

#[tokio::test]
async fn token_from_one_server_does_not_verify_against_another_servers_jwks() {
    // Arrange: seeds pick different keys from the bundled pool and different kids.
    install_crypto();
    let issuer = MockAuth::builder().seed(1).start().await;
    let stranger = MockAuth::builder().seed(2).start().await;
    let tokens = common::password_login(&issuer, "openid").await;
    let token = tokens["access_token"].as_str().unwrap();
    let kid = decode_header(token).unwrap().kid.unwrap();
    let stranger_jwks = fetch_jwks(&stranger).await;

    // Act
    let found = stranger_jwks.find(&kid);
    let stranger_key = DecodingKey::from_jwk(&stranger_jwks.keys[0]).unwrap();
    let mut lenient = Validation::new(jsonwebtoken::Algorithm::RS256);
    lenient.validate_aud = false;
    let result = decode::<Value>(token, &stranger_key, &lenient);

    // Assert
    assert!(
        found.is_none(),
        "kid {kid:?} must not be in another server's JWKS"
    );
    assert!(
        result.is_err(),
        "another server's key must not verify the token"
    );
    let own_key = DecodingKey::from_jwk(key_for(&fetch_jwks(&issuer).await, token)).unwrap();
    assert!(decode::<Value>(token, &own_key, &lenient).is_ok());
}

#[tokio::test]
async fn tampered_token_does_not_verify_against_the_jwks() {
    // Arrange
    install_crypto();
    let auth = MockAuth::start().await;
    let jwks = fetch_jwks(&auth).await;
    let tokens = common::password_login(&auth, "openid").await;
    let token = tokens["access_token"].as_str().unwrap();
    let key = DecodingKey::from_jwk(key_for(&jwks, token)).unwrap();
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut claims: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &parts[1])
            .unwrap(),
    )
    .unwrap();
    claims["sub"] = "someone-else".into();
    parts[1] = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        claims.to_string(),
    );
    let tampered = parts.join(".");

    // Act
    let result = decode::<Value>(
        &tampered,
        &key,
        &validation(&auth, jsonwebtoken::Algorithm::RS256),
    );

    // Assert
    assert_eq!(
        result.unwrap_err().kind(),
        &jsonwebtoken::errors::ErrorKind::InvalidSignature
    );
}

#[tokio::test]
async fn token_for_another_audience_fails_audience_validation() {
    // Arrange
    install_crypto();
    let auth = MockAuth::start().await;
    let jwks = fetch_jwks(&auth).await;
    let tokens = common::password_login(&auth, "openid").await;
    let token = tokens["access_token"].as_str().unwrap();
    let key = DecodingKey::from_jwk(key_for(&jwks, token)).unwrap();
    let mut validation = validation(&auth, jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["some-other-api"]);

    // Act
    let result = decode::<Value>(token, &key, &validation);

    // Assert
    assert_eq!(
        result.unwrap_err().kind(),
        &jsonwebtoken::errors::ErrorKind::InvalidAudience
    );
}

#[tokio::test]
async fn hs256_tokens_verify_with_the_server_and_client_secrets_and_no_key_is_published() {
    // Arrange
    install_crypto();
    let auth = MockAuth::builder()
        .algorithm(Algorithm::HS256)
        .start()
        .await;
    let secret = auth.hs256_secret().expect("an HS256 server has a secret");
    let tokens = common::password_login(&auth, "openid email").await;

    // Act
    let jwks = fetch_jwks(&auth).await;
    // The access token is MACed with the server's secret; the id_token with the client's
    // own secret, as OIDC Core §10.1 asks.
    let client_secret = auth
        .default_client()
        .client_secret()
        .unwrap()
        .as_bytes()
        .to_vec();
    let verified: Vec<Value> = [
        ("access_token", secret.clone()),
        ("id_token", client_secret),
    ]
    .iter()
    .map(|(name, key)| {
        let token = tokens[*name].as_str().unwrap();
        decode::<Value>(
            token,
            &DecodingKey::from_secret(key),
            &validation(&auth, jsonwebtoken::Algorithm::HS256),
        )
        .unwrap_or_else(|e| panic!("HS256 {name} rejected: {e:?}"))
        .claims
    })
    .collect();
    let wrong = decode::<Value>(
        tokens["access_token"].as_str().unwrap(),
        &DecodingKey::from_secret(b"not-the-secret-not-the-secret-xx"),
        &validation(&auth, jsonwebtoken::Algorithm::HS256),
    );

    // Assert
    assert!(jwks.keys.is_empty(), "a shared secret is never published");
    assert!(verified
        .iter()
        .all(|c| c["sub"] == auth.default_user().id()));
    assert!(wrong.is_err(), "another secret must not verify");
}

#[test]
fn rs256_servers_without_a_seed_still_get_distinct_kids() {
    // Arrange
    install_crypto();
    let first = MockAuth::start_blocking();
    let second = MockAuth::start_blocking();
    let http = common::blocking_http();

    // Act
    let kid = |auth: &MockAuth| {
        let jwks: JwkSet = http.get(auth.jwks_url()).send().unwrap().json().unwrap();
        jwks.keys[0].common.key_id.clone().unwrap()
    };

    // Assert
    assert_ne!(kid(&first), kid(&second));
}
