//! The apps face (docs/apps.md) over HTTP: every route of an app (signup, login, refresh,
//! logout, me, JWKS) with its error paths, apps as tenants made on first use (and not when
//! the face says so), tokens verified with jsonwebtoken against the app's JWKS, the journal
//! (endpoints, redaction) and fault rules.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};
use mockauth::{Endpoint, Face, Fault, MockAuth};
use serde_json::{json, Value};

use crate::common;
use crate::common::apps::{post, server, signup, url, with_bearer, STRONG};

#[tokio::test]
async fn signup_answers_a_session_and_makes_the_app_a_tenant_with_the_user() {
    // Arrange
    let auth = server().await;

    // Act
    let answer = post(
        &auth,
        "shop",
        "/signup",
        json!({ "email": "  Jane.Doe@Example.COM ", "password": STRONG, "display_name": "Jane Doe" }),
    )
    .await;

    // Assert
    assert_eq!(answer.status, 201, "{}", answer.body);
    let session = &answer.body;
    assert_eq!(session["token_type"], "Bearer");
    assert_eq!(session["expires_in"], 3600);
    assert!(session["refresh_token"]
        .as_str()
        .unwrap()
        .starts_with("art_"));
    let user = &session["user"];
    assert_eq!(user["email"], "jane.doe@example.com");
    assert_eq!(user["email_verified"], true);
    assert_eq!(user["display_name"], "Jane Doe");
    assert_eq!(user["avatar_url"], Value::Null);
    assert_eq!(user["providers"], json!(["email"]));
    let id = user["id"].as_str().unwrap();
    let shape: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(shape, [8, 4, 4, 4, 12], "{id}");
    assert_eq!(&id[14..15], "4", "a version 4 UUID: {id}");
    for field in ["created_at", "last_sign_in_at"] {
        let time = user[field].as_str().unwrap();
        assert!(time.ends_with('Z') && time.len() == 24, "{field}: {time}");
    }
    assert!(auth.tenant_ids().contains(&"shop".to_owned()));
    assert_eq!(
        auth.tenant("shop").issuer(),
        format!("http://{}/auth/shop", auth.address())
    );
}

