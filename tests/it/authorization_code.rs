//! The authorization code grant over HTTP: `/authorize` (GET and POST) and the code
//! exchange at `/token`, with PKCE, redirect URI rules, code reuse and expiry.

use std::time::{Duration, UNIX_EPOCH};

use crate::common::{
    authorize_default, http, introspect, jwt_payload, location_param, pkce_pair, status_json,
    token_request, token_request_as, REDIRECT_URI,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use mockauth::MockAuth;
use serde_json::Value;

/// GETs `/authorize` with `query`, redirects not followed.
async fn authorize(auth: &MockAuth, query: &[(&str, &str)]) -> reqwest::Response {
    http()
        .get(auth.authorize_url())
        .query(query)
        .send()
        .await
        .unwrap()
}

/// Redeems a code of the default client issued for `REDIRECT_URI`.
async fn exchange(auth: &MockAuth, code: &str, verifier: &str) -> (u16, Value) {
    token_request(
        auth,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", verifier),
        ],
    )
    .await
}

/// Whether an `aud` claim (a string or an array) names `client_id`.
fn audience_contains(aud: &Value, client_id: &str) -> bool {
    match aud {
        Value::String(one) => one == client_id,
        Value::Array(many) => many.iter().any(|a| a == client_id),
        _ => false,
    }
}

fn unix_now(auth: &MockAuth) -> u64 {
    auth.now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[tokio::test]
async fn code_flow_with_s256_pkce_returns_a_full_token_set() {
    // Arrange
    let auth = MockAuth::start().await;
    let (code, verifier) = authorize_default(&auth, &[]).await;

    // Act
    let (status, body) = exchange(&auth, &code, &verifier).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["scope"], "openid profile email offline_access");
    assert!(body["access_token"].as_str().unwrap().split('.').count() == 3);
    assert!(body["id_token"].is_string(), "{body}");
    assert!(body["refresh_token"].is_string(), "{body}");
}

#[tokio::test]
async fn code_flow_with_plain_pkce_accepts_the_verifier_as_the_challenge() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let (verifier, _) = pkce_pair("plain-method-verifier");
    let response = authorize(
        &auth,
        &[
            ("response_type", "code"),
            ("client_id", client.client_id()),
            ("redirect_uri", REDIRECT_URI),
            ("scope", "openid"),
            ("code_challenge", &verifier),
            ("code_challenge_method", "plain"),
        ],
    )
    .await;
    assert_eq!(response.status(), 302);
    let code = location_param(&response, "code").expect("a code");

    // Act
    let (status, body) = exchange(&auth, &code, &verifier).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "openid");
    assert!(body["id_token"].is_string(), "{body}");
}

#[tokio::test]
async fn authorize_redirect_echoes_state_and_names_the_issuer() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let (_, challenge) = pkce_pair("state-verifier");

    // Act
    let response = authorize(
        &auth,
        &[
            ("response_type", "code"),
            ("client_id", client.client_id()),
            ("redirect_uri", REDIRECT_URI),
            ("scope", "openid"),
            ("state", "xyz & more/=?"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;

    // Assert
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with(&format!("{REDIRECT_URI}?")),
        "{location}"
    );
    assert_eq!(
        location_param(&response, "state").as_deref(),
        Some("xyz & more/=?")
    );
    assert_eq!(location_param(&response, "iss"), Some(auth.issuer()));
    assert!(location_param(&response, "code").is_some_and(|c| !c.is_empty()));
    assert_eq!(location_param(&response, "error"), None);
}

#[tokio::test]
async fn nonce_from_the_authorization_request_lands_in_the_id_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let (code, verifier) = authorize_default(&auth, &[("nonce", "n-0S6_WzA2Mj")]).await;

    // Act
    let (status, body) = exchange(&auth, &code, &verifier).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let id_token = jwt_payload(body["id_token"].as_str().unwrap());
    assert_eq!(id_token["nonce"], "n-0S6_WzA2Mj");
}

#[tokio::test]
async fn id_token_without_a_requested_nonce_has_no_nonce_claim() {
    // Arrange
    let auth = MockAuth::start().await;
    let (code, verifier) = authorize_default(&auth, &[]).await;

    // Act
    let (status, body) = exchange(&auth, &code, &verifier).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let id_token = jwt_payload(body["id_token"].as_str().unwrap());
    assert!(id_token.get("nonce").is_none(), "{id_token}");
}

#[tokio::test]
async fn login_hint_logs_in_another_user() {
    // Arrange
    let auth = MockAuth::start().await;
    let alice = auth.user("alice").create();
    let (code, verifier) = authorize_default(&auth, &[("login_hint", "alice")]).await;

    // Act
    let (status, body) = exchange(&auth, &code, &verifier).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let id_token = jwt_payload(body["id_token"].as_str().unwrap());
    assert_eq!(id_token["sub"], alice.id());
    assert_eq!(id_token["preferred_username"], "alice");
    let access = jwt_payload(body["access_token"].as_str().unwrap());
    assert_eq!(access["sub"], alice.id());
    assert_ne!(access["sub"], auth.default_user().id());
}

