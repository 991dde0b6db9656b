//! The journal over HTTP: what is recorded of each request, the queries over it, redaction
//! of every secret, expectations and their counts beyond the ring buffer's capacity.

use std::time::{Duration, UNIX_EPOCH};

use crate::common::{
    self, authorize_default, http, password_login, status_json, token_request, REDIRECT_URI,
};
use jsonwebtoken::{EncodingKey, Header};
use mockauth::{Endpoint, GrantType, MockAuth, RecordedRequest, RequestFilter};
use serde_json::{json, Value};

/// A client_credentials request with Basic credentials: `(status, body)`.
async fn client_credentials(auth: &MockAuth, id: &str, secret: &str) -> (u16, Value) {
    let response = http()
        .post(auth.token_url())
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    status_json(response).await
}

/// Every recorded request's text fields, printed, to search for leaked secrets (the arrival
/// time is left out: its digits could match a numeric code by chance).
fn journal_text(auth: &MockAuth) -> String {
    auth.requests()
        .iter()
        .map(|r| {
            let fields = (&r.method, &r.path, &r.client_id, &r.grant_type, &r.username);
            format!("{fields:?} {:?}\n", r.params)
        })
        .collect()
}

fn only(mut requests: Vec<RecordedRequest>) -> RecordedRequest {
    assert_eq!(requests.len(), 1, "expected one request: {requests:#?}");
    requests.remove(0)
}

// ---- what a record holds ----------------------------------------------------------------

#[tokio::test]
async fn a_token_request_is_recorded_with_its_endpoint_client_grant_and_status() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let (status, body) =
        client_credentials(&auth, client.client_id(), client.client_secret().unwrap()).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    let recorded = only(auth.requests());
    assert_eq!(recorded.method, "POST");
    assert_eq!(recorded.path, "/token");
    assert_eq!(recorded.endpoint, Some(Endpoint::Token));
    assert_eq!(recorded.client_id.as_deref(), Some(client.client_id()));
    assert_eq!(recorded.grant(), Some(GrantType::ClientCredentials));
    assert_eq!(recorded.username, None);
    assert_eq!(recorded.status, 200);
    assert!(!recorded.injected, "a real answer is not injected");
    assert!(auth.now().duration_since(recorded.at).unwrap() < Duration::from_secs(60));
}

#[tokio::test]
async fn the_arrival_time_follows_the_servers_clock() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.advance(Duration::from_secs(86_400));

    // Act
    let response = http().get(auth.jwks_url()).send().await.unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 200);
    assert!(body["keys"].is_array(), "{body}");
    let at = only(auth.requests()).at;
    assert!(auth.now().duration_since(at).unwrap() < Duration::from_secs(60));
    assert!(at.duration_since(std::time::SystemTime::now()).unwrap() > Duration::from_secs(80_000));
}

#[tokio::test]
async fn an_unknown_path_is_recorded_without_an_endpoint() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let response = http()
        .get(format!("{}/nowhere", auth.issuer()))
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "not_found");
    let recorded = only(auth.requests());
    assert_eq!((recorded.endpoint, recorded.status), (None, 404));
    assert!(auth.requests_to(Endpoint::Discovery).is_empty());
    assert_eq!(auth.requests_matching(RequestFilter::any()).len(), 1);
}

#[tokio::test]
async fn an_authorization_code_exchange_records_the_user_the_code_was_issued_for() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.user("alice").password("alice-pw").create();
    let (code, verifier) = authorize_default(&auth, &[("login_hint", "alice")]).await;

    // Act
    let (status, body) = token_request(
        &auth,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("code_verifier", &verifier),
            ("redirect_uri", REDIRECT_URI),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert!(body["id_token"].is_string(), "{body}");
    let exchange = only(auth.requests_to(Endpoint::Token));
    assert_eq!(exchange.username.as_deref(), Some("alice"));
    assert_eq!(
        exchange.param("username"),
        None,
        "the params never named her"
    );
    assert_eq!(
        auth.requests_matching(RequestFilter::any().user("alice"))
            .len(),
        2,
        "the authorize request (login_hint) and the exchange"
    );
}

#[tokio::test]
async fn a_refresh_records_the_user_of_the_refresh_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = password_login(&auth, "openid offline_access").await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap();

    // Act
    let (status, body) = token_request(
        &auth,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string(), "{body}");
    let refresh = only(
        auth.requests_matching(RequestFilter::to(Endpoint::Token).grant(GrantType::RefreshToken)),
    );
    assert_eq!(refresh.username.as_deref(), Some("testuser"));
    assert_eq!(refresh.param("refresh_token"), Some("[redacted]"));
}

