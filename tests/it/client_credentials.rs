//! The client credentials grant over HTTP: every way a client may authenticate, the
//! errors of each, scopes, the token's claims and its lifetime.

use std::time::Duration;

use crate::common::{http, introspect, jwt_payload, status_json, token_request, token_request_as};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD as B64};
use base64::Engine as _;
use mockauth::{GrantType, MockAuth};
use serde_json::{json, Value};

/// `Authorization: Basic` as RFC 6749 §2.3.1 builds it: each part form-urlencoded first.
fn basic_header(id: &str, secret: &str) -> String {
    let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", encode(id), encode(secret)))
    )
}

fn description(body: &Value) -> &str {
    body["error_description"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn form_body_with_client_secret_post_gets_an_access_token() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = token_request(
        &auth,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "openid profile"),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "openid profile");
    assert_eq!(body["access_token"].as_str().unwrap().split('.').count(), 3);
}

#[tokio::test]
async fn json_body_gets_an_access_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let response = http()
        .post(auth.token_url())
        .json(&json!({
            "grant_type": "client_credentials",
            "client_id": client.client_id(),
            "client_secret": client.client_secret(),
            "scope": "openid profile email",
        }))
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "openid profile email");
    assert_eq!(
        jwt_payload(body["access_token"].as_str().unwrap())["client_id"],
        client.client_id()
    );
}

#[tokio::test]
async fn client_secret_basic_gets_an_access_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let response = http()
        .post(auth.token_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "openid profile email offline_access");
    assert_eq!(
        jwt_payload(body["access_token"].as_str().unwrap())["sub"],
        client.client_id()
    );
}

#[tokio::test]
async fn client_secret_basic_credentials_are_form_decoded() {
    // Arrange
    let auth = MockAuth::start().await;
    let service = auth
        .client("svc:reports")
        .secret("p@ss w+rd:/%&=ü")
        .create();

    // Act
    let response = http()
        .post(auth.token_url())
        .header(
            "authorization",
            basic_header(service.client_id(), service.client_secret().unwrap()),
        )
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        jwt_payload(body["access_token"].as_str().unwrap())["client_id"],
        "svc:reports"
    );
}

#[tokio::test]
async fn wrong_secret_is_401_invalid_client_with_a_basic_challenge() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let response = http()
        .post(auth.token_url())
        .basic_auth(client.client_id(), Some("not-the-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();

    // Assert
    let challenge = response
        .headers()
        .get("www-authenticate")
        .expect("a WWW-Authenticate header")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(challenge.starts_with("Basic"), "{challenge}");
    let (status, body) = status_json(response).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "invalid_client");
    assert!(description(&body).contains(client.client_id()), "{body}");
    assert!(body.get("access_token").is_none());
}

#[tokio::test]
async fn wrong_secret_in_the_body_is_401_invalid_client() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let response = http()
        .post(auth.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client.client_id()),
            ("client_secret", "not-the-secret"),
        ])
        .send()
        .await
        .unwrap();

    // Assert
    assert!(response.headers().contains_key("www-authenticate"));
    let (status, body) = status_json(response).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "invalid_client");
    assert!(description(&body).contains("does not match"), "{body}");
}

#[tokio::test]
async fn confidential_client_without_its_secret_is_invalid_client() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let response = http()
        .post(auth.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client.client_id()),
        ])
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "invalid_client");
    assert!(description(&body).contains("confidential"), "{body}");
}

#[tokio::test]
async fn unknown_client_is_401_and_names_no_registered_client() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.client("billing").create();
    let default_id = auth.default_client().client_id().to_owned();

    // Act
    let response = http()
        .post(auth.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "ghost"),
            ("client_secret", "whatever"),
        ])
        .send()
        .await
        .unwrap();

    // Assert
    assert!(response.headers().contains_key("www-authenticate"));
    let (status, body) = status_json(response).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "invalid_client");
    let text = description(&body);
    // The caller is not authenticated: the answer names what it sent, nothing registered.
    assert!(text.contains("ghost"), "{body}");
    assert!(!text.contains("billing"), "{body}");
    assert!(!text.contains(&default_id), "{body}");
}

#[tokio::test]
async fn basic_header_and_body_secret_together_are_invalid_request() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let response = http()
        .post(auth.token_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_secret", client.client_secret().unwrap()),
        ])
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    assert!(description(&body).contains("one method"), "{body}");
}

#[tokio::test]
async fn public_client_is_unauthorized_for_client_credentials() {
    // Arrange
    let auth = MockAuth::start().await;
    let cli = auth
        .client("cli")
        .public()
        .grant_types([GrantType::ClientCredentials])
        .create();

    // Act
    let (status, body) =
        token_request_as(&auth, &cli, &[("grant_type", "client_credentials")]).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "unauthorized_client");
    assert!(description(&body).contains("public"), "{body}");
}

