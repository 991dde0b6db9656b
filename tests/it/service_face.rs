//! The service face (docs/service.md) over HTTP: register, login, refresh and revoke with
//! `x-application-secret`; claims from a Rust closure and (cargo feature `claims-url`) from a
//! real claims endpoint on 127.0.0.1; tokens verified with jsonwebtoken and the tenant's
//! HS256 service key; every refusal with its status and `{error, message}` body; the admin
//! API, the config file, the journal and fault rules.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::common;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use mockauth::{Config, Endpoint, Face, Fault, MockAuth, MockAuthBuilder};
use serde_json::{json, Value};

/// A server with the service face at the tenant's root.
fn service() -> MockAuthBuilder {
    MockAuth::builder().face(Face::service())
}

/// `POST {service}{path}` with a JSON body and, when given, the application secret.
async fn call(auth: &MockAuth, path: &str, secret: Option<&str>, body: Value) -> reqwest::Response {
    let mut request = common::http().post(auth.service_url(path)).json(&body);
    if let Some(secret) = secret {
        request = request.header("x-application-secret", secret);
    }
    request.send().await.unwrap()
}

/// [`call`], for an answer with a JSON body.
async fn post(auth: &MockAuth, path: &str, secret: Option<&str>, body: Value) -> (u16, Value) {
    common::status_json(call(auth, path, secret, body).await).await
}

async fn login(auth: &MockAuth, secret: &str, identifier: &str, password: &str) -> (u16, Value) {
    let body = json!({ "identifier": identifier, "password": password });
    post(auth, "/auth/login", Some(secret), body).await
}

async fn refresh(auth: &MockAuth, secret: &str, refresh_token: &Value) -> (u16, Value) {
    let body = json!({ "refreshToken": refresh_token });
    post(auth, "/auth/refresh", Some(secret), body).await
}

/// The claims of a service access token, verified with the tenant's HS256 service key.
fn verified(auth: &MockAuth, token: &Value) -> Value {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[auth.issuer()]);
    let key = DecodingKey::from_secret(&auth.service_signing_key());
    decode::<Value>(token.as_str().unwrap(), &key, &validation)
        .unwrap_or_else(|e| panic!("the access token does not verify with the service key: {e}"))
        .claims
}

/// Asserts an `{error, message}` answer with this status and code, whose message contains
/// `hint`.
#[track_caller]
fn assert_refused(answer: &(u16, Value), status: u16, error: &str, hint: &str) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["error"], error, "{body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains(hint), "expected {hint:?} in {message:?}");
}

