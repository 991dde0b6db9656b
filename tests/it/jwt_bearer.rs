//! The JWT bearer grant (RFC 7523) over HTTP: HS256 assertions signed with the client
//! secret, for the client itself or for a user, and every way an assertion is refused.

use std::time::{Duration, UNIX_EPOCH};

use crate::common::{http, jwt_payload, status_json};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use jsonwebtoken::{EncodingKey, Header};
use mockauth::MockAuth;
use serde_json::{json, Value};

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

fn unix_now(auth: &MockAuth) -> u64 {
    auth.now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// The claims of a good assertion from the default client about `sub`, valid for 5 minutes
/// of the server's clock.
fn claims(auth: &MockAuth, sub: &str, jti: &str) -> Value {
    let now = unix_now(auth);
    json!({
        "iss": auth.default_client().client_id(),
        "sub": sub,
        "aud": auth.token_url(),
        "iat": now,
        "exp": now + 300,
        "jti": jti,
    })
}

/// An HS256 assertion signed with `secret`.
fn sign_hs256(secret: &str, claims: &Value) -> String {
    jsonwebtoken::encode(
        &Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

/// An HS256 assertion signed with the default client's secret.
fn assertion(auth: &MockAuth, claims: &Value) -> String {
    sign_hs256(auth.default_client().client_secret().unwrap(), claims)
}

/// POSTs a jwt-bearer grant as a form: `assertion`, plus `client_id` and `scope` if given.
async fn exchange(
    auth: &MockAuth,
    assertion: &str,
    client_id: Option<&str>,
    scope: Option<&str>,
) -> (u16, Value) {
    let mut form = vec![("grant_type", JWT_BEARER), ("assertion", assertion)];
    if let Some(id) = client_id {
        form.push(("client_id", id));
    }
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    let response = http()
        .post(auth.token_url())
        .form(&form)
        .send()
        .await
        .unwrap();
    status_json(response).await
}

fn description(body: &Value) -> &str {
    body["error_description"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn assertion_about_the_client_itself_gets_a_client_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let jwt = assertion(&auth, &claims(&auth, client.client_id(), "jti-client"));

    // Act
    let (status, body) = exchange(&auth, &jwt, Some(client.client_id()), Some("profile")).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "profile");
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert!(body.get("id_token").is_none(), "{body}");
    let access = jwt_payload(body["access_token"].as_str().unwrap());
    assert_eq!(access["sub"], client.client_id());
    assert_eq!(access["client_id"], client.client_id());
    assert_eq!(access["iss"], auth.issuer());
}

#[tokio::test]
async fn assertion_without_client_id_is_matched_to_the_client_by_its_iss() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let jwt = assertion(&auth, &claims(&auth, client.client_id(), "jti-iss"));

    // Act
    let (status, body) = exchange(&auth, &jwt, None, None).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        jwt_payload(body["access_token"].as_str().unwrap())["client_id"],
        client.client_id()
    );
}

#[tokio::test]
async fn assertion_about_a_username_gets_a_user_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let user = auth.default_user();
    let jwt = assertion(&auth, &claims(&auth, "testuser", "jti-user"));

    // Act
    let (status, body) = exchange(
        &auth,
        &jwt,
        Some(auth.default_client().client_id()),
        Some("openid profile"),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "openid profile");
    let access = jwt_payload(body["access_token"].as_str().unwrap());
    assert_eq!(access["sub"], user.id());
    assert_eq!(access["preferred_username"], "testuser");
    let id_token = jwt_payload(body["id_token"].as_str().unwrap());
    assert_eq!(id_token["sub"], user.id());
}

#[tokio::test]
async fn assertion_in_a_json_body_works() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let jwt = assertion(&auth, &claims(&auth, client.client_id(), "jti-json"));

    // Act
    let response = http()
        .post(auth.token_url())
        .json(&json!({
            "grant_type": JWT_BEARER,
            "assertion": jwt,
            "client_id": client.client_id(),
        }))
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        jwt_payload(body["access_token"].as_str().unwrap())["sub"],
        client.client_id()
    );
}

#[tokio::test]
async fn assertion_signed_with_another_secret_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let jwt = sign_hs256(
        "not-the-client-secret",
        &claims(&auth, client.client_id(), "jti-forged"),
    );

    // Act
    let (status, body) = exchange(&auth, &jwt, Some(client.client_id()), None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(description(&body).contains("client secret"), "{body}");
    assert!(
        description(&body).to_lowercase().contains("signature"),
        "{body}"
    );
}

#[tokio::test]
async fn assertion_for_another_audience_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let mut wrong_aud = claims(&auth, client.client_id(), "jti-aud");
    wrong_aud["aud"] = json!("https://other-server.example/token");
    let jwt = assertion(&auth, &wrong_aud);

    // Act
    let (status, body) = exchange(&auth, &jwt, Some(client.client_id()), None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(description(&body).contains("aud"), "{body}");
    assert!(description(&body).contains(&auth.token_url()), "{body}");
}

