//! Provider presets, each driven by a client configured the way apps configure that
//! provider: `openidconnect` discovering the provider's issuer URL and verifying id_tokens,
//! `jsonwebtoken` checking access tokens against the JWKS with the provider's issuer and
//! audience, and the claims read where apps read them.

use crate::common;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};
use mockauth::{MockAuth, Okta, Preset};
use openidconnect::core::{CoreClient, CoreIdToken, CoreIdTokenClaims, CoreProviderMetadata};
use openidconnect::{ClientId, ClientSecret, IssuerUrl, Nonce};
use serde_json::{json, Value};

/// `http://127.0.0.1:PORT`, which apps combine with the provider's path.
fn origin(auth: &MockAuth) -> String {
    format!("http://{}", auth.address())
}

/// Discovery as `openidconnect` does it; it insists that the document's issuer is the URL
/// it was given, byte for byte.
async fn discover(issuer: &str) -> CoreProviderMetadata {
    CoreProviderMetadata::discover_async(
        IssuerUrl::new(issuer.to_owned()).unwrap(),
        &common::http(),
    )
    .await
    .unwrap_or_else(|e| panic!("discovery of {issuer} rejected: {e:?}"))
}

/// The id_token's claims after `openidconnect` verified signature, issuer, audience and
/// expiry against the discovered JWKS.
fn verified_id_claims(
    auth: &MockAuth,
    metadata: CoreProviderMetadata,
    id_token: &Value,
) -> CoreIdTokenClaims {
    let client = auth.default_client();
    let oidc = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(client.client_id().to_owned()),
        client
            .client_secret()
            .map(|s| ClientSecret::new(s.to_owned())),
    );
    let id_token: CoreIdToken = serde_json::from_value(id_token.clone()).unwrap();
    let verifier = oidc.id_token_verifier();
    let claims = id_token
        .claims(&verifier, |_: Option<&Nonce>| Ok(()))
        .unwrap_or_else(|e| panic!("id_token rejected: {e:?}"))
        .clone();
    claims
}

/// Access token verification as a resource server does it: the JWKS, the issuer, and the
/// audience when it has one to check (`None`: the provider's tokens have no `aud`).
async fn verify_access(
    auth: &MockAuth,
    token: &str,
    issuer: &str,
    audience: Option<&str>,
) -> Result<Value, ErrorKind> {
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
    validation.set_issuer(&[issuer]);
    match audience {
        Some(audience) => {
            validation.set_audience(&[audience]);
            validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        }
        None => validation.validate_aud = false,
    }
    decode::<Value>(token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| e.into_kind())
}

/// A password login of `username` (password `pw-{username}`) by the default client.
async fn login(auth: &MockAuth, username: &str, scope: &str) -> Value {
    let password = format!("pw-{username}");
    let (status, body) = common::token_request(
        auth,
        &[
            ("grant_type", "password"),
            ("username", username),
            ("password", &password),
            ("scope", scope),
        ],
    )
    .await;
    assert_eq!(status, 200, "login of {username} failed: {body}");
    body
}

fn user(auth: &MockAuth, username: &str, roles: &[&str]) -> mockauth::TestUser {
    auth.user(username)
        .password(format!("pw-{username}"))
        .email(format!("{username}@example.test"))
        .roles(roles.iter().copied())
        .create()
}

/// GETs a discovered endpoint with a bearer token.
async fn get_with_bearer(url: &str, token: &str) -> (u16, Value) {
    let response = common::http()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    common::status_json(response).await
}

#[tokio::test]
async fn keycloak_realm_is_discovered_and_roles_are_read_from_realm_and_resource_access() {
    // Arrange
    let auth = MockAuth::builder()
        .preset(Preset::keycloak("acme"))
        .client_id("web")
        .start()
        .await;
    let alice = user(&auth, "alice", &["user", "web:admin", "billing:read"]);
    let realm = format!("{}/realms/acme", origin(&auth));

    // Act
    let metadata = discover(&realm).await;
    let tokens = login(&auth, "alice", "openid profile email").await;
    let access = tokens["access_token"].as_str().unwrap();
    let claims = verify_access(&auth, access, &realm, Some("web"))
        .await
        .unwrap();
    let userinfo_url = metadata.userinfo_endpoint().unwrap().url().to_string();
    let id_claims = verified_id_claims(&auth, metadata, &tokens["id_token"]);
    let (status, profile) = get_with_bearer(&userinfo_url, access).await;

    // Assert
    assert_eq!(auth.issuer(), realm);
    assert_eq!(claims["realm_access"]["roles"], json!(["user"]));
    assert_eq!(claims["resource_access"]["web"]["roles"], json!(["admin"]));
    assert_eq!(
        claims["resource_access"]["billing"]["roles"],
        json!(["read"])
    );
    assert_eq!(claims["preferred_username"], "alice");
    assert_eq!(claims["typ"], "Bearer");
    assert_eq!(claims["azp"], "web");
    assert_eq!(claims["session_state"], claims["sid"]);
    assert_eq!(claims["email"], "alice@example.test");
    assert!(claims.get("client_id").is_none(), "{claims}");
    assert_eq!(id_claims.subject().as_str(), alice.id());
    assert_eq!(status, 200);
    assert_eq!(profile["preferred_username"], "alice");
}