#[tokio::test]
async fn the_access_token_verifies_with_the_apps_jwks_and_carries_the_claims() {
    // Arrange
    let auth = server().await;
    let session = signup(&auth, "shop", "jane@example.com").await;
    let token = session["access_token"].as_str().unwrap();

    // Act
    let jwks = common::http()
        .get(url(&auth, "shop", "/.well-known/jwks.json"))
        .send()
        .await
        .unwrap();
    let cache = jwks.headers()["cache-control"].clone();
    let jwks: JwkSet = jwks.json().await.unwrap();

    // Assert
    assert_eq!(cache, "public, max-age=300");
    let header = decode_header(token).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    let jwk = jwks
        .find(header.kid.as_deref().unwrap())
        .expect("kid in the JWKS");
    let mut validation = Validation::new(jsonwebtoken::Algorithm::RS256);
    let issuer = format!("http://{}/auth/shop", auth.address());
    validation.set_issuer(&[&issuer]);
    validation.set_audience(&["shop"]);
    let claims = decode::<Value>(token, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
        .unwrap()
        .claims;
    assert_eq!(claims["sub"], session["user"]["id"]);
    assert_eq!(claims["email"], "jane@example.com");
    assert_eq!(claims["email_verified"], true);
    assert_eq!(claims["app_id"], "shop");
    assert_eq!(claims["auth_method"], "password");
    assert_eq!(claims["provider"], "email");
    assert!(claims["sid"].is_string() && claims["jti"].is_string());
    let (iat, exp) = (
        claims["iat"].as_u64().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );
    assert_eq!(exp - iat, 3600);
    // Another app signs with another key.
    signup(&auth, "blog", "jane@example.com").await;
    let blog: JwkSet = common::http()
        .get(url(&auth, "blog", "/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(blog.find(header.kid.as_deref().unwrap()).is_none());
}

#[tokio::test]
async fn a_weak_password_lists_exactly_the_rules_it_fails() {
    // Arrange
    let auth = server().await;

    // Act
    let short = post(
        &auth,
        "shop",
        "/signup",
        json!({ "email": "a@example.com", "password": "abc" }),
    )
    .await;
    let no_upper = post(
        &auth,
        "shop",
        "/signup",
        json!({ "email": "a@example.com", "password": "abcdefg1!" }),
    )
    .await;

    // Assert
    assert_eq!(short.status, 400);
    assert_eq!(short.body["code"], "WEAK_PASSWORD");
    assert!(short.body["error"].is_string());
    assert_eq!(
        short.body["details"]["failed"],
        json!(["min_length", "uppercase", "number", "special"])
    );
    assert_eq!(no_upper.body["details"]["failed"], json!(["uppercase"]));
}

#[tokio::test]
async fn bad_fields_and_bodies_are_validation_errors_naming_the_fields() {
    // Arrange
    let auth = server().await;

    // Act
    let missing = post(&auth, "shop", "/signup", json!({ "display_name": 3 })).await;
    let bad_email = post(
        &auth,
        "shop",
        "/signup",
        json!({ "email": "jane", "password": STRONG }),
    )
    .await;
    let not_json = common::identity::read(
        common::http()
            .post(url(&auth, "shop", "/signup"))
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    let form = common::identity::read(
        common::http()
            .post(url(&auth, "shop", "/login"))
            .form(&[("email", "a@example.com"), ("password", STRONG)])
            .send()
            .await
            .unwrap(),
    )
    .await;

    // Assert
    assert_eq!(missing.status, 400);
    assert_eq!(missing.body["code"], "VALIDATION_ERROR");
    let details = missing.body["details"].as_object().unwrap();
    let fields: Vec<&str> = details.keys().map(String::as_str).collect();
    assert_eq!(fields, ["display_name", "email", "password"]);
    assert_eq!(bad_email.body["code"], "VALIDATION_ERROR");
    assert!(bad_email.body["details"]["email"].is_array());
    for answer in [&not_json, &form] {
        assert_eq!(answer.status, 400, "{}", answer.body);
        assert_eq!(answer.body["code"], "VALIDATION_ERROR");
        assert!(answer.body["details"]["body"].is_array());
    }
}

#[tokio::test]
async fn a_taken_email_is_email_exists_regardless_of_case_but_other_apps_are_separate() {
    // Arrange
    let auth = server().await;
    signup(&auth, "shop", "jane@example.com").await;

    // Act
    let again = post(
        &auth,
        "shop",
        "/signup",
        json!({ "email": "JANE@example.com", "password": STRONG }),
    )
    .await;
    let other_app = post(
        &auth,
        "blog",
        "/signup",
        json!({ "email": "jane@example.com", "password": STRONG }),
    )
    .await;

    // Assert
    assert_eq!(again.status, 409);
    assert_eq!(again.body["code"], "EMAIL_EXISTS");
    assert_eq!(other_app.status, 201, "{}", other_app.body);
}

#[tokio::test]
async fn login_answers_a_session_and_every_failure_the_same_401() {
    // Arrange
    let auth = server().await;
    let first = signup(&auth, "shop", "jane@example.com").await;
    auth.advance(std::time::Duration::from_secs(90));

    // Act
    let ok = post(
        &auth,
        "shop",
        "/login",
        json!({ "email": " JANE@example.com", "password": STRONG }),
    )
    .await;
    let wrong = post(
        &auth,
        "shop",
        "/login",
        json!({ "email": "jane@example.com", "password": "Wr0ng!pass" }),
    )
    .await;
    let unknown = post(
        &auth,
        "shop",
        "/login",
        json!({ "email": "nobody@example.com", "password": STRONG }),
    )
    .await;
    let other_app = post(
        &auth,
        "blog",
        "/login",
        json!({ "email": "jane@example.com", "password": STRONG }),
    )
    .await;

    // Assert
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body["user"]["id"], first["user"]["id"]);
    assert_ne!(
        ok.body["user"]["last_sign_in_at"],
        first["user"]["last_sign_in_at"]
    );
    assert_eq!(ok.body["user"]["created_at"], first["user"]["created_at"]);
    for failed in [&wrong, &unknown, &other_app] {
        assert_eq!(failed.status, 401);
        assert_eq!(
            failed.body,
            json!({ "error": "Invalid email or password", "code": "INVALID_CREDENTIALS" })
        );
    }
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_family() {
    // Arrange
    let auth = server().await;
    let session = signup(&auth, "shop", "jane@example.com").await;
    let first = session["refresh_token"].as_str().unwrap();

    // Act
    let rotated = post(&auth, "shop", "/refresh", json!({ "refresh_token": first })).await;
    let second = rotated.body["refresh_token"].as_str().unwrap().to_owned();
    let reused = post(&auth, "shop", "/refresh", json!({ "refresh_token": first })).await;
    let after_reuse = post(
        &auth,
        "shop",
        "/refresh",
        json!({ "refresh_token": second }),
    )
    .await;
    let access = with_bearer(
        &auth,
        "shop",
        "GET",
        "/me",
        session["access_token"].as_str().unwrap(),
    )
    .await;
    let garbage = post(
        &auth,
        "shop",
        "/refresh",
        json!({ "refresh_token": "art_nope" }),
    )
    .await;

    // Assert
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    assert_ne!(second, first);
    assert_eq!(rotated.body["user"]["email"], "jane@example.com");
    for refused in [&reused, &after_reuse, &garbage] {
        assert_eq!(refused.status, 401, "{}", refused.body);
        assert_eq!(refused.body["code"], "INVALID_REFRESH_TOKEN");
    }
    assert_eq!(
        access.status, 401,
        "the session's access tokens end too: {}",
        access.body
    );
}

#[tokio::test]
async fn me_answers_the_user_and_logout_ends_the_session() {
    // Arrange
    let auth = server().await;
    let session = signup(&auth, "shop", "jane@example.com").await;
    let token = session["access_token"].as_str().unwrap();

    // Act
    let me = with_bearer(&auth, "shop", "GET", "/me", token).await;
    let logout = with_bearer(&auth, "shop", "POST", "/logout", token).await;
    let me_after = with_bearer(&auth, "shop", "GET", "/me", token).await;
    let refresh_after = post(
        &auth,
        "shop",
        "/refresh",
        json!({ "refresh_token": session["refresh_token"] }),
    )
    .await;
    let no_bearer = common::identity::read(
        common::http()
            .get(url(&auth, "shop", "/me"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let other_app = with_bearer(&auth, "blog", "GET", "/me", token).await;

    // Assert
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body, session["user"]);
    assert_eq!(logout.status, 200);
    assert!(logout.body["message"].is_string());
    for refused in [&me_after, &no_bearer, &other_app] {
        assert_eq!(refused.status, 401, "{}", refused.body);
        assert_eq!(refused.body["code"], "UNAUTHORIZED");
        assert_eq!(refused.headers["www-authenticate"], "Bearer");
    }
    assert_eq!(refresh_after.body["code"], "INVALID_REFRESH_TOKEN");
}

#[tokio::test]
async fn without_auto_creation_an_unknown_app_is_app_not_found() {
    // Arrange
    let auth = MockAuth::builder()
        .face(Face::apps().auto_create(false))
        .start()
        .await;

    // Act
    let answer = post(
        &auth,
        "shop",
        "/signup",
        json!({ "email": "a@example.com", "password": STRONG }),
    )
    .await;
    let default = post(
        &auth,
        "default",
        "/login",
        json!({ "email": "a@example.com", "password": STRONG }),
    )
    .await;

    // Assert
    assert_eq!(answer.status, 404);
    assert_eq!(answer.body["code"], "APP_NOT_FOUND");
    assert_eq!(
        default.body["code"], "APP_NOT_FOUND",
        "the default tenant is no app"
    );
    assert!(!auth.tenant_ids().contains(&"shop".to_owned()));
}

#[tokio::test]
async fn unknown_paths_methods_and_app_ids_answer_in_the_faces_shape_without_making_apps() {
    // Arrange
    let auth = MockAuth::builder()
        .face(Face::apps().at("/v0"))
        .start()
        .await;
    let base = format!("http://{}/v0/auth", auth.address());

    // Act
    let unknown = common::identity::read(
        common::http()
            .get(format!("{base}/shop/nope"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let method = common::identity::read(
        common::http()
            .get(format!("{base}/shop/login"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let bad_id = common::http()
        .get(format!("{base}/sh.op/me"))
        .send()
        .await
        .unwrap();
    let long_id = common::http()
        .get(format!("{base}/{}/me", "a".repeat(65)))
        .send()
        .await
        .unwrap();
    let jwks = common::http()
        .get(format!("{base}/shop/.well-known/jwks.json"))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body["code"], "NOT_FOUND");
    assert_eq!(method.status, 405);
    assert_eq!(method.body["code"], "METHOD_NOT_ALLOWED");
    assert_eq!(method.headers["allow"], "POST");
    assert_eq!(bad_id.status(), 404);
    assert_eq!(
        common::identity::read(bad_id).await.body["code"],
        "APP_NOT_FOUND"
    );
    assert_eq!(long_id.status(), 404);
    assert_eq!(jwks.status(), 200);
    assert_eq!(
        auth.tenant_ids(),
        ["default", "shop"],
        "only a real endpoint made an app"
    );
}

#[tokio::test]
async fn a_seed_reproduces_user_ids() {
    // Arrange
    let start = || MockAuth::builder().seed(7).face(Face::apps()).start();
    let (one, two) = (start().await, start().await);

    // Act
    let a = signup(&one, "shop", "jane@example.com").await;
    let b = signup(&two, "shop", "jane@example.com").await;

    // Assert
    assert_eq!(a["user"]["id"], b["user"]["id"]);
}

#[tokio::test]
async fn the_journal_names_the_endpoints_and_redacts_passwords_and_tokens() {
    // Arrange
    let auth = server().await;
    let session = signup(&auth, "shop", "jane@example.com").await;
    post(
        &auth,
        "shop",
        "/login",
        json!({ "email": "jane@example.com", "password": STRONG }),
    )
    .await;
    post(
        &auth,
        "shop",
        "/refresh",
        json!({ "refresh_token": session["refresh_token"] }),
    )
    .await;

    // Act
    let signups = auth.requests_to(Endpoint::AppsSignup);
    let logins = auth.requests_to(Endpoint::AppsLogin);
    let refreshes = auth.requests_to(Endpoint::AppsRefresh);

    // Assert
    assert_eq!((signups.len(), logins.len(), refreshes.len()), (1, 1, 1));
    assert_eq!(signups[0].param("password"), Some("[redacted]"));
    assert_eq!(signups[0].param("email"), Some("jane@example.com"));
    assert_eq!(signups[0].client_id.as_deref(), Some("shop"));
    assert_eq!(logins[0].username.as_deref(), Some("jane@example.com"));
    assert_eq!(logins[0].param("password"), Some("[redacted]"));
    assert_eq!(refreshes[0].param("refresh_token"), Some("[redacted]"));
    let everything = format!("{:?}", auth.requests());
    assert!(!everything.contains(STRONG));
    assert!(!everything.contains(session["refresh_token"].as_str().unwrap()));
}

#[tokio::test]
async fn a_fault_rule_on_apps_login_answers_instead_of_the_handler() {
    // Arrange
    let auth = server().await;
    signup(&auth, "shop", "jane@example.com").await;
    auth.fault(Endpoint::AppsLogin)
        .next_calls(1)
        .inject(Fault::rate_limited())
        .mount();
    let body = json!({ "email": "jane@example.com", "password": STRONG });

    // Act
    let injected = post(&auth, "shop", "/login", body.clone()).await;
    let real = post(&auth, "shop", "/login", body).await;

    // Assert
    assert_eq!(injected.status, 429);
    assert_eq!(real.status, 200, "{}", real.body);
}

#[tokio::test]
async fn the_face_mounts_from_a_config_file() {
    // Arrange
    let config = mockauth::Config::from_json_str(
        r#"{"faces": [{"name": "apps", "prefix": "/a", "autoCreate": false}]}"#,
    )
    .unwrap();
    let auth = MockAuth::builder().config(config).start().await;

    // Act
    let answer = common::identity::read(
        common::http()
            .get(format!("http://{}/a/auth/shop/me", auth.address()))
            .send()
            .await
            .unwrap(),
    )
    .await;

    // Assert
    assert_eq!(answer.body["code"], "APP_NOT_FOUND");
}

#[tokio::test]
async fn a_tenant_declared_at_the_apps_path_is_an_app_even_without_auto_creation() {
    // Arrange
    let auth = MockAuth::builder()
        .face(Face::apps().auto_create(false))
        .tenant("shop", |t| {
            t.issuer_path("/auth/shop")
                .access_token_ttl(std::time::Duration::from_secs(60))
        })
        .start()
        .await;

    // Act
    let session = signup(&auth, "shop", "jane@example.com").await;
    let me = with_bearer(
        &auth,
        "shop",
        "GET",
        "/me",
        session["access_token"].as_str().unwrap(),
    )
    .await;

    // Assert
    assert_eq!(session["expires_in"], 60);
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["email"], "jane@example.com");
}