#[tokio::test]
async fn a_jwt_bearer_request_records_the_client_its_assertion_names() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let now = auth.now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let claims = json!({
        "iss": client.client_id(), "sub": "testuser", "aud": auth.token_url(),
        "iat": now, "exp": now + 300, "jti": "journal-1",
    });
    let assertion = jsonwebtoken::encode(
        &Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(client.client_secret().unwrap().as_bytes()),
    )
    .unwrap();

    // Act
    let response = http()
        .post(auth.token_url())
        .form(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", &assertion),
        ])
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string(), "{body}");
    let recorded = only(auth.requests());
    assert_eq!(recorded.client_id.as_deref(), Some(client.client_id()));
    assert_eq!(recorded.username.as_deref(), Some("testuser"));
    assert_eq!(recorded.grant(), Some(GrantType::JwtBearer));
    assert!(!journal_text(&auth).contains(&assertion));
}

#[tokio::test]
async fn an_mfa_verification_records_the_user_who_answered_the_challenge() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.user("mfauser")
        .password("securepass")
        .mfa_totp()
        .create();
    let (status, challenge) = token_request(
        &auth,
        &[
            ("grant_type", "password"),
            ("username", "mfauser"),
            ("password", "securepass"),
        ],
    )
    .await;
    assert_eq!(status, 403, "{challenge}");
    let code = challenge["_sandbox_mfa_code"].as_str().unwrap();

    // Act
    let response = http()
        .post(auth.mfa_verify_url())
        .form(&[
            ("mfa_token", challenge["mfa_token"].as_str().unwrap()),
            ("otp", code),
            ("client_id", auth.default_client().client_id()),
        ])
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string(), "{body}");
    let verification = only(auth.requests_to(Endpoint::MfaVerify));
    assert_eq!(verification.username.as_deref(), Some("mfauser"));
    assert_eq!(verification.param("otp"), Some("[redacted]"));
    assert!(!journal_text(&auth).contains(code), "the MFA code leaked");
}

// ---- queries ----------------------------------------------------------------------------

#[tokio::test]
async fn queries_pick_requests_by_endpoint_client_grant_user_and_status() {
    // Arrange
    let auth = MockAuth::start().await;
    let web = auth.client("web").create();
    let web_secret = web.client_secret().unwrap();

    // Act
    let (ok, _) = client_credentials(&auth, "web", web_secret).await;
    let (refused, refusal) = client_credentials(&auth, "web", "wrong-secret").await;
    password_login(&auth, "openid").await;
    let jwks = http().get(auth.jwks_url()).send().await.unwrap().status();

    // Assert
    assert_eq!((ok, refused, jwks.as_u16()), (200, 401, 200));
    assert_eq!(refusal["error"], "invalid_client");
    assert_eq!(auth.requests().len(), 4);
    assert_eq!(auth.requests_to(Endpoint::Token).len(), 3);
    assert_eq!(auth.requests_to(Endpoint::Jwks).len(), 1);
    assert_eq!(
        auth.requests_matching(RequestFilter::any().client("web"))
            .len(),
        2
    );
    let web_ok = RequestFilter::to(Endpoint::Token)
        .client("web")
        .grant(GrantType::ClientCredentials)
        .status(200);
    assert_eq!(auth.requests_matching(web_ok).len(), 1);
    let logins = auth.requests_matching(
        RequestFilter::to(Endpoint::Token)
            .grant(GrantType::Password)
            .user("testuser"),
    );
    assert_eq!(
        only(logins).client_id.as_deref(),
        Some(auth.default_client().client_id())
    );
    assert!(auth
        .requests_matching(RequestFilter::any().grant(GrantType::RefreshToken))
        .is_empty());
}

// ---- redaction --------------------------------------------------------------------------

#[tokio::test]
async fn every_secret_form_parameter_is_redacted_and_the_others_are_kept() {
    // Arrange
    let auth = MockAuth::start().await;
    let secrets = [
        ("code", "secret-code-1"),
        ("code_verifier", "secret-verifier-1"),
        ("password", "secret-password-1"),
        ("assertion", "secret-assertion-1"),
        ("client_assertion", "secret-client-assertion-1"),
        ("refresh_token", "secret-refresh-1"),
        ("token", "secret-token-1"),
        ("access_token", "secret-access-1"),
        ("id_token_hint", "secret-hint-1"),
        ("mfa_token", "secret-mfa-1"),
        ("otp", "secret-otp-1"),
    ];
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("redirect_uri", REDIRECT_URI),
    ];
    form.extend_from_slice(&secrets);

    // Act
    let (status, body) = token_request(&auth, &form).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    let recorded = only(auth.requests());
    for (name, _) in secrets.iter().chain([("client_secret", "")].iter()) {
        assert_eq!(recorded.param(name), Some("[redacted]"), "{name}");
    }
    assert_eq!(recorded.param("grant_type"), Some("authorization_code"));
    assert_eq!(recorded.param("redirect_uri"), Some(REDIRECT_URI));
    assert_eq!(
        recorded.param("client_id"),
        Some(auth.default_client().client_id())
    );
    let text = journal_text(&auth);
    for (_, value) in secrets {
        assert!(!text.contains(value), "{value} leaked into {text}");
    }
    assert!(!text.contains(auth.default_client().client_secret().unwrap()));
}

