//! Several tenants on one server: each has its own issuer path, key, clients, users,
//! lifetimes, issued tokens and error simulation, and none of it leaks into another.

use std::time::Duration;

use crate::common;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};
use mockauth::{Algorithm, ClientCredentials, ErrorSimulation, MockAuth, SimulatedError, Tenant};
use serde_json::Value;

fn install_crypto() {
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
}

/// A server with the default tenant and "acme" at Keycloak's path.
async fn two_tenants() -> MockAuth {
    MockAuth::builder()
        .tenant("acme", |t| t.issuer_path("/realms/acme"))
        .start()
        .await
}

/// client_credentials at `token_url` as `client` (client_secret_basic).
async fn client_credentials(token_url: String, client: &ClientCredentials) -> (u16, Value) {
    let response = common::http()
        .post(token_url)
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    common::status_json(response).await
}

/// A password-grant login of a tenant's default user with its default client.
async fn login(tenant: &Tenant<'_>) -> Value {
    let (client, user) = (tenant.default_client(), tenant.default_user());
    let response = common::http()
        .post(tenant.token_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[
            ("grant_type", "password"),
            ("username", user.username()),
            ("password", user.password()),
            ("scope", "openid profile"),
        ])
        .send()
        .await
        .unwrap();
    let (status, body) = common::status_json(response).await;
    assert_eq!(status, 200, "login at {} failed: {body}", tenant.issuer());
    body
}

async fn get_json(url: String, bearer: Option<&str>) -> (u16, Value) {
    let mut request = common::http().get(url);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    common::status_json(request.send().await.unwrap()).await
}

#[tokio::test]
async fn discovery_of_each_tenant_shows_its_own_issuer_and_endpoints() {
    // Arrange
    let auth = two_tenants().await;
    let acme = auth.tenant("acme");

    // Act
    let (default_status, default_doc) = get_json(auth.discovery_url(), None).await;
    let (acme_status, acme_doc) = get_json(acme.discovery_url(), None).await;

    // Assert
    assert_eq!((default_status, acme_status), (200, 200));
    assert_eq!(default_doc["issuer"], auth.issuer());
    assert_eq!(acme_doc["issuer"], format!("{}/realms/acme", auth.issuer()));
    assert_eq!(acme_doc["token_endpoint"], acme.token_url());
    assert_eq!(acme_doc["jwks_uri"], acme.jwks_url());
}

#[tokio::test]
async fn a_client_of_one_tenant_is_unknown_to_the_other() {
    // Arrange
    let auth = two_tenants().await;
    let acme = auth.tenant("acme");
    let web = acme.client("web").create();

    // Act
    let (at_acme, _) = client_credentials(acme.token_url(), &web).await;
    let (at_default, error) = client_credentials(auth.token_url(), &web).await;

    // Assert
    assert_eq!(at_acme, 200);
    assert_eq!(at_default, 401);
    assert_eq!(error["error"], "invalid_client");
    assert!(
        error["error_description"]
            .as_str()
            .unwrap()
            .contains("\"web\""),
        "{error}"
    );
}

#[tokio::test]
async fn each_tenant_starts_with_its_own_default_client_and_testuser() {
    // Arrange
    let auth = two_tenants().await;
    let acme = auth.tenant("acme");

    // Act
    let default_login = login(&auth.default_tenant()).await;
    let acme_login = login(&acme).await;
    let (cross_status, _) = client_credentials(acme.token_url(), &auth.default_client()).await;

    // Assert
    assert_ne!(
        acme.default_client().client_id(),
        auth.default_client().client_id()
    );
    assert_eq!(acme.default_user().username(), "testuser");
    assert_ne!(acme.default_user().id(), auth.default_user().id());
    let acme_claims = common::jwt_payload(acme_login["access_token"].as_str().unwrap());
    let default_claims = common::jwt_payload(default_login["access_token"].as_str().unwrap());
    assert_eq!(acme_claims["sub"], acme.default_user().id());
    assert_eq!(acme_claims["iss"], acme.issuer());
    assert_eq!(default_claims["iss"], auth.issuer());
    assert_eq!(cross_status, 401);
}

#[tokio::test]
async fn an_access_token_of_one_tenant_is_refused_at_the_others_userinfo() {
    // Arrange
    let auth = two_tenants().await;
    let acme = auth.tenant("acme");
    let token = login(&acme).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    // Act
    let (own_status, profile) = get_json(acme.userinfo_url(), Some(&token)).await;
    let (other_status, error) = get_json(auth.userinfo_url(), Some(&token)).await;

    // Assert
    assert_eq!(own_status, 200);
    assert_eq!(profile["sub"], acme.default_user().id());
    assert_eq!(other_status, 401);
    assert_eq!(error["error"], "invalid_token");
}