#[tokio::test]
async fn keycloak_service_account_tokens_and_another_realms_discovery_answer_as_keycloak_would() {
    // Arrange
    let auth = MockAuth::builder()
        .preset(Preset::keycloak("acme"))
        .client_id("worker")
        .start()
        .await;

    // Act
    let (status, body) =
        common::token_request(&auth, &[("grant_type", "client_credentials")]).await;
    let other_realm = common::http()
        .get(format!(
            "{}/realms/other/.well-known/openid-configuration",
            origin(&auth)
        ))
        .send()
        .await
        .unwrap();
    let (missing_status, missing) = common::status_json(other_realm).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let claims = common::jwt_payload(body["access_token"].as_str().unwrap());
    assert_eq!(claims["preferred_username"], "service-account-worker");
    assert_eq!(claims["client_id"], "worker");
    assert_eq!(claims["azp"], "worker");
    assert_eq!(claims["typ"], "Bearer");
    assert_eq!(missing_status, 404);
    assert_eq!(missing["error"], "not_found");
}

#[tokio::test]
async fn auth0_trailing_slash_issuer_passes_openidconnect_discovery_and_user_tokens_carry_permissions(
) {
    // Arrange
    let api = "https://api.example.test";
    let auth = MockAuth::builder()
        .preset(Preset::Auth0(
            mockauth::Auth0::new(api).claim_namespace("https://example.test/"),
        ))
        .start()
        .await;
    auth.user("bob")
        .password("pw-bob")
        .roles(["read:reports"])
        .claim("plan", "pro")
        .create();
    let domain = format!("{}/", origin(&auth));

    // Act
    let metadata = discover(&domain).await;
    let tokens = login(&auth, "bob", "openid profile").await;
    let access = tokens["access_token"].as_str().unwrap();
    let claims = verify_access(&auth, access, &domain, Some(api))
        .await
        .unwrap();
    let without_slash = verify_access(&auth, access, domain.trim_end_matches('/'), Some(api)).await;
    let userinfo_url = metadata.userinfo_endpoint().unwrap().url().to_string();
    let token_url = metadata.token_endpoint().unwrap().url().to_string();
    let id_claims = verified_id_claims(&auth, metadata, &tokens["id_token"]);
    let (status, profile) = get_with_bearer(&userinfo_url, access).await;

    // Assert
    assert_eq!(auth.issuer(), domain);
    assert_eq!(token_url, format!("{domain}token"));
    assert_eq!(claims["iss"], domain);
    assert_eq!(claims["aud"], json!([api, format!("{domain}userinfo")]));
    assert_eq!(claims["permissions"], json!(["read:reports"]));
    assert_eq!(
        claims["https://example.test/roles"],
        json!(["read:reports"])
    );
    assert_eq!(claims["https://example.test/plan"], "pro");
    assert!(
        claims.get("plan").is_none() && claims.get("gty").is_none(),
        "{claims}"
    );
    assert_eq!(claims["azp"], auth.default_client().client_id());
    assert_eq!(without_slash.unwrap_err(), ErrorKind::InvalidIssuer);
    assert_eq!(id_claims.issuer().as_str(), domain);
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["preferred_username"], "bob");
}

#[tokio::test]
async fn auth0_machine_to_machine_tokens_carry_gty_and_the_api_audience() {
    // Arrange
    let api = "https://api.example.test";
    let auth = MockAuth::builder().preset(Preset::auth0(api)).start().await;
    let client = auth.default_client();

    // Act
    let (status, body) = common::token_request(
        &auth,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "profile email"),
        ],
    )
    .await;
    let access = body["access_token"].as_str().unwrap_or_default();
    let claims = verify_access(&auth, access, &auth.issuer(), Some(api))
        .await
        .unwrap();
    let wrong_api = verify_access(&auth, access, &auth.issuer(), Some("https://other.test")).await;
    let introspected = common::introspect(&auth, access).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(claims["gty"], "client-credentials");
    assert_eq!(claims["sub"], format!("{}@clients", client.client_id()));
    assert_eq!(claims["aud"], api);
    assert_eq!(claims["permissions"], json!(["profile", "email"]));
    assert_eq!(wrong_api.unwrap_err(), ErrorKind::InvalidAudience);
    assert_eq!(introspected["active"], true);
    assert_eq!(introspected["client_id"], client.client_id());
}