#[tokio::test]
async fn register_creates_an_account_that_is_a_user_of_the_tenant() {
    // Arrange
    let auth = service().start().await;
    let app = auth.application("billing").create();
    let body = json!({"identifier": "alice@example.test", "password": "P@ssw0rd123", "type": "device", "refId": "507f1f77"});

    // Act
    let (status, created) = post(&auth, "/auth/register", Some(app.secret()), body).await;

    // Assert
    assert_eq!(status, 201, "{created}");
    let account = auth.service_account("alice@example.test").unwrap();
    assert_eq!(created, json!({ "accountId": account.id() }));
    assert_eq!((account.kind(), account.ref_id()), ("device", "507f1f77"));
    // An account is a user: the OIDC face's password grant knows it too.
    let (status, tokens) = common::token_request(
        &auth,
        &[
            ("grant_type", "password"),
            ("username", "alice@example.test"),
            ("password", "P@ssw0rd123"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(
        common::jwt_payload(tokens["access_token"].as_str().unwrap())["sub"],
        account.id()
    );
}

#[tokio::test]
async fn register_answers_409_when_the_identifier_exists() {
    // Arrange
    let auth = service().start().await;
    let app = auth.application("billing").create();
    let body = json!({"identifier": "testuser", "password": "pw", "type": "user", "refId": "r1"});

    // Act
    let answer = post(&auth, "/auth/register", Some(app.secret()), body).await;

    // Assert
    assert_refused(
        &answer,
        409,
        "conflict",
        "identifier \"testuser\" is already registered",
    );
}

#[tokio::test]
async fn register_refuses_a_bad_body_with_400_naming_the_field_and_creates_nothing() {
    // Arrange
    let auth = service().start().await;
    let app = auth.application("billing").create();
    let cases = [
        (
            json!({"identifier": "bob", "password": "pw", "type": "user"}),
            "refId: missing field",
        ),
        (
            json!({"identifier": "bob", "password": 5, "type": "user", "refId": "r"}),
            "password: invalid type",
        ),
        (
            json!({"identifier": "bob", "password": "pw", "type": "user", "refID": "r"}),
            "refID: unknown field",
        ),
        (
            json!({"identifier": "", "password": "pw", "type": "user", "refId": "r"}),
            "identifier must not be empty",
        ),
        (json!(["bob", "pw"]), "the body must be a JSON object"),
    ];

    for (body, hint) in cases {
        // Act
        let answer = post(&auth, "/auth/register", Some(app.secret()), body).await;

        // Assert
        assert_refused(&answer, 400, "bad_request", hint);
    }
    assert_eq!(auth.service_account("bob"), None);
}

#[tokio::test]
async fn a_body_that_is_not_json_answers_415_and_malformed_json_400() {
    // Arrange
    let auth = service().start().await;
    let app = auth.application("billing").create();
    let send = |content_type: &'static str, body: &'static str| {
        common::http()
            .post(auth.service_url("/auth/login"))
            .header("x-application-secret", app.secret())
            .header("content-type", content_type)
            .body(body)
            .send()
    };

    // Act
    let form = common::status_json(
        send("application/x-www-form-urlencoded", "identifier=a")
            .await
            .unwrap(),
    )
    .await;
    let broken =
        common::status_json(send("application/json", "{\"identifier\": ").await.unwrap()).await;

    // Assert
    assert_refused(
        &form,
        415,
        "unsupported_media_type",
        "takes application/json",
    );
    assert_refused(&broken, 400, "bad_request", "malformed JSON");
}

#[tokio::test]
async fn every_endpoint_answers_401_without_a_known_application_secret() {
    // Arrange
    let auth = service().start().await;
    auth.application("billing")
        .secret("billing-secret")
        .create();
    let paths = [
        "/auth/register",
        "/auth/login",
        "/auth/refresh",
        "/auth/revoke",
    ];

    for path in paths {
        // Act
        let missing = post(&auth, path, None, json!({})).await;
        let unknown = post(&auth, path, Some("not-a-secret"), json!({})).await;

        // Assert
        assert_refused(
            &missing,
            401,
            "invalid_application_secret",
            "no x-application-secret header",
        );
        assert_refused(
            &unknown,
            401,
            "invalid_application_secret",
            "no application of this tenant has this x-application-secret",
        );
    }
}

#[tokio::test]
async fn login_answers_a_pair_whose_access_token_carries_the_closures_claims() {
    // Arrange
    let auth = service().start().await;
    let app = auth
        .application("billing")
        .claims_with(|account| {
            Ok(json!({ "role": "admin", "type": account.kind(), "refId": account.ref_id() }))
        })
        .create();
    let register =
        json!({"identifier": "alice", "password": "alice-pw", "type": "user", "refId": "ext-42"});
    let (_, created) = post(&auth, "/auth/register", Some(app.secret()), register).await;

    // Act
    let (status, tokens) = login(&auth, app.secret(), "alice", "alice-pw").await;

    // Assert
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["refreshToken"].as_str().unwrap().len() > 20);
    let claims = verified(&auth, &tokens["accessToken"]);
    assert_eq!(claims["sub"], created["accountId"]);
    assert_eq!(
        (&claims["role"], &claims["type"], &claims["refId"]),
        (&json!("admin"), &json!("user"), &json!("ext-42"))
    );
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        15 * 60
    );
}

#[tokio::test]
async fn a_fixture_user_logs_in_as_type_user_with_its_id_as_ref_id() {
    // Arrange
    let auth = service().start().await;
    let bob = auth.user("bob").password("bob-pw").create();
    let app = auth
        .application("billing")
        .claims_with(|account| Ok(json!({ "type": account.kind(), "refId": account.ref_id() })))
        .create();

    // Act
    let (status, tokens) = login(&auth, app.secret(), "bob", "bob-pw").await;

    // Assert
    assert_eq!(status, 200, "{tokens}");
    let claims = verified(&auth, &tokens["accessToken"]);
    assert_eq!(
        (&claims["sub"], &claims["type"], &claims["refId"]),
        (&json!(bob.id()), &json!("user"), &json!(bob.id()))
    );
}

#[tokio::test]
async fn login_refuses_a_wrong_password_and_an_unknown_identifier_with_401() {
    // Arrange
    let auth = service().start().await;
    let app = auth.application("billing").create();

    // Act
    let wrong_password = login(&auth, app.secret(), "testuser", "nope").await;
    let unknown = login(&auth, app.secret(), "nobody", "password123").await;
    let missing = post(
        &auth,
        "/auth/login",
        Some(app.secret()),
        json!({"identifier": "testuser"}),
    )
    .await;

    // Assert
    assert_refused(
        &wrong_password,
        401,
        "invalid_credentials",
        "invalid identifier or password",
    );
    assert_refused(
        &unknown,
        401,
        "invalid_credentials",
        "invalid identifier or password",
    );
    assert_refused(&missing, 400, "bad_request", "password: missing field");
}

#[tokio::test]
async fn refresh_rotates_the_pair_and_a_replayed_refresh_token_revokes_its_successor() {
    // Arrange
    let auth = service().start().await;
    let app = auth.application("billing").create();
    let (_, first) = login(&auth, app.secret(), "testuser", "password123").await;

    // Act
    let (status, second) = refresh(&auth, app.secret(), &first["refreshToken"]).await;
    let replay = refresh(&auth, app.secret(), &first["refreshToken"]).await;

    // Assert
    assert_eq!(status, 200, "{second}");
    assert_ne!(second["refreshToken"], first["refreshToken"]);
    assert_eq!(
        verified(&auth, &second["accessToken"])["sub"],
        auth.default_user().id()
    );
    assert_refused(&replay, 401, "invalid_refresh_token", "already exchanged");
    // A replay means the token was stolen: the newer one is revoked too, as on the other
    // faces.
    let successor = refresh(&auth, app.secret(), &second["refreshToken"]).await;
    assert_refused(&successor, 401, "invalid_refresh_token", "revoked");
}

#[tokio::test]
async fn refresh_refuses_unknown_tokens_and_those_of_another_application_with_401() {
    // Arrange
    let auth = service().start().await;
    let billing = auth.application("billing").create();
    let shipping = auth.application("shipping").create();
    let (_, tokens) = login(&auth, billing.secret(), "testuser", "password123").await;

    // Act
    let unknown = refresh(&auth, billing.secret(), &json!("srt_made-up")).await;
    let foreign = refresh(&auth, shipping.secret(), &tokens["refreshToken"]).await;
    let empty = refresh(&auth, billing.secret(), &json!("")).await;

    // Assert
    assert_refused(
        &unknown,
        401,
        "invalid_refresh_token",
        "unknown to this application",
    );
    assert_refused(
        &foreign,
        401,
        "invalid_refresh_token",
        "unknown to this application",
    );
    assert_refused(&empty, 400, "bad_request", "refreshToken must not be empty");
}

#[tokio::test]
async fn revoke_answers_204_and_the_refresh_token_stops_while_the_access_token_lives_on() {
    // Arrange
    let auth = service().start().await;
    let app = auth.application("billing").create();
    let (_, tokens) = login(&auth, app.secret(), "testuser", "password123").await;
    let body = json!({ "refreshToken": tokens["refreshToken"] });

    // Act
    let revoked = call(&auth, "/auth/revoke", Some(app.secret()), body.clone()).await;
    let again = call(&auth, "/auth/revoke", Some(app.secret()), body).await;
    let unknown = post(
        &auth,
        "/auth/revoke",
        Some(app.secret()),
        json!({"refreshToken": "srt_x"}),
    )
    .await;

    // Assert
    assert_eq!(revoked.status(), 204);
    assert_eq!(revoked.text().await.unwrap(), "");
    assert_eq!(
        again.status(),
        204,
        "revoking twice is a double logout, not an error"
    );
    assert_refused(
        &unknown,
        401,
        "invalid_refresh_token",
        "unknown to this application",
    );
    let after = refresh(&auth, app.secret(), &tokens["refreshToken"]).await;
    assert_refused(
        &after,
        401,
        "invalid_refresh_token",
        "revoked by /auth/revoke",
    );
    assert_eq!(
        verified(&auth, &tokens["accessToken"])["sub"],
        auth.default_user().id()
    );
}

#[tokio::test]
async fn the_refresh_token_expires_after_seven_days_of_server_clock() {
    // Arrange
    let auth = service().start().await;
    let app = auth.application("billing").create();
    let (_, tokens) = login(&auth, app.secret(), "testuser", "password123").await;

    // Act
    auth.advance(Duration::from_secs(7 * 24 * 3600));
    let expired = refresh(&auth, app.secret(), &tokens["refreshToken"]).await;

    // Assert
    assert_refused(&expired, 401, "invalid_refresh_token", "expired");
}

#[tokio::test]
async fn builder_knobs_set_the_service_token_lifetimes() {
    // Arrange
    let auth = service()
        .service_access_token_ttl(Duration::from_secs(60))
        .service_refresh_token_ttl(Duration::from_secs(120))
        .start()
        .await;
    let app = auth.application("billing").create();

    // Act
    let (_, tokens) = login(&auth, app.secret(), "testuser", "password123").await;
    auth.advance(Duration::from_secs(120));
    let expired = refresh(&auth, app.secret(), &tokens["refreshToken"]).await;

    // Assert
    let claims = common::jwt_payload(tokens["accessToken"].as_str().unwrap());
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        60
    );
    assert_refused(&expired, 401, "invalid_refresh_token", "expired");
}