#[tokio::test]
async fn a_secret_whose_name_a_mangled_body_bent_is_still_redacted() {
    // Arrange: form bodies as a byte-order-mark-writing tool, a non-UTF-8 byte and stray
    // brackets leave them (found by tests/it/fuzz.rs).
    let auth = MockAuth::start().await;
    let bodies: [(&str, &[u8], &str); 3] = [
        (
            "/logout",
            b"\xef\xbb\xbfid_token_hint=secret-bom-hint&state=s",
            "secret-bom-hint",
        ),
        (
            "/token",
            b"grant_type=refresh_token&refresh_tok\xffen=secret-bent-refresh",
            "secret-bent-refresh",
        ),
        (
            "/mfa/verify",
            b"mfa_token=m&[[[[otp=secret-bracket-otp",
            "secret-bracket-otp",
        ),
    ];

    // Act
    for (path, body, _) in bodies {
        let response = http()
            .post(format!("{}{path}", auth.issuer()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert!(response.status().is_client_error() || response.status() == 200);
    }

    // Assert
    let recorded = auth.requests();
    assert_eq!(recorded.len(), 3);
    assert_eq!(
        recorded[0].param("\u{feff}id_token_hint"),
        Some("[redacted]")
    );
    assert_eq!(recorded[0].param("state"), Some("s"));
    assert_eq!(
        recorded[1].param("refresh_tok\u{fffd}en"),
        Some("[redacted]")
    );
    assert_eq!(recorded[2].param("[[[[otp"), Some("[redacted]"));
    let text = journal_text(&auth);
    for (_, _, secret) in bodies {
        assert!(!text.contains(secret), "{secret} leaked into {text}");
    }
}

#[tokio::test]
async fn a_json_body_declared_as_a_form_leaves_none_of_its_fragments_in_the_journal() {
    // Arrange: JSON sent as a form, a string member holding `&x=`: read as a form, its
    // parameters are fragments of the JSON, and the one after `&` would carry the secret
    // member that follows it in its value.
    let auth = MockAuth::start().await;
    let bodies = [
        r#"{"grant_type":"a&b=c","client_secret":"secret-in-fragment-1"}"#,
        r#" [{"username":"u&x=1","password":"secret-in-fragment-2"}]"#,
        // A byte-order mark before the JSON (found by benches/fuzz.rs).
        "\u{feff}{\"scope\":\"a&x=1\",\"password\":\"secret-in-fragment-3\"}",
    ];

    // Act
    for body in bodies {
        let response = http()
            .post(auth.token_url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{body}");
    }

    // Assert
    let recorded = auth.requests();
    assert_eq!(recorded.len(), 3);
    assert!(
        recorded.iter().all(|r| r.params.is_empty()),
        "{recorded:#?}"
    );
    let text = journal_text(&auth);
    assert!(!text.contains("secret-in-fragment"), "{text}");
}

#[tokio::test]
async fn secrets_in_json_bodies_and_queries_are_redacted() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let introspected = http()
        .post(auth.introspection_url())
        .json(&json!({"token": "secret-json-token"}))
        .send()
        .await
        .unwrap();
    let verified = http()
        .post(auth.mfa_verify_url())
        .json(&json!({"mfa_token": "secret-json-mfa", "code": "123456",
                      "client_id": auth.default_client().client_id()}))
        .send()
        .await
        .unwrap();
    let logged_out = http()
        .get(auth.logout_url())
        .query(&[("id_token_hint", "secret-query-hint")])
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(introspected).await;
    assert_eq!((status, &body), (200, &json!({"active": false})));
    let (status, body) = status_json(verified).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, body) = status_json(logged_out).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let recorded = auth.requests();
    assert_eq!(recorded[0].param("token"), Some("[redacted]"));
    assert_eq!(recorded[1].param("mfa_token"), Some("[redacted]"));
    assert_eq!(recorded[1].param("code"), Some("[redacted]"));
    assert_eq!(recorded[2].param("id_token_hint"), Some("[redacted]"));
    let text = journal_text(&auth);
    for leaked in [
        "secret-json-token",
        "secret-json-mfa",
        "123456",
        "secret-query-hint",
    ] {
        assert!(!text.contains(leaked), "{leaked} leaked into {text}");
    }
}

#[tokio::test]
async fn authorization_headers_and_api_keys_are_never_recorded() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let secret = client.client_secret().unwrap();

    // Act
    let (token_status, tokens) = client_credentials(&auth, client.client_id(), secret).await;
    let access_token = tokens["access_token"].as_str().unwrap();
    let validated = http()
        .get(format!("{}/validate", auth.issuer()))
        .header("x-api-key", secret)
        .send()
        .await
        .unwrap();
    let introspected = http()
        .post(auth.introspection_url())
        .bearer_auth(access_token)
        .json(&json!({"token": access_token}))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(token_status, 200, "{tokens}");
    let (status, body) = status_json(validated).await;
    assert_eq!((status, &body["valid"]), (200, &json!(true)));
    let (status, body) = status_json(introspected).await;
    assert_eq!((status, &body["active"]), (200, &json!(true)));
    let text = journal_text(&auth);
    assert!(
        !text.contains(secret),
        "the client secret leaked into {text}"
    );
    assert!(
        !text.contains(access_token),
        "the access token leaked into {text}"
    );
    assert_eq!(
        auth.requests()[0].client_id.as_deref(),
        Some(client.client_id())
    );
}