#[tokio::test]
async fn unknown_login_hint_redirects_with_access_denied() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let (_, challenge) = pkce_pair("hint-verifier");

    // Act
    let response = authorize(
        &auth,
        &[
            ("response_type", "code"),
            ("client_id", client.client_id()),
            ("redirect_uri", REDIRECT_URI),
            ("state", "s-hint"),
            ("login_hint", "nobody"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;

    // Assert
    assert_eq!(response.status(), 302);
    assert_eq!(
        location_param(&response, "error").as_deref(),
        Some("access_denied")
    );
    assert!(location_param(&response, "error_description").is_some_and(|d| d.contains("nobody")));
    assert_eq!(
        location_param(&response, "state").as_deref(),
        Some("s-hint")
    );
    assert_eq!(location_param(&response, "code"), None);
}

#[tokio::test]
async fn id_token_carries_the_oidc_core_claims() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let before = unix_now(&auth);
    let (code, verifier) = authorize_default(&auth, &[("nonce", "nonce-claims")]).await;

    // Act
    let (status, body) = exchange(&auth, &code, &verifier).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let access_token = body["access_token"].as_str().unwrap();
    let claims = jwt_payload(body["id_token"].as_str().unwrap());
    assert_eq!(claims["iss"], auth.issuer());
    assert_eq!(claims["sub"], auth.default_user().id());
    assert!(
        audience_contains(&claims["aud"], client.client_id()),
        "{claims}"
    );
    assert_eq!(claims["azp"], client.client_id());
    assert_eq!(claims["nonce"], "nonce-claims");
    let (iat, exp) = (
        claims["iat"].as_u64().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );
    assert!(iat >= before && iat <= unix_now(&auth), "{claims}");
    assert_eq!(exp - iat, 3600);
    let auth_time = claims["auth_time"].as_u64().unwrap();
    assert!(auth_time >= before && auth_time <= iat, "{claims}");
    // OIDC Core §3.1.3.6: the left half of SHA-256 of the access token, base64url.
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, access_token.as_bytes());
    let expected_at_hash = B64.encode(&digest.as_ref()[..16]);
    assert_eq!(claims["at_hash"], expected_at_hash);
}

#[tokio::test]
async fn wrong_code_verifier_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let (code, _) = authorize_default(&auth, &[]).await;
    let (wrong_verifier, _) = pkce_pair("some-other-verifier");

    // Act
    let (status, body) = exchange(&auth, &code, &wrong_verifier).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("code_verifier"),
        "{body}"
    );
    assert!(body.get("access_token").is_none());
}

#[tokio::test]
async fn missing_code_verifier_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let (code, _) = authorize_default(&auth, &[]).await;

    // Act
    let (status, body) = token_request(
        &auth,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("code_verifier"),
        "{body}"
    );
}

#[tokio::test]
async fn reused_code_revokes_the_tokens_it_issued() {
    // Arrange
    let auth = MockAuth::start().await;
    let (code, verifier) = authorize_default(&auth, &[]).await;
    let (status, first) = exchange(&auth, &code, &verifier).await;
    assert_eq!(status, 200, "{first}");
    let access_token = first["access_token"].as_str().unwrap();
    let refresh_token = first["refresh_token"].as_str().unwrap();
    assert_eq!(introspect(&auth, access_token).await["active"], true);

    // Act
    let (status, second) = exchange(&auth, &code, &verifier).await;

    // Assert
    assert_eq!(status, 400, "{second}");
    assert_eq!(second["error"], "invalid_grant");
    assert!(
        second["error_description"]
            .as_str()
            .unwrap()
            .contains("already used"),
        "{second}"
    );
    assert_eq!(
        introspect(&auth, access_token).await,
        serde_json::json!({ "active": false })
    );
    let (status, refreshed) = token_request(
        &auth,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
    )
    .await;
    assert_eq!(status, 400, "{refreshed}");
    assert_eq!(refreshed["error"], "invalid_grant");
}

#[tokio::test]
async fn redirect_uri_that_differs_at_the_token_endpoint_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let (code, verifier) = authorize_default(&auth, &[]).await;

    // Act
    let (status, body) = token_request(
        &auth,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:8080/elsewhere"),
            ("code_verifier", &verifier),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("redirect_uri"),
        "{body}"
    );
}

#[tokio::test]
async fn redirect_uri_left_out_at_the_token_endpoint_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let (code, verifier) = authorize_default(&auth, &[]).await;

    // Act
    let (status, body) = token_request(
        &auth,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("code_verifier", &verifier),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("redirect_uri"),
        "{body}"
    );
}