#[tokio::test]
async fn a_test_may_set_the_service_signing_key() {
    // Arrange
    let auth = service().start().await;
    let app = auth.application("billing").create();
    auth.set_service_signing_key(b"the-apps-own-hs256-secret".to_vec());

    // Act
    let (_, tokens) = login(&auth, app.secret(), "testuser", "password123").await;

    // Assert
    assert_eq!(auth.service_signing_key(), b"the-apps-own-hs256-secret");
    let key = DecodingKey::from_secret(b"the-apps-own-hs256-secret");
    let token = tokens["accessToken"].as_str().unwrap();
    assert!(decode::<Value>(token, &key, &Validation::new(Algorithm::HS256)).is_ok());
}

#[tokio::test]
async fn a_failing_claims_closure_answers_502_and_issues_nothing() {
    // Arrange
    let auth = service().start().await;
    type Claims = fn(&mockauth::Account) -> Result<Value, String>;
    let failures: [(&str, Claims, &str); 3] = [
        (
            "err",
            |_| Err("claims store offline".into()),
            "returned an error: claims store offline",
        ),
        (
            "array",
            |_| Ok(json!(["admin"])),
            "answered an array, not a JSON object",
        ),
        (
            "panic",
            |_| panic!("bug in the test's closure"),
            "panicked: bug in the test's closure",
        ),
    ];

    for (name, claims, hint) in failures {
        let app = auth.application(name).claims_with(claims).create();

        // Act
        let answer = login(&auth, app.secret(), "testuser", "password123").await;

        // Assert
        assert_refused(&answer, 502, "claims_unavailable", hint);
        assert!(answer.1["message"]
            .as_str()
            .unwrap()
            .ends_with("no tokens were issued"));
    }
}