#[tokio::test]
async fn entra_v2_issuer_is_discovered_and_tokens_carry_tid_oid_scp_and_roles() {
    // Arrange
    let tenant = "9188040d-6c67-4c5b-b112-36a304b66dad";
    let auth = MockAuth::builder()
        .preset(Preset::entra(tenant))
        .start()
        .await;
    let carol = user(&auth, "carol", &["Reports.Read"]);
    let authority = format!("{}/{tenant}/v2.0", origin(&auth));
    let client_id = auth.default_client().client_id().to_owned();

    // Act
    let metadata = discover(&authority).await;
    let tokens = login(&auth, "carol", "openid profile email").await;
    let access = tokens["access_token"].as_str().unwrap();
    let claims = verify_access(&auth, access, &authority, Some(&client_id))
        .await
        .unwrap();
    let id_claims = common::jwt_payload(tokens["id_token"].as_str().unwrap());
    let verified = verified_id_claims(&auth, metadata, &tokens["id_token"]);
    let introspected = common::introspect(&auth, access).await;
    let (_, app_token) =
        common::token_request(&auth, &[("grant_type", "client_credentials")]).await;
    let app = common::jwt_payload(app_token["access_token"].as_str().unwrap());

    // Assert
    assert_eq!(claims["ver"], "2.0");
    assert_eq!(claims["tid"], tenant);
    assert_eq!(claims["scp"], "openid profile email");
    assert_eq!(claims["roles"], json!(["Reports.Read"]));
    assert_eq!(claims["azp"], client_id);
    assert!(
        claims.get("scope").is_none() && claims.get("client_id").is_none(),
        "{claims}"
    );
    let oid = claims["oid"].as_str().unwrap();
    assert_eq!((oid.len(), oid.matches('-').count()), (36, 4));
    assert_eq!(id_claims["oid"], oid);
    assert_eq!(id_claims["tid"], tenant);
    assert_eq!(verified.subject().as_str(), carol.id());
    assert_eq!(introspected["scope"], "openid profile email");
    assert_eq!(introspected["client_id"], client_id);
    assert_eq!(app["idtyp"], "app");
    assert_eq!(app["sub"], app["oid"]);
    assert!(app.get("scp").is_none(), "{app}");
}

#[tokio::test]
async fn cognito_access_tokens_have_token_use_and_client_id_but_no_aud() {
    // Arrange
    let pool = "us-east-1_Example";
    let auth = MockAuth::builder()
        .preset(Preset::cognito(pool))
        .start()
        .await;
    user(&auth, "dave", &["admins", "editors"]);
    user(&auth, "erin", &[]);
    let issuer = format!("{}/{pool}", origin(&auth));
    let client_id = auth.default_client().client_id().to_owned();

    // Act
    let metadata = discover(&issuer).await;
    let tokens = login(&auth, "dave", "openid email").await;
    let access = tokens["access_token"].as_str().unwrap();
    // aws-jwt-verify checks client_id and token_use, not aud.
    let claims = verify_access(&auth, access, &issuer, None).await.unwrap();
    let expecting_aud = verify_access(&auth, access, &issuer, Some(&client_id)).await;
    let id_claims = common::jwt_payload(tokens["id_token"].as_str().unwrap());
    let verified = verified_id_claims(&auth, metadata, &tokens["id_token"]);
    let (status, profile) = common::userinfo(&auth, access).await;
    let erin = common::jwt_payload(
        login(&auth, "erin", "openid").await["access_token"]
            .as_str()
            .unwrap(),
    );

    // Assert
    assert_eq!(claims["token_use"], "access");
    assert_eq!(claims["client_id"], client_id);
    assert_eq!(claims["username"], "dave");
    assert_eq!(claims["cognito:groups"], json!(["admins", "editors"]));
    assert!(claims.get("aud").is_none(), "{claims}");
    assert_eq!(
        expecting_aud.unwrap_err(),
        ErrorKind::MissingRequiredClaim("aud".into())
    );
    assert_eq!(id_claims["token_use"], "id");
    assert_eq!(id_claims["aud"], client_id);
    assert_eq!(id_claims["cognito:username"], "dave");
    assert_eq!(id_claims["cognito:groups"], json!(["admins", "editors"]));
    assert_eq!(
        verified.email().map(|e| e.as_str()),
        Some("dave@example.test")
    );
    assert_eq!(status, 200, "{profile}");
    assert!(erin.get("cognito:groups").is_none(), "{erin}");
}