#[tokio::test]
async fn unregistered_redirect_uri_is_shown_not_redirected() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let (_, challenge) = pkce_pair("evil-verifier");

    // Act
    let response = authorize(
        &auth,
        &[
            ("response_type", "code"),
            ("client_id", client.client_id()),
            ("redirect_uri", "https://evil.example/cb"),
            ("state", "s-evil"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;

    // Assert
    assert!(response.headers().get("location").is_none());
    let (status, body) = status_json(response).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("https://evil.example/cb"),
        "{body}"
    );
}

#[tokio::test]
async fn unknown_client_at_authorize_is_shown_not_redirected() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let response = authorize(
        &auth,
        &[
            ("response_type", "code"),
            ("client_id", "no-such-client"),
            ("redirect_uri", REDIRECT_URI),
        ],
    )
    .await;

    // Assert
    assert!(response.headers().get("location").is_none());
    let (status, body) = status_json(response).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_client");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("no-such-client"),
        "{body}"
    );
}

#[tokio::test]
async fn public_client_without_pkce_is_redirected_with_invalid_request() {
    // Arrange
    let auth = MockAuth::start().await;
    let spa = auth
        .client("spa")
        .public()
        .redirect_uri("http://127.0.0.1:3000/cb")
        .create();

    // Act
    let response = authorize(
        &auth,
        &[
            ("response_type", "code"),
            ("client_id", spa.client_id()),
            ("redirect_uri", "http://127.0.0.1:3000/cb"),
            ("scope", "openid"),
            ("state", "s-spa"),
        ],
    )
    .await;

    // Assert
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("http://127.0.0.1:3000/cb?"),
        "{location}"
    );
    assert_eq!(
        location_param(&response, "error").as_deref(),
        Some("invalid_request")
    );
    assert!(location_param(&response, "error_description").is_some_and(|d| d.contains("PKCE")));
    assert_eq!(location_param(&response, "state").as_deref(), Some("s-spa"));
    assert_eq!(location_param(&response, "code"), None);
}