#[tokio::test]
async fn a_claim_that_would_overwrite_sub_iss_exp_or_iat_is_refused_with_502_naming_it() {
    // Arrange
    let auth = service().start().await;

    for reserved in ["sub", "iss", "exp", "iat"] {
        let app = auth
            .application(format!("sets-{reserved}"))
            .claims_with(move |_| Ok(json!({ reserved: "mine", "role": "admin" })))
            .create();

        // Act
        let answer = login(&auth, app.secret(), "testuser", "password123").await;

        // Assert
        assert_refused(
            &answer,
            502,
            "claims_unavailable",
            &format!("returned the claim \"{reserved}\""),
        );
    }
}

#[tokio::test]
async fn a_refresh_whose_claims_fail_leaves_the_refresh_token_live_and_fetches_fresh_claims() {
    // Arrange
    let auth = service().start().await;
    let (failing, calls) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
    );
    let (fail, count) = (failing.clone(), calls.clone());
    let app = auth
        .application("billing")
        .claims_with(move |_| match fail.load(Ordering::SeqCst) {
            true => Err("down".into()),
            false => Ok(json!({ "call": count.fetch_add(1, Ordering::SeqCst) + 1 })),
        })
        .create();
    let (_, tokens) = login(&auth, app.secret(), "testuser", "password123").await;

    // Act
    failing.store(true, Ordering::SeqCst);
    let failed = refresh(&auth, app.secret(), &tokens["refreshToken"]).await;
    failing.store(false, Ordering::SeqCst);
    let (status, fresh) = refresh(&auth, app.secret(), &tokens["refreshToken"]).await;

    // Assert
    assert_refused(
        &failed,
        502,
        "claims_unavailable",
        "returned an error: down",
    );
    assert_eq!(status, 200, "{fresh}");
    assert_eq!(verified(&auth, &tokens["accessToken"])["call"], 1);
    assert_eq!(verified(&auth, &fresh["accessToken"])["call"], 2);
}