#[tokio::test]
async fn assertion_expired_on_the_server_clock_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let jwt = assertion(&auth, &claims(&auth, client.client_id(), "jti-expired"));
    auth.advance(Duration::from_secs(301));

    // Act
    let (status, body) = exchange(&auth, &jwt, Some(client.client_id()), None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(description(&body).contains("expired"), "{body}");
}

#[tokio::test]
async fn assertion_without_exp_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let mut no_exp = claims(&auth, client.client_id(), "jti-no-exp");
    no_exp.as_object_mut().unwrap().remove("exp");
    let jwt = assertion(&auth, &no_exp);

    // Act
    let (status, body) = exchange(&auth, &jwt, Some(client.client_id()), None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(description(&body).contains("exp"), "{body}");
}

#[tokio::test]
async fn replayed_assertion_jti_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let jwt = assertion(&auth, &claims(&auth, client.client_id(), "jti-once"));
    let (status, first) = exchange(&auth, &jwt, Some(client.client_id()), None).await;
    assert_eq!(status, 200, "{first}");

    // Act
    let (status, body) = exchange(&auth, &jwt, Some(client.client_id()), None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(description(&body).contains("replay"), "{body}");
}

#[tokio::test]
async fn assertion_issued_by_someone_else_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let mut foreign = claims(&auth, client.client_id(), "jti-foreign");
    foreign["iss"] = json!("another-client");
    let jwt = assertion(&auth, &foreign);

    // Act
    let (status, body) = exchange(&auth, &jwt, Some(client.client_id()), None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(description(&body).contains("iss"), "{body}");
}

#[tokio::test]
async fn assertion_about_nobody_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let jwt = assertion(&auth, &claims(&auth, "ghost-user", "jti-ghost"));

    // Act
    let (status, body) = exchange(&auth, &jwt, Some(client.client_id()), None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(description(&body).contains("ghost-user"), "{body}");
}

#[tokio::test]
async fn rs256_assertion_is_invalid_grant() {
    // Arrange: a real RS256 signature, from one of the crate's public test keys.
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let key =
        aws_lc_rs::rsa::KeyPair::from_pkcs8(include_bytes!("../../src/keys/bundled/rsa1.der"))
            .unwrap();
    let signing_input = format!(
        "{}.{}",
        B64.encode(json!({ "alg": "RS256", "typ": "JWT" }).to_string()),
        B64.encode(claims(&auth, client.client_id(), "jti-rs256").to_string())
    );
    let mut signature = vec![0; key.public_modulus_len()];
    key.sign(
        &aws_lc_rs::signature::RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        signing_input.as_bytes(),
        &mut signature,
    )
    .unwrap();
    let jwt = format!("{signing_input}.{}", B64.encode(signature));

    // Act
    let (status, body) = exchange(&auth, &jwt, Some(client.client_id()), None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(description(&body).contains("HS256"), "{body}");
}

#[tokio::test]
async fn unsigned_alg_none_assertion_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let jwt = format!(
        "{}.{}.",
        B64.encode(json!({ "alg": "none", "typ": "JWT" }).to_string()),
        B64.encode(claims(&auth, client.client_id(), "jti-none").to_string())
    );

    // Act
    let (status, body) = exchange(&auth, &jwt, Some(client.client_id()), None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(description(&body).contains("HS256"), "{body}");
    assert!(body.get("access_token").is_none());
}

#[tokio::test]
async fn garbage_assertion_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = exchange(&auth, "this-is-not-a-jwt", None, None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(description(&body).contains("well-formed JWT"), "{body}");
}

#[tokio::test]
async fn garbage_assertion_of_a_named_client_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let (status, body) = exchange(&auth, "this-is-not-a-jwt", Some(client.client_id()), None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(description(&body).contains("HS256"), "{body}");
}

#[tokio::test]
async fn missing_assertion_is_invalid_request() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let response = http()
        .post(auth.token_url())
        .form(&[
            ("grant_type", JWT_BEARER),
            ("client_id", client.client_id()),
        ])
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    assert!(description(&body).contains("assertion"), "{body}");
}

#[tokio::test]
async fn assertion_without_jti_is_invalid_grant() {
    // Arrange: without a jti an assertion could be replayed until it expires.
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let mut no_jti = claims(&auth, client.client_id(), "unused");
    no_jti.as_object_mut().unwrap().remove("jti");
    let jwt = assertion(&auth, &no_jti);

    // Act
    let (status, body) = exchange(&auth, &jwt, None, None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(description(&body).contains("jti"), "{body}");
}

#[tokio::test]
async fn assertion_that_lives_longer_than_five_minutes_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let mut long = claims(&auth, client.client_id(), "jti-long");
    long["exp"] = json!(long["iat"].as_u64().unwrap() + 3600);
    let jwt = assertion(&auth, &long);

    // Act
    let (status, body) = exchange(&auth, &jwt, None, None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert!(description(&body).contains("at most 300s"), "{body}");
}
