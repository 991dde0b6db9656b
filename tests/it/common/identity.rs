//! Helpers of the identity face's tests: servers with the face, JSON calls, the face's error
//! shape and security headers, and tokens verified with jsonwebtoken against the JWKS.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};
use mockauth::{Face, IdentityRateLimits, MockAuth};
use serde_json::{json, Value};

/// A server with the identity face and its default rate limits.
pub async fn limited() -> MockAuth {
    MockAuth::builder().face(Face::identity()).start().await
}

/// A server with the identity face and no rate limits, for tests that make many calls.
pub async fn unlimited() -> MockAuth {
    MockAuth::builder()
        .face(Face::identity().rate_limits(IdentityRateLimits::off()))
        .start()
        .await
}

/// One answer: status, headers and JSON body (`Null` when empty).
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

pub async fn read(response: reqwest::Response) -> Answer {
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}: not JSON ({e}): {text}"))
    };
    Answer {
        status,
        headers,
        body,
    }
}

/// POSTs JSON to `path` below the default tenant's issuer.
pub async fn post(auth: &MockAuth, path: &str, body: Value) -> Answer {
    post_with(auth, path, body, |r| r).await
}

/// POSTs JSON with extra request settings (credentials, headers).
pub async fn post_with(
    auth: &MockAuth,
    path: &str,
    body: Value,
    with: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
) -> Answer {
    let request = super::http()
        .post(format!("{}{path}", auth.issuer()))
        .json(&body);
    read(with(request).send().await.unwrap()).await
}

pub async fn login(auth: &MockAuth, username: &str, password: &str) -> Answer {
    post(
        auth,
        "/auth/login",
        json!({ "username": username, "password": password }),
    )
    .await
}

/// Logs in and returns the 200 body.
pub async fn logged_in(auth: &MockAuth, username: &str, password: &str) -> Value {
    let answer = login(auth, username, password).await;
    assert_eq!(answer.status, 200, "login failed: {}", answer.body);
    answer.body
}

/// The error shape every identity error has, with its type and status.
#[track_caller]
pub fn assert_error(answer: &Answer, status: u16, error: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.body["error"], error, "{}", answer.body);
    assert!(answer.body["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert!(answer.body["details"].is_object(), "{}", answer.body);
    let trace = answer.body["traceId"].as_str().unwrap();
    assert_eq!(trace.len(), 32, "traceId {trace:?}");
}

/// The face's four security headers.
#[track_caller]
pub fn assert_secured(answer: &Answer) {
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("x-xss-protection", "1; mode=block"),
        ("strict-transport-security", "max-age=31536000"),
    ] {
        assert_eq!(
            answer.headers[name], value,
            "header {name} on a {}",
            answer.status
        );
    }
}

/// Verifies `token` with jsonwebtoken against the tenant's served JWKS; returns its claims.
pub async fn verified_claims(auth: &MockAuth, token: &str) -> Value {
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
    let jwks: JwkSet = super::http()
        .get(auth.jwks_url())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let header = decode_header(token).unwrap();
    let jwk = jwks
        .find(header.kid.as_deref().unwrap())
        .expect("kid in the JWKS");
    let mut validation = Validation::new(header.alg);
    validation.set_issuer(&[auth.issuer()]);
    validation.set_audience(&[auth.issuer()]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    decode::<Value>(token, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
        .unwrap_or_else(|e| panic!("jsonwebtoken rejected the identity token: {e:?}"))
        .claims
}