#[tokio::test]
async fn wrong_methods_unknown_paths_and_large_bodies_answer_in_the_faces_shape() {
    // Arrange
    let auth = service().body_limit(64).start().await;
    let app = auth.application("billing").create();

    // Act
    let get = common::status_json(
        common::http()
            .get(auth.service_url("/auth/login"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let nowhere = post(&auth, "/auth/nowhere", Some(app.secret()), json!({})).await;
    let large = post(
        &auth,
        "/auth/login",
        Some(app.secret()),
        json!({ "identifier": "x".repeat(100) }),
    )
    .await;

    // Assert
    assert_refused(&get, 405, "method_not_allowed", "use POST");
    assert_refused(
        &nowhere,
        404,
        "not_found",
        "no service endpoint POST /auth/nowhere",
    );
    assert_refused(
        &large,
        413,
        "payload_too_large",
        "exceeds the limit of 64 bytes",
    );
}

#[tokio::test]
async fn a_tenant_behind_a_prefix_has_its_own_applications_accounts_and_key() {
    // Arrange
    let auth = MockAuth::builder()
        .face(Face::service().at("/svc"))
        .tenant("acme", |t| t)
        .start()
        .await;
    let acme = auth.tenant("acme");
    let app = acme.application("billing").create();
    let url = acme.service_url("/auth/login");
    let body = json!({"identifier": "testuser", "password": "password123"});

    // Act
    let send = |secret: &str| {
        common::http()
            .post(&url)
            .header("x-application-secret", secret)
            .json(&body)
            .send()
    };
    let (status, tokens) = common::status_json(send(app.secret()).await.unwrap()).await;
    let default_app = auth.application("elsewhere").create();
    let foreign = common::status_json(send(default_app.secret()).await.unwrap()).await;

    // Assert
    assert!(
        url.ends_with("/api/invoke/acme/auth/svc/auth/login"),
        "{url}"
    );
    assert_eq!(status, 200, "{tokens}");
    let key = DecodingKey::from_secret(&acme.service_signing_key());
    let token = tokens["accessToken"].as_str().unwrap();
    let claims = decode::<Value>(token, &key, &Validation::new(Algorithm::HS256))
        .unwrap()
        .claims;
    assert_eq!(claims["sub"], acme.default_user().id());
    assert_ne!(acme.service_signing_key(), auth.service_signing_key());
    assert_refused(
        &foreign,
        401,
        "invalid_application_secret",
        "no application of this tenant has this x-application-secret",
    );
}

#[tokio::test]
async fn the_journal_records_service_calls_with_application_and_account_and_redacts_secrets() {
    // Arrange
    let auth = service().start().await;
    let app = auth.application("billing").create();

    // Act
    let (_, tokens) = login(&auth, app.secret(), "testuser", "password123").await;
    login(&auth, app.secret(), "testuser", "wrong").await;
    refresh(&auth, app.secret(), &tokens["refreshToken"]).await;

    // Assert
    let logins = auth.requests_to(Endpoint::ServiceLogin);
    assert_eq!(
        logins.iter().map(|r| r.status).collect::<Vec<_>>(),
        [200, 401]
    );
    assert_eq!(logins[0].client_id.as_deref(), Some(app.id()));
    assert_eq!(logins[1].username.as_deref(), Some("testuser"));
    assert_eq!(logins[0].param("password"), Some("[redacted]"));
    let refreshes = auth.requests_to(Endpoint::ServiceRefresh);
    assert_eq!(refreshes[0].username.as_deref(), Some("testuser"));
    assert_eq!(refreshes[0].param("refreshToken"), Some("[redacted]"));
}

#[tokio::test]
async fn a_fault_rule_on_service_login_answers_instead_of_the_handler() {
    // Arrange
    let auth = service().start().await;
    let app = auth.application("billing").create();
    auth.fault(Endpoint::ServiceLogin)
        .next_calls(1)
        .inject(Fault::rate_limited())
        .mount();

    // Act
    let injected = login(&auth, app.secret(), "testuser", "password123").await;
    let real = login(&auth, app.secret(), "testuser", "password123").await;

    // Assert
    assert_eq!(injected.0, 429, "{}", injected.1);
    assert_eq!(real.0, 200, "{}", real.1);
    let recorded = auth.requests_to(Endpoint::ServiceLogin);
    assert_eq!(
        recorded.iter().map(|r| r.injected).collect::<Vec<_>>(),
        [true, false]
    );
}

/// `POST /api/auth-sandbox/applications` with the admin token.
async fn admin_application(auth: &MockAuth, token: &str, body: Value) -> (u16, Value) {
    let url = format!("{}/api/auth-sandbox/applications", auth.issuer());
    let response = common::http()
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    common::status_json(response).await
}

#[tokio::test]
async fn the_admin_api_creates_applications_that_log_in() {
    // Arrange
    let auth = service().start().await;
    let token = auth.admin_token().to_owned();

    // Act
    let (status, created) = admin_application(
        &auth,
        &token,
        json!({"name": "billing", "secret": "billing-secret"}),
    )
    .await;
    let (_, random) = admin_application(&auth, &token, json!({"name": "shipping"})).await;

    // Assert
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("app_"));
    assert_eq!(
        created,
        json!({"id": id, "name": "billing", "secret": "billing-secret", "claimsUrl": null, "configId": "default"})
    );
    assert!(random["secret"].as_str().unwrap().starts_with("appsec_"));
    assert_eq!(
        login(&auth, "billing-secret", "testuser", "password123")
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn the_admin_api_refuses_bad_application_calls_and_changes_nothing() {
    // Arrange
    let auth = service().start().await;
    let token = auth.admin_token().to_owned();
    auth.application("billing").secret("taken").create();

    // Act
    let no_name = admin_application(&auth, &token, json!({"secret": "s"})).await;
    let same_name = admin_application(&auth, &token, json!({"name": "billing"})).await;
    let same_secret =
        admin_application(&auth, &token, json!({"name": "other", "secret": "taken"})).await;
    let no_tenant =
        admin_application(&auth, &token, json!({"configId": "nope", "name": "x"})).await;
    let no_token = admin_application(&auth, "wrong", json!({"name": "x"})).await;

    // Assert
    assert_eq!(
        (no_name.0, no_name.1["error_description"].as_str().unwrap()),
        (400, "name: missing field")
    );
    assert_eq!(same_name.0, 409, "{}", same_name.1);
    assert!(same_secret.1["error_description"]
        .as_str()
        .unwrap()
        .contains("already has this secret"));
    assert_eq!(same_secret.0, 409);
    assert_eq!(no_tenant.0, 404, "{}", no_tenant.1);
    assert_eq!(no_token.0, 401, "{}", no_token.1);
    let other = login(&auth, "taken", "testuser", "password123").await;
    assert_eq!(
        other.0, 200,
        "the first application still owns its secret: {}",
        other.1
    );
}

#[tokio::test]
async fn a_config_file_declares_applications() {
    // Arrange
    let config = Config::from_json_str(
        r#"{"tenants": [{"projectId": "acme"}],
            "applications": [{"name": "billing", "secret": "billing-secret"},
                             {"configId": "acme", "name": "billing", "secret": "acme-billing"}]}"#,
    )
    .unwrap();

    // Act
    let auth = service().config(config).start().await;

    // Assert
    assert_eq!(
        login(&auth, "billing-secret", "testuser", "password123")
            .await
            .0,
        200
    );
    let acme = common::http()
        .post(auth.tenant("acme").service_url("/auth/login"))
        .header("x-application-secret", "acme-billing")
        .json(&json!({"identifier": "testuser", "password": "password123"}))
        .send()
        .await
        .unwrap();
    assert_eq!(acme.status(), 200);
}

#[test]
fn a_config_file_refuses_applications_declared_twice_or_in_unknown_tenants() {
    // Arrange
    let twice = r#"{"applications": [{"name": "a", "secret": "s"}, {"name": "b", "secret": "s"}]}"#;
    let unknown = r#"{"applications": [{"configId": "nope", "name": "a"}]}"#;

    // Act
    let twice = Config::from_json_str(twice).unwrap_err();
    let unknown = Config::from_json_str(unknown).unwrap_err();

    // Assert
    assert_eq!(twice.field(), Some("applications[1].secret"));
    assert!(twice.to_string().contains("give each its own"), "{twice}");
    assert_eq!(unknown.field(), Some("applications[0].configId"));
}

#[cfg(not(feature = "claims-url"))]
#[tokio::test]
async fn without_the_claims_url_feature_a_claims_url_is_refused_naming_the_feature() {
    // Arrange
    let auth = service().start().await;
    let token = auth.admin_token().to_owned();
    let body = json!({"name": "billing", "claimsUrl": "http://127.0.0.1:9/claims"});

    // Act
    let admin = admin_application(&auth, &token, body).await;
    let config = Config::from_json_str(
        r#"{"applications": [{"name": "a", "claimsUrl": "http://127.0.0.1:9/c"}]}"#,
    );
    let fixture = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        auth.application("billing")
            .claims_url("http://127.0.0.1:9/claims")
            .create()
    }));

    // Assert
    assert_eq!(admin.0, 400, "{}", admin.1);
    assert!(admin.1["error_description"]
        .as_str()
        .unwrap()
        .contains("\"claims-url\" cargo feature"));
    assert!(config
        .unwrap_err()
        .to_string()
        .contains("\"claims-url\" cargo feature"));
    assert!(fixture.is_err());
}