// ---- expectations -----------------------------------------------------------------------

#[tokio::test]
async fn met_expectations_pass_verification() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let (id, secret) = (client.client_id(), client.client_secret().unwrap());
    auth.expect(Endpoint::Token)
        .client(id)
        .grant(GrantType::ClientCredentials)
        .status(200)
        .times(2);
    auth.expect(Endpoint::Token)
        .status(401)
        .named("one refusal")
        .times(..=1);
    auth.expect(Endpoint::Jwks).times(0);
    auth.expect(RequestFilter::any()).times(3..);

    // Act
    let first = client_credentials(&auth, id, secret).await;
    let second = client_credentials(&auth, id, secret).await;
    let refused = client_credentials(&auth, id, "wrong").await;

    // Assert
    assert_eq!((first.0, second.0, refused.0), (200, 200, 401));
    assert_eq!(refused.1["error"], "invalid_client");
    auth.verify_requests();
}

#[tokio::test]
async fn an_expectation_counts_only_requests_after_it_is_declared() {
    // Arrange
    let auth = MockAuth::start().await;
    let early = http().get(auth.discovery_url()).send().await.unwrap();
    auth.expect(Endpoint::Discovery).times(1);

    // Act
    let late = http().get(auth.discovery_url()).send().await.unwrap();

    // Assert
    let (status, body) = status_json(early).await;
    assert_eq!(
        (status, body["issuer"].as_str()),
        (200, Some(auth.issuer().as_str()))
    );
    assert_eq!(late.status(), 200);
    auth.verify_requests();
}

#[tokio::test]
#[should_panic(expected = "expected at least 1, found 0")]
async fn an_unmet_expectation_fails_verification() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.expect(Endpoint::Userinfo).times(1..);

    // Act
    let status = http().get(auth.jwks_url()).send().await.unwrap().status();

    // Assert
    assert_eq!(status, 200);
    auth.verify_requests();
}

#[test]
fn counts_stay_exact_after_the_journal_drops_old_requests() {
    // Arrange
    let auth = MockAuth::builder().journal_capacity(3).start_blocking();
    auth.expect(Endpoint::Jwks).times(5);
    let http = common::blocking_http();

    // Act
    let statuses: Vec<u16> = (0..5)
        .map(|_| http.get(auth.jwks_url()).send().unwrap().status().as_u16())
        .collect();

    // Assert
    assert_eq!(statuses, [200; 5]);
    assert_eq!(auth.requests().len(), 3, "the journal keeps the last 3");
    assert_eq!(auth.requests_to(Endpoint::Jwks).len(), 3);
    auth.verify_requests();
}

#[test]
fn a_journal_of_capacity_zero_keeps_nothing_and_still_counts() {
    // Arrange
    let auth = MockAuth::builder().journal_capacity(0).start_blocking();
    auth.expect(Endpoint::Discovery).times(1);

    // Act
    let response = common::blocking_http()
        .get(auth.discovery_url())
        .send()
        .unwrap();

    // Assert
    assert_eq!(response.status(), 200);
    assert!(auth.requests().is_empty());
    auth.verify_requests();
}

#[test]
fn clearing_expectations_lets_a_later_phase_declare_its_own() {
    // Arrange
    let auth = MockAuth::start_blocking();
    let http = common::blocking_http();
    auth.expect(Endpoint::Jwks).named("startup fetch").times(1);
    assert_eq!(http.get(auth.jwks_url()).send().unwrap().status(), 200);
    auth.verify_requests();

    // Act
    auth.clear_expectations();
    auth.expect(Endpoint::Jwks)
        .named("cached after startup")
        .times(0);
    let status = http.get(auth.discovery_url()).send().unwrap().status();

    // Assert
    assert_eq!(status, 200);
    auth.verify_requests();
    assert_eq!(
        auth.requests().len(),
        2,
        "clearing keeps the recorded requests"
    );
}