#[tokio::test]
async fn okta_default_server_tokens_carry_cid_uid_and_an_scp_array_for_api_default() {
    // Arrange
    let auth = MockAuth::builder().preset(Preset::okta()).start().await;
    let frank = user(&auth, "frank", &["Everyone", "Admins"]);
    let issuer = format!("{}/oauth2/default", origin(&auth));
    let client_id = auth.default_client().client_id().to_owned();

    // Act
    let metadata = discover(&issuer).await;
    let tokens = login(&auth, "frank", "openid profile").await;
    let access = tokens["access_token"].as_str().unwrap();
    let claims = verify_access(&auth, access, &issuer, Some("api://default"))
        .await
        .unwrap();
    let verified = verified_id_claims(&auth, metadata, &tokens["id_token"]);
    let (status, profile) = common::userinfo(&auth, access).await;
    let introspected = common::introspect(&auth, access).await;

    // Assert
    assert_eq!(claims["ver"], 1);
    assert_eq!(claims["cid"], client_id);
    assert_eq!(claims["uid"], frank.id());
    assert_eq!(claims["sub"], "frank@example.test");
    assert_eq!(claims["scp"], json!(["openid", "profile"]));
    assert_eq!(claims["groups"], json!(["Everyone", "Admins"]));
    assert!(
        claims.get("scope").is_none() && claims.get("client_id").is_none(),
        "{claims}"
    );
    assert_eq!(verified.subject().as_str(), frank.id());
    assert_eq!(status, 200);
    assert_eq!(profile["sub"], frank.id());
    assert_eq!(introspected["client_id"], client_id);
    assert_eq!(introspected["scope"], "openid profile");
}

#[tokio::test]
async fn okta_tokens_revoked_by_their_client_stop_working() {
    // Arrange
    let auth = MockAuth::builder()
        .preset(Preset::Okta(
            Okta::authorization_server("aus1orders").audience("api://orders"),
        ))
        .start()
        .await;
    let client = auth.default_client();
    let tokens = common::password_login(&auth, "openid").await;
    let access = tokens["access_token"].as_str().unwrap();

    // Act
    let revoked = common::http()
        .post(auth.revocation_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("token", access)])
        .send()
        .await
        .unwrap();
    let (status, body) = common::userinfo(&auth, access).await;

    // Assert
    assert!(auth.issuer().ends_with("/oauth2/aus1orders"));
    assert_eq!(common::jwt_payload(access)["aud"], "api://orders");
    assert_eq!(revoked.status(), 200);
    assert_eq!(status, 401);
    assert_eq!(body["error_description"], "the token has been revoked");
}

#[tokio::test]
async fn two_keycloak_realms_on_one_server_each_issue_for_their_own_realm() {
    // Arrange
    let auth = MockAuth::builder()
        .preset(Preset::keycloak("acme"))
        .tenant("globex", |t| {
            t.preset(Preset::keycloak("globex")).client_id("portal")
        })
        .start()
        .await;
    let globex = auth.tenant("globex");
    globex
        .user("gina")
        .password("pw-gina")
        .roles(["staff", "portal:approver"])
        .create();
    let realm = format!("{}/realms/globex", origin(&auth));
    let portal = globex.default_client();

    // Act
    let metadata = discover(&realm).await;
    let response = common::http()
        .post(metadata.token_endpoint().unwrap().url().as_str())
        .basic_auth(portal.client_id(), portal.client_secret())
        .form(&[
            ("grant_type", "password"),
            ("username", "gina"),
            ("password", "pw-gina"),
            ("scope", "openid"),
        ])
        .send()
        .await
        .unwrap();
    let (status, tokens) = common::status_json(response).await;
    let (wrong_realm, _) =
        common::userinfo(&auth, tokens["access_token"].as_str().unwrap_or_default()).await;

    // Assert
    assert_eq!(status, 200, "{tokens}");
    let claims = common::jwt_payload(tokens["access_token"].as_str().unwrap());
    assert_eq!(claims["iss"], realm);
    assert_eq!(claims["realm_access"]["roles"], json!(["staff"]));
    assert_eq!(
        claims["resource_access"]["portal"]["roles"],
        json!(["approver"])
    );
    assert_eq!(
        wrong_realm, 401,
        "the acme realm must not accept globex's token"
    );
}

#[test]
#[should_panic(expected = "the Auth0 preset's issuer is the server root")]
fn an_auth0_tenant_beside_the_default_one_is_refused_with_the_fix() {
    // Arrange, Act
    let _ = MockAuth::builder().tenant("shop", |t| {
        t.preset(Preset::auth0("https://api.example.test"))
    });

    // Assert: the panic above.
}

#[test]
#[should_panic(
    expected = "Keycloak realm \"a/b\" must be letters, digits, '-', '_', '.' or '~' (it goes into the issuer URL), e.g. \"acme\""
)]
fn a_realm_that_cannot_go_into_a_url_is_refused_with_the_fix() {
    // Arrange, Act
    let _ = Preset::keycloak("a/b");

    // Assert: the panic above.
}