/// The claims callback against a real endpoint on 127.0.0.1 (cargo feature `claims-url`).
#[cfg(feature = "claims-url")]
mod claims_url {
    use std::sync::{Arc, Mutex};

    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{header, HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};

    use super::*;

    /// How the test's claims endpoint answers.
    #[derive(Clone, Copy)]
    enum Answer {
        /// `{role, call, refId}` with `call` counting calls, if the secret header is right.
        FreshClaims,
        Status(u16),
        NeverAnswers,
        NotJson,
        Claims(&'static str),
    }

    /// One call the endpoint received.
    #[derive(Clone, Debug)]
    struct Received {
        secret: Option<String>,
        body: Value,
    }

    #[derive(Clone)]
    struct Endpoint {
        answer: Answer,
        expected_secret: &'static str,
        received: Arc<Mutex<Vec<Received>>>,
    }

    /// Starts the endpoint on 127.0.0.1 on the test's runtime; returns its URL and its calls.
    async fn claims_endpoint(
        answer: Answer,
        expected_secret: &'static str,
    ) -> (String, Arc<Mutex<Vec<Received>>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/auth/claims", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let state = Endpoint {
            answer,
            expected_secret,
            received: received.clone(),
        };
        let app = axum::Router::new()
            .route("/auth/claims", axum::routing::post(respond))
            .with_state(state);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (url, received)
    }