#[tokio::test]
async fn public_client_with_pkce_redeems_its_code_without_a_secret() {
    // Arrange
    let auth = MockAuth::start().await;
    let spa = auth
        .client("spa")
        .public()
        .redirect_uri("http://127.0.0.1:3000/cb")
        .create();
    let (verifier, challenge) = pkce_pair("spa-verifier");
    let response = authorize(
        &auth,
        &[
            ("response_type", "code"),
            ("client_id", spa.client_id()),
            ("redirect_uri", "http://127.0.0.1:3000/cb"),
            ("scope", "openid profile"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    assert_eq!(response.status(), 302);
    let code = location_param(&response, "code").expect("a code");

    // Act
    let (status, body) = token_request_as(
        &auth,
        &spa,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:3000/cb"),
            ("code_verifier", &verifier),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "openid profile");
    assert_eq!(
        jwt_payload(body["id_token"].as_str().unwrap())["azp"],
        "spa"
    );
}

#[tokio::test]
async fn exact_redirect_uri_rejects_another_loopback_port() {
    // Arrange
    let auth = MockAuth::start().await;
    let web = auth
        .client("web")
        .redirect_uri("http://127.0.0.1/cb")
        .create();
    let (_, challenge) = pkce_pair("exact-verifier");
    let query = |redirect_uri| {
        [
            ("response_type", "code"),
            ("client_id", "web"),
            ("redirect_uri", redirect_uri),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ]
    };
    let registered = authorize(&auth, &query("http://127.0.0.1/cb")).await;
    assert_eq!(registered.status(), 302);
    assert!(location_param(&registered, "code").is_some());

    // Act
    let response = authorize(&auth, &query("http://127.0.0.1:51234/cb")).await;

    // Assert
    assert!(response.headers().get("location").is_none());
    let (status, body) = status_json(response).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    let description = body["error_description"].as_str().unwrap();
    assert!(description.contains("http://127.0.0.1:51234/cb"), "{body}");
    assert!(description.contains(web.client_id()), "{body}");
}

#[tokio::test]
async fn allow_any_loopback_port_accepts_another_port() {
    // Arrange
    let auth = MockAuth::start().await;
    let native = auth
        .client("native")
        .public()
        .redirect_uri("http://127.0.0.1/cb")
        .allow_any_loopback_port()
        .create();
    let (verifier, challenge) = pkce_pair("native-verifier");

    // Act
    let response = authorize(
        &auth,
        &[
            ("response_type", "code"),
            ("client_id", native.client_id()),
            ("redirect_uri", "http://127.0.0.1:51234/cb"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;

    // Assert
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("http://127.0.0.1:51234/cb?"),
        "{location}"
    );
    let code = location_param(&response, "code").expect("a code");
    let (status, body) = token_request_as(
        &auth,
        &native,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:51234/cb"),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string());
}

#[tokio::test]
async fn allow_any_loopback_port_still_requires_the_registered_path() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.client("native")
        .public()
        .redirect_uri("http://127.0.0.1/cb")
        .allow_any_loopback_port()
        .create();
    let (_, challenge) = pkce_pair("native-path-verifier");

    // Act
    let response = authorize(
        &auth,
        &[
            ("response_type", "code"),
            ("client_id", "native"),
            ("redirect_uri", "http://127.0.0.1:51234/other"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;

    // Assert
    assert!(response.headers().get("location").is_none());
    let (status, body) = status_json(response).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn unsupported_response_type_is_redirected_as_unsupported_response_type() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let response = authorize(
        &auth,
        &[
            ("response_type", "token"),
            ("client_id", client.client_id()),
            ("redirect_uri", REDIRECT_URI),
            ("state", "s-implicit"),
        ],
    )
    .await;

    // Assert
    assert_eq!(response.status(), 302);
    assert_eq!(
        location_param(&response, "error").as_deref(),
        Some("unsupported_response_type")
    );
    assert!(location_param(&response, "error_description").is_some_and(|d| d.contains("token")));
    assert_eq!(
        location_param(&response, "state").as_deref(),
        Some("s-implicit")
    );
    assert_eq!(location_param(&response, "iss"), Some(auth.issuer()));
    assert_eq!(location_param(&response, "code"), None);
}

#[tokio::test]
async fn unknown_scope_is_redirected_as_invalid_scope() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let (_, challenge) = pkce_pair("scope-verifier");

    // Act
    let response = authorize(
        &auth,
        &[
            ("response_type", "code"),
            ("client_id", client.client_id()),
            ("redirect_uri", REDIRECT_URI),
            ("scope", "openid admin:all"),
            ("state", "s-scope"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;

    // Assert
    assert_eq!(response.status(), 302);
    assert_eq!(
        location_param(&response, "error").as_deref(),
        Some("invalid_scope")
    );
    assert!(location_param(&response, "error_description").is_some_and(|d| d.contains("admin:all")));
    assert_eq!(
        location_param(&response, "state").as_deref(),
        Some("s-scope")
    );
    assert_eq!(location_param(&response, "code"), None);
}

#[tokio::test]
async fn expired_code_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let (code, verifier) = authorize_default(&auth, &[]).await;
    auth.advance(Duration::from_secs(61));

    // Act
    let (status, body) = exchange(&auth, &code, &verifier).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{body}"
    );
}

#[tokio::test]
async fn code_is_still_good_just_before_it_expires() {
    // Arrange
    let auth = MockAuth::start().await;
    let (code, verifier) = authorize_default(&auth, &[]).await;
    auth.advance(Duration::from_secs(50));

    // Act
    let (status, body) = exchange(&auth, &code, &verifier).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string());
}

#[tokio::test]
async fn code_issued_to_one_client_is_refused_to_another() {
    // Arrange
    let auth = MockAuth::start().await;
    let other = auth.client("other").create();
    let (code, verifier) = authorize_default(&auth, &[]).await;

    // Act
    let (status, body) = token_request_as(
        &auth,
        &other,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", &verifier),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("other"),
        "{body}"
    );
}

#[tokio::test]
async fn unknown_code_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let (verifier, _) = pkce_pair("unknown-code-verifier");

    // Act
    let (status, body) = exchange(&auth, "ac_made_up", &verifier).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "unknown authorization code");
}

#[tokio::test]
async fn authorize_accepts_a_post_form() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let (verifier, challenge) = pkce_pair("post-verifier");

    // Act
    let response = http()
        .post(auth.authorize_url())
        .form(&[
            ("response_type", "code"),
            ("client_id", client.client_id()),
            ("redirect_uri", REDIRECT_URI),
            ("scope", "openid email"),
            ("state", "s-post"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 302);
    assert_eq!(
        location_param(&response, "state").as_deref(),
        Some("s-post")
    );
    let code = location_param(&response, "code").expect("a code");
    let (status, body) = exchange(&auth, &code, &verifier).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "openid email");
    assert_eq!(
        jwt_payload(body["id_token"].as_str().unwrap())["email"],
        "testuser@example.test"
    );
}

#[tokio::test]
async fn a_redirect_uri_with_a_fragment_is_refused_without_redirecting() {
    // Arrange: the default client takes any loopback redirect URI, but never a fragment.
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let response = http()
        .get(auth.authorize_url())
        .query(&[
            ("response_type", "code"),
            ("client_id", client.client_id()),
            ("redirect_uri", "http://127.0.0.1:8080/callback#token"),
            ("state", "s1"),
        ])
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 400);
    assert!(response.headers().get("location").is_none());
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("fragment"),
        "{body}"
    );
}