#[tokio::test]
async fn requested_subset_of_scopes_is_granted() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = token_request(
        &auth,
        &[("grant_type", "client_credentials"), ("scope", "email")],
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "email");
    assert_eq!(
        jwt_payload(body["access_token"].as_str().unwrap())["scope"],
        "email"
    );
}

#[tokio::test]
async fn unknown_scope_is_invalid_scope() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = token_request(
        &auth,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "openid reports:write"),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_scope");
    assert!(description(&body).contains("reports:write"), "{body}");
}

#[tokio::test]
async fn answer_has_no_refresh_token_and_no_id_token() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = token_request(
        &auth,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "openid offline_access"),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert!(body.get("id_token").is_none(), "{body}");
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["access_token", "expires_in", "scope", "token_type"]);
}

#[tokio::test]
async fn token_answer_must_not_be_cached() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let response = http()
        .post(auth.token_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();

    // Assert
    let headers = response.headers().clone();
    let (status, body) = status_json(response).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["pragma"], "no-cache");
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
}

#[tokio::test]
async fn error_answers_must_not_be_cached_either() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let response = http()
        .post(auth.token_url())
        .form(&[("grant_type", "client_credentials"), ("client_id", "ghost")])
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.headers()["cache-control"], "no-store");
    let (status, body) = status_json(response).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "invalid_client");
}

#[tokio::test]
async fn access_token_carries_the_client_claims() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let (status, body) = token_request(
        &auth,
        &[("grant_type", "client_credentials"), ("scope", "profile")],
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let token = body["access_token"].as_str().unwrap();
    let header: Value =
        serde_json::from_slice(&B64.decode(token.split('.').next().unwrap()).unwrap()).unwrap();
    assert_eq!(header["alg"], "RS256");
    assert!(header["kid"].as_str().is_some_and(|k| !k.is_empty()));
    let claims = jwt_payload(token);
    assert_eq!(claims["iss"], auth.issuer());
    assert_eq!(claims["sub"], client.client_id());
    assert_eq!(claims["aud"], client.client_id());
    assert_eq!(claims["client_id"], client.client_id());
    assert_eq!(claims["scope"], "profile");
    assert!(claims["jti"].as_str().is_some_and(|j| !j.is_empty()));
    let (iat, exp) = (
        claims["iat"].as_u64().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );
    assert_eq!(exp - iat, 3600);
    assert!(claims.get("preferred_username").is_none(), "{claims}");
}

#[tokio::test]
async fn every_token_has_its_own_jti() {
    // Arrange
    let auth = MockAuth::start().await;
    let form = [("grant_type", "client_credentials")];

    // Act
    let (_, first) = token_request(&auth, &form).await;
    let (_, second) = token_request(&auth, &form).await;

    // Assert
    let jti = |body: &Value| jwt_payload(body["access_token"].as_str().unwrap())["jti"].clone();
    assert!(jti(&first).is_string(), "{first}");
    assert_ne!(jti(&first), jti(&second));
}

#[tokio::test]
async fn access_token_ttl_of_the_builder_sets_expires_in_and_exp() {
    // Arrange
    let auth = MockAuth::builder()
        .access_token_ttl(Duration::from_secs(10))
        .start()
        .await;

    // Act
    let (status, body) = token_request(&auth, &[("grant_type", "client_credentials")]).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["expires_in"], 10);
    let token = body["access_token"].as_str().unwrap();
    let claims = jwt_payload(token);
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        10
    );
    assert_eq!(introspect(&auth, token).await["active"], true);
    auth.advance(Duration::from_secs(11));
    assert_eq!(introspect(&auth, token).await, json!({ "active": false }));
}

#[tokio::test]
async fn client_limited_to_other_grants_is_unauthorized_client() {
    // Arrange
    let auth = MockAuth::start().await;
    let web = auth
        .client("web")
        .grant_types([GrantType::AuthorizationCode, GrantType::RefreshToken])
        .create();

    // Act
    let (status, body) =
        token_request_as(&auth, &web, &[("grant_type", "client_credentials")]).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "unauthorized_client");
    assert!(description(&body).contains("client_credentials"), "{body}");
}

#[tokio::test]
async fn unknown_grant_type_is_unsupported_grant_type() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = token_request(
        &auth,
        &[(
            "grant_type",
            "urn:ietf:params:oauth:grant-type:token-exchange",
        )],
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "unsupported_grant_type");
    assert!(description(&body).contains("token-exchange"), "{body}");
    assert!(description(&body).contains("client_credentials"), "{body}");
}

#[tokio::test]
async fn missing_grant_type_is_invalid_request() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = token_request(&auth, &[("scope", "openid")]).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    assert!(description(&body).contains("grant_type"), "{body}");
}