    async fn respond(
        State(endpoint): State<Endpoint>,
        headers: HeaderMap,
        body: Bytes,
    ) -> Response {
        let secret = headers
            .get("x-application-secret")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let calls = {
            let mut received = endpoint.received.lock().unwrap();
            received.push(Received {
                secret: secret.clone(),
                body: body.clone(),
            });
            received.len()
        };
        let json = |value: Value| {
            (
                [(header::CONTENT_TYPE, "application/json")],
                value.to_string(),
            )
                .into_response()
        };
        match endpoint.answer {
            Answer::FreshClaims if secret.as_deref() != Some(endpoint.expected_secret) => {
                (StatusCode::UNAUTHORIZED, "wrong x-application-secret").into_response()
            }
            Answer::FreshClaims => {
                json(json!({ "role": "admin", "call": calls, "refId": body["refId"] }))
            }
            Answer::Status(code) => {
                (StatusCode::from_u16(code).unwrap(), "claims store is down").into_response()
            }
            Answer::NeverAnswers => std::future::pending().await,
            Answer::NotJson => {
                ([(header::CONTENT_TYPE, "text/html")], "<html>oops</html>").into_response()
            }
            Answer::Claims(text) => json(serde_json::from_str(text).unwrap()),
        }
    }

    #[tokio::test]
    async fn login_and_refresh_post_the_account_with_the_secret_and_embed_fresh_claims() {
        // Arrange
        let (url, received) = claims_endpoint(Answer::FreshClaims, "billing-secret").await;
        let auth = service().start().await;
        let app = auth
            .application("billing")
            .secret("billing-secret")
            .claims_url(&url)
            .create();
        let register = json!({"identifier": "alice", "password": "alice-pw", "type": "device", "refId": "ext-7"});
        let (_, created) = post(&auth, "/auth/register", Some(app.secret()), register).await;

        // Act
        let (status, first) = login(&auth, app.secret(), "alice", "alice-pw").await;
        let (_, second) = refresh(&auth, app.secret(), &first["refreshToken"]).await;

        // Assert
        assert_eq!(status, 200, "{first}");
        assert_eq!(app.claims_url(), Some(url.as_str()));
        let (login_claims, refresh_claims) = (
            verified(&auth, &first["accessToken"]),
            verified(&auth, &second["accessToken"]),
        );
        assert_eq!(
            (
                &login_claims["role"],
                &login_claims["call"],
                &login_claims["refId"]
            ),
            (&json!("admin"), &json!(1), &json!("ext-7"))
        );
        assert_eq!(refresh_claims["call"], 2, "refresh fetches fresh claims");
        assert_eq!(refresh_claims["sub"], created["accountId"]);
        let received = received.lock().unwrap().clone();
        assert_eq!(received.len(), 2);
        assert_eq!(received[0].secret.as_deref(), Some("billing-secret"));
        assert_eq!(
            received[1].body,
            json!({"accountId": created["accountId"], "type": "device", "refId": "ext-7"})
        );
    }