#[tokio::test]
async fn a_token_of_one_tenant_verifies_against_its_jwks_and_not_against_the_others() {
    // Arrange
    install_crypto();
    let auth = two_tenants().await;
    let acme = auth.tenant("acme");
    let token = login(&acme).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let kid = decode_header(&token).unwrap().kid.unwrap();
    let mut validation = Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.validate_aud = false;

    // Act
    let (_, acme_jwks) = get_json(acme.jwks_url(), None).await;
    let (_, default_jwks) = get_json(auth.jwks_url(), None).await;
    let acme_jwks: JwkSet = serde_json::from_value(acme_jwks).unwrap();
    let default_jwks: JwkSet = serde_json::from_value(default_jwks).unwrap();

    // Assert
    let own_key = DecodingKey::from_jwk(acme_jwks.find(&kid).unwrap()).unwrap();
    assert!(decode::<Value>(&token, &own_key, &validation).is_ok());
    assert!(default_jwks.find(&kid).is_none(), "the kid {kid} leaked");
    for jwk in &default_jwks.keys {
        let other_key = DecodingKey::from_jwk(jwk).unwrap();
        assert!(
            decode::<Value>(&token, &other_key, &validation).is_err(),
            "acme's token verified with the default tenant's key {:?}",
            jwk.common.key_id
        );
    }
}