    #[tokio::test]
    async fn a_claims_endpoint_that_fails_answers_slowly_or_not_in_json_gives_502_and_no_tokens() {
        // Arrange
        let auth = service()
            .claims_timeout(Duration::from_millis(300))
            .start()
            .await;
        let cases = [
            (
                Answer::Status(500),
                "answered 500 Internal Server Error; it must answer 2xx",
            ),
            (Answer::NeverAnswers, "did not answer within 300ms"),
            (Answer::NotJson, "with a body that is not JSON"),
            (
                Answer::Claims(r#"{"iss": "http://evil.test", "role": "admin"}"#),
                "returned the claim \"iss\"",
            ),
            (Answer::Claims("42"), "answered a number, not a JSON object"),
        ];

        for (i, (answer, hint)) in cases.into_iter().enumerate() {
            let (url, received) = claims_endpoint(answer, "unused").await;
            let app = auth
                .application(format!("app-{i}"))
                .claims_url(&url)
                .create();

            // Act
            let refused = login(&auth, app.secret(), "testuser", "password123").await;

            // Assert
            assert_refused(&refused, 502, "claims_unavailable", hint);
            assert!(refused.1["message"].as_str().unwrap().contains(&url));
            assert_eq!(received.lock().unwrap().len(), 1);
        }
    }

    #[tokio::test]
    async fn a_slow_claims_endpoint_does_not_hold_up_the_servers_other_calls() {
        // Arrange
        let (url, received) = claims_endpoint(Answer::NeverAnswers, "unused").await;
        let auth = Arc::new(
            service()
                .claims_timeout(Duration::from_secs(60))
                .start()
                .await,
        );
        let app = auth.application("billing").claims_url(&url).create();
        let (waiting_auth, secret) = (auth.clone(), app.secret().to_owned());
        let waiting =
            tokio::spawn(
                async move { login(&waiting_auth, &secret, "testuser", "password123").await },
            );
        while received.lock().unwrap().is_empty() {
            tokio::task::yield_now().await;
        }

        // Act
        let body = json!({"identifier": "bob", "password": "pw", "type": "user", "refId": "r"});
        let (status, created) = post(&auth, "/auth/register", Some(app.secret()), body).await;

        // Assert
        assert_eq!(status, 201, "{created}");
        assert!(
            !waiting.is_finished(),
            "the login still waits for its claims"
        );
        waiting.abort();
    }

    #[tokio::test]
    async fn an_unreachable_claims_endpoint_gives_502() {
        // Arrange
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/claims", closed.local_addr().unwrap());
        drop(closed);
        let auth = service().start().await;
        let app = auth.application("billing").claims_url(&url).create();

        // Act
        let refused = login(&auth, app.secret(), "testuser", "password123").await;

        // Assert
        assert_refused(&refused, 502, "claims_unavailable", "could not be reached");
    }

    #[tokio::test]
    async fn an_https_or_relative_claims_url_is_refused_when_the_application_is_made() {
        // Arrange
        let auth = service().start().await;
        let token = auth.admin_token().to_owned();

        // Act
        let https = admin_application(
            &auth,
            &token,
            json!({"name": "a", "claimsUrl": "https://127.0.0.1/claims"}),
        )
        .await;
        let relative =
            admin_application(&auth, &token, json!({"name": "b", "claimsUrl": "/claims"})).await;
        let fixture = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            auth.application("c")
                .claims_url("https://127.0.0.1/claims")
                .create()
        }));

        // Assert
        assert_eq!(https.0, 400, "{}", https.1);
        assert!(https.1["error_description"]
            .as_str()
            .unwrap()
            .starts_with("claimsUrl must use http://"));
        assert_eq!(relative.0, 400, "{}", relative.1);
        assert!(fixture.is_err());
    }

    #[tokio::test]
    async fn applications_from_the_admin_api_and_a_config_file_call_their_claims_url() {
        // Arrange
        let (url, received) = claims_endpoint(Answer::FreshClaims, "from-config").await;
        let config = format!(
            r#"{{"applications": [{{"name": "cfg", "secret": "from-config", "claimsUrl": "{url}"}}]}}"#
        );
        let auth = service()
            .config(Config::from_json_str(&config).unwrap())
            .start()
            .await;
        let token = auth.admin_token().to_owned();
        let (url_b, received_b) = claims_endpoint(Answer::FreshClaims, "from-admin").await;

        // Act
        let created = admin_application(
            &auth,
            &token,
            json!({"name": "adm", "secret": "from-admin", "claimsUrl": url_b}),
        )
        .await;
        let from_config = login(&auth, "from-config", "testuser", "password123").await;
        let from_admin = login(&auth, "from-admin", "testuser", "password123").await;

        // Assert
        assert_eq!(created.1["claimsUrl"], url_b);
        assert_eq!(
            verified(&auth, &from_config.1["accessToken"])["role"],
            "admin"
        );
        assert_eq!(
            verified(&auth, &from_admin.1["accessToken"])["role"],
            "admin"
        );
        assert_eq!(
            (
                received.lock().unwrap().len(),
                received_b.lock().unwrap().len()
            ),
            (1, 1)
        );
    }
}

#[tokio::test]
async fn a_tenant_sets_its_own_service_token_lifetime() {
    // Arrange
    let auth = service()
        .tenant("acme", |t| {
            t.service_access_token_ttl(Duration::from_secs(90))
        })
        .start()
        .await;
    let acme = auth.tenant("acme");
    let app = acme.application("billing").create();

    // Act
    let response = common::http()
        .post(acme.service_url("/auth/login"))
        .header("x-application-secret", app.secret())
        .json(&json!({ "identifier": "testuser", "password": "password123" }))
        .send()
        .await
        .unwrap();
    let (status, tokens) = common::status_json(response).await;

    // Assert
    assert_eq!(status, 200, "{tokens}");
    let claims = common::jwt_payload(tokens["accessToken"].as_str().unwrap());
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        90
    );
}