#[tokio::test]
async fn each_tenant_signs_with_its_own_algorithm_and_lifetimes() {
    // Arrange
    let auth = MockAuth::builder()
        .access_token_ttl(Duration::from_secs(120))
        .tenant("edge", |t| {
            t.algorithm(Algorithm::ES256)
                .access_token_ttl(Duration::from_secs(60))
        })
        .start()
        .await;
    let edge = auth.tenant("edge");

    // Act
    let default_login = login(&auth.default_tenant()).await;
    let edge_login = login(&edge).await;
    let (_, edge_jwks) = get_json(edge.jwks_url(), None).await;

    // Assert
    let header = |login: &Value| decode_header(login["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(header(&default_login).alg, jsonwebtoken::Algorithm::RS256);
    assert_eq!(header(&edge_login).alg, jsonwebtoken::Algorithm::ES256);
    assert_eq!(default_login["expires_in"], 120);
    assert_eq!(edge_login["expires_in"], 60);
    assert_eq!(edge_jwks["keys"][0]["kty"], "EC");
}

#[tokio::test]
async fn a_tenant_added_at_run_time_lives_at_the_sandbox_path_with_its_own_users() {
    // Arrange
    let auth = MockAuth::start().await;
    let shop = auth.add_tenant("shop", |t| {
        t.client_id("shop-app").client_secret("shop-secret")
    });
    shop.user("alice").password("alice-pw").mfa_totp().create();

    // Act
    let response = common::http()
        .post(shop.token_url())
        .basic_auth("shop-app", Some("shop-secret"))
        .form(&[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "alice-pw"),
        ])
        .send()
        .await
        .unwrap();
    let (status, challenge) = common::status_json(response).await;
    let verify = common::http()
        .post(shop.mfa_verify_url())
        .json(&serde_json::json!({
            "mfa_token": challenge["mfa_token"],
            "code": shop.totp_code("alice"),
            "client_id": "shop-app",
        }))
        .send()
        .await
        .unwrap();
    let (verify_status, tokens) = common::status_json(verify).await;

    // Assert
    assert_eq!(
        shop.issuer(),
        format!("{}/api/invoke/shop/auth", auth.issuer())
    );
    assert_eq!(auth.tenant_ids(), ["default", "shop"]);
    assert_eq!(
        (status, &challenge["error"]),
        (403, &Value::from("mfa_required"))
    );
    assert_eq!(verify_status, 200, "{tokens}");
    assert!(auth.try_tenant("shop").is_some());
    assert!(auth.default_tenant().id() == "default");
}

#[tokio::test]
async fn a_user_of_one_tenant_cannot_log_in_at_the_other() {
    // Arrange
    let auth = two_tenants().await;
    auth.tenant("acme").user("bob").password("bob-pw").create();
    let client = auth.default_client();

    // Act
    let response = common::http()
        .post(auth.token_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[
            ("grant_type", "password"),
            ("username", "bob"),
            ("password", "bob-pw"),
        ])
        .send()
        .await
        .unwrap();
    let (status, error) = common::status_json(response).await;

    // Assert
    assert_eq!(status, 400);
    assert_eq!(error["error"], "invalid_grant");
}

#[tokio::test]
async fn a_disabled_tenant_answers_404_naming_how_to_enable_it() {
    // Arrange
    let auth = MockAuth::builder()
        .tenant("off", |t| t.enabled(false))
        .start()
        .await;

    // Act
    let (status, body) = get_json(auth.tenant("off").discovery_url(), None).await;
    let (default_status, _) = get_json(auth.discovery_url(), None).await;

    // Assert
    assert_eq!(status, 404);
    assert_eq!(body["error"], "not_found");
    assert_eq!(
        body["error_description"],
        "tenant \"off\" is disabled; enable it with POST /api/auth-sandbox/config {\"projectId\": \"off\", \"enabled\": true}"
    );
    assert_eq!(default_status, 200);
}

#[tokio::test]
async fn the_error_simulation_of_one_tenant_leaves_the_other_alone() {
    // Arrange
    let auth = two_tenants().await;
    let acme = auth.tenant("acme");
    acme.simulate_errors(ErrorSimulation {
        enabled: true,
        error_rate: 100,
        error_types: vec![SimulatedError::RateLimited],
        delay_ms: 0,
    });

    // Act
    let (acme_status, _) = client_credentials(acme.token_url(), &acme.default_client()).await;
    let (default_status, _) = client_credentials(auth.token_url(), &auth.default_client()).await;

    // Assert
    assert_eq!(acme_status, 429);
    assert_eq!(default_status, 200);
}

#[test]
fn the_default_tenants_handle_and_mockauth_agree() {
    // Arrange
    let auth = MockAuth::start_blocking();

    // Act
    let tenant = auth.default_tenant();

    // Assert
    assert_eq!(tenant.issuer(), auth.issuer());
    assert_eq!(tenant.token_url(), auth.token_url());
    assert_eq!(tenant.default_client(), auth.default_client());
    assert_eq!(tenant.default_user(), auth.default_user());
    assert_eq!(auth.tenant("default").id(), "default");
}

#[test]
#[should_panic(expected = "no tenant \"nope\"; the tenants are [\"default\", \"acme\"]")]
fn asking_for_an_unknown_tenant_panics_with_the_known_ones() {
    let auth = MockAuth::builder().tenant("acme", |t| t).start_blocking();
    let _ = auth.tenant("nope");
}

#[test]
#[should_panic(
    expected = "issuer path \"/realms/acme\" already belongs to tenant \"acme\"; pick another"
)]
fn adding_a_tenant_at_a_taken_issuer_path_panics() {
    let auth = MockAuth::builder()
        .tenant("acme", |t| t.issuer_path("/realms/acme"))
        .start_blocking();
    let _ = auth.add_tenant("acme2", |t| t.issuer_path("/realms/acme"));
}

#[test]
fn a_declared_tenant_at_the_default_tenants_issuer_path_refuses_to_start() {
    // Arrange
    let builder = MockAuth::builder()
        .issuer_path("/realms/main")
        .tenant("other", |t| t.issuer_path("/realms/main"));

    // Act
    let err = builder.try_start().unwrap_err();

    // Assert
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert_eq!(
        err.to_string(),
        "issuer path \"/realms/main\" already belongs to tenant \"default\"; pick another"
    );
}

#[test]
#[should_panic(expected = "a tenant \"acme\" is already declared; pick another id")]
fn declaring_a_tenant_twice_panics_at_build_time() {
    let _ = MockAuth::builder()
        .tenant("acme", |t| t)
        .tenant("acme", |t| t);
}

#[tokio::test]
async fn tokens_minted_for_a_tenant_work_there_and_nowhere_else() {
    // Arrange
    let auth = two_tenants().await;
    let acme = auth.tenant("acme");
    let alice = acme.user("alice").create();

    // Act
    let token = acme
        .issue_token()
        .user("alice")
        .scopes(["openid"])
        .access_token();
    let at = |url: String| {
        let token = token.clone();
        async move {
            common::http()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };

    // Assert
    acme.assert_token(&token).subject(alice.id()).active();
    assert_eq!(at(acme.userinfo_url()).await, 200);
    assert_eq!(
        at(auth.userinfo_url()).await,
        401,
        "the default tenant must not accept acme's token"
    );
}
