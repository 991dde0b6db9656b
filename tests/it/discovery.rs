//! Discovery documents, the JWKS, issuer paths, and the answers for unknown paths and
//! wrong methods.

use crate::common::{http, password_login, status_json};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use mockauth::{Algorithm, MockAuth};
use serde_json::Value;

const WELL_KNOWN_OIDC: &str = "/.well-known/openid-configuration";
const WELL_KNOWN_OAUTH: &str = "/.well-known/oauth-authorization-server";

async fn get_json(url: &str) -> (u16, Value) {
    status_json(http().get(url).send().await.unwrap()).await
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

fn jwt_header(token: &str) -> Value {
    let header = token.split('.').next().unwrap();
    serde_json::from_slice(&B64.decode(header).unwrap()).unwrap()
}

#[tokio::test]
async fn openid_configuration_lists_every_endpoint_and_capability_served() {
    // Arrange
    let auth = MockAuth::start().await;
    let i = auth.issuer();

    // Act
    let response = http().get(auth.discovery_url()).send().await.unwrap();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let (status, doc) = status_json(response).await;

    // Assert
    assert_eq!(status, 200, "{doc}");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    assert_eq!(doc["issuer"], i);
    assert_eq!(doc["authorization_endpoint"], format!("{i}/authorize"));
    assert_eq!(doc["token_endpoint"], format!("{i}/token"));
    assert_eq!(doc["userinfo_endpoint"], format!("{i}/userinfo"));
    assert_eq!(doc["jwks_uri"], format!("{i}/.well-known/jwks.json"));
    assert_eq!(doc["introspection_endpoint"], format!("{i}/introspect"));
    assert_eq!(doc["revocation_endpoint"], format!("{i}/revoke"));
    assert_eq!(doc["end_session_endpoint"], format!("{i}/logout"));
    let grants = strings(&doc["grant_types_supported"]);
    for grant in [
        "authorization_code",
        "client_credentials",
        "password",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
    ] {
        assert!(grants.contains(&grant), "{grant} missing from {grants:?}");
    }
    assert!(strings(&doc["response_types_supported"]).contains(&"code"));
    assert_eq!(
        strings(&doc["code_challenge_methods_supported"]),
        ["S256", "plain"]
    );
    assert_eq!(
        strings(&doc["token_endpoint_auth_methods_supported"]),
        ["client_secret_basic", "client_secret_post", "none"]
    );
    assert_eq!(
        strings(&doc["id_token_signing_alg_values_supported"]),
        ["RS256"]
    );
    let scopes = strings(&doc["scopes_supported"]);
    for scope in ["openid", "profile", "email", "offline_access"] {
        assert!(scopes.contains(&scope), "{scope} missing from {scopes:?}");
    }
    let claims = strings(&doc["claims_supported"]);
    for claim in ["sub", "iss", "email", "email_verified", "name", "roles"] {
        assert!(claims.contains(&claim), "{claim} missing from {claims:?}");
    }
}

#[tokio::test]
async fn oauth_authorization_server_metadata_has_the_same_content_as_openid_configuration() {
    // Arrange
    let auth = MockAuth::start().await;
    let i = auth.issuer();

    // Act
    let (oidc_status, oidc) = get_json(&format!("{i}{WELL_KNOWN_OIDC}")).await;
    let (oauth_status, oauth) = get_json(&format!("{i}{WELL_KNOWN_OAUTH}")).await;

    // Assert
    assert_eq!(oidc_status, 200, "{oidc}");
    assert_eq!(oauth_status, 200, "{oauth}");
    assert_eq!(oidc, oauth);
}

#[tokio::test]
async fn issuer_has_no_trailing_slash_and_every_endpoint_starts_with_it() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, doc) = get_json(&auth.discovery_url()).await;

    // Assert
    assert_eq!(status, 200, "{doc}");
    let issuer = doc["issuer"].as_str().unwrap();
    assert_eq!(issuer, auth.issuer());
    assert!(issuer.starts_with("http://127.0.0.1:"), "{issuer}");
    assert!(!issuer.ends_with('/'), "{issuer}");
    let endpoints: Vec<(&String, &str)> = doc
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.ends_with("_endpoint") || k.ends_with("_uri"))
        .map(|(k, v)| (k, v.as_str().unwrap()))
        .collect();
    assert_eq!(endpoints.len(), 7, "{endpoints:?}");
    for (name, url) in endpoints {
        assert!(
            url.starts_with(&format!("{issuer}/")),
            "{name} = {url} is not below {issuer}"
        );
    }
}

#[tokio::test]
async fn signing_alg_values_follow_the_configured_algorithm() {
    for algorithm in [
        Algorithm::RS256,
        Algorithm::ES256,
        Algorithm::EdDSA,
        Algorithm::HS256,
    ] {
        // Arrange
        let auth = MockAuth::builder().algorithm(algorithm).start().await;

        // Act
        let (status, doc) = get_json(&auth.discovery_url()).await;
        let token = password_login(&auth, "openid").await;

        // Assert
        assert_eq!(status, 200, "{doc}");
        assert_eq!(
            strings(&doc["id_token_signing_alg_values_supported"]),
            [algorithm.as_str()]
        );
        let id_token = token["id_token"].as_str().unwrap();
        assert_eq!(jwt_header(id_token)["alg"], algorithm.as_str());
    }
}

#[tokio::test]
async fn jwks_keys_each_have_kid_alg_and_use_and_match_the_token_header() {
    // Arrange
    let auth = MockAuth::builder()
        .algorithm(Algorithm::ES256)
        .start()
        .await;
    let token = password_login(&auth, "openid").await;
    let header = jwt_header(token["access_token"].as_str().unwrap());

    // Act
    let (status, jwks) = get_json(&auth.jwks_url()).await;

    // Assert
    assert_eq!(status, 200, "{jwks}");
    let keys = jwks["keys"].as_array().unwrap();
    assert!(!keys.is_empty(), "{jwks}");
    for key in keys {
        assert!(key["kid"].is_string(), "kid missing: {key}");
        assert!(key["alg"].is_string(), "alg missing: {key}");
        assert_eq!(key["use"], "sig", "{key}");
        assert!(
            key.get("d").is_none(),
            "a private key part is published: {key}"
        );
    }
    assert!(
        keys.iter()
            .any(|k| k["kid"] == header["kid"] && k["alg"] == "ES256" && k["kty"] == "EC"),
        "no key for the token header {header} in {jwks}"
    );
}

#[tokio::test]
async fn issuer_path_server_serves_discovery_and_endpoints_below_its_path() {
    // Arrange
    let auth = MockAuth::builder()
        .issuer_path("/realms/acme")
        .start()
        .await;
    let origin = format!("http://{}", auth.address());
    let issuer = format!("{origin}/realms/acme");

    // Act
    let (oidc_status, oidc) = get_json(&format!("{issuer}{WELL_KNOWN_OIDC}")).await;
    let (oauth_status, oauth) = get_json(&format!("{issuer}{WELL_KNOWN_OAUTH}")).await;
    let (jwks_status, jwks) = get_json(&format!("{issuer}/.well-known/jwks.json")).await;
    let token = password_login(&auth, "openid profile email").await;
    let userinfo = http()
        .get(format!("{issuer}/userinfo"))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let (userinfo_status, profile) = status_json(userinfo).await;

    // Assert
    assert_eq!(auth.issuer(), issuer);
    assert_eq!(auth.token_url(), format!("{issuer}/token"));
    assert_eq!(oidc_status, 200, "{oidc}");
    assert_eq!(oidc["issuer"], issuer);
    assert_eq!(oidc["token_endpoint"], format!("{issuer}/token"));
    assert_eq!(oidc["jwks_uri"], format!("{issuer}/.well-known/jwks.json"));
    assert_eq!(oauth_status, 200, "{oauth}");
    assert_eq!(oauth, oidc);
    assert_eq!(jwks_status, 200, "{jwks}");
    assert!(!jwks["keys"].as_array().unwrap().is_empty());
    assert_eq!(userinfo_status, 200, "{profile}");
    assert_eq!(profile["sub"], auth.default_user().id());
}

#[tokio::test]
async fn issuer_path_server_answers_404_at_the_root() {
    // Arrange
    let auth = MockAuth::builder()
        .issuer_path("/realms/acme")
        .start()
        .await;
    let origin = format!("http://{}", auth.address());

    for path in [
        WELL_KNOWN_OIDC,
        WELL_KNOWN_OAUTH,
        "/.well-known/jwks.json",
        "/userinfo",
        "/realms/acmeX/.well-known/openid-configuration",
    ] {
        // Act
        let (status, body) = get_json(&format!("{origin}{path}")).await;

        // Assert
        assert_eq!(status, 404, "{path}: {body}");
        assert_eq!(body["error"], "not_found", "{path}: {body}");
        assert!(body["error_description"].is_string(), "{path}: {body}");
    }
    let response = http()
        .post(format!("{origin}/token"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(response).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"], "not_found");
}

#[tokio::test]
async fn unknown_paths_answer_404_json() {
    // Arrange
    let auth = MockAuth::start().await;

    for path in ["/nope", "/.well-known/nope", "/token/extra", "/authorize2"] {
        // Act
        let (status, body) = get_json(&format!("{}{path}", auth.issuer())).await;

        // Assert
        assert_eq!(status, 404, "{path}: {body}");
        assert_eq!(body["error"], "not_found", "{path}: {body}");
        assert!(
            body["error_description"].as_str().unwrap().contains(path),
            "{path}: {body}"
        );
    }
}

#[tokio::test]
async fn get_on_the_token_endpoint_answers_405_with_an_allow_header() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let response = http().get(auth.token_url()).send().await.unwrap();
    let allow = response.headers().get("allow").cloned();
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 405, "{body}");
    assert_eq!(allow.unwrap(), "POST");
    assert_eq!(body["error"], "invalid_request");
    assert!(body["error_description"].is_string(), "{body}");
}

#[tokio::test]
async fn delete_on_userinfo_answers_405_with_an_allow_header() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let response = http().delete(auth.userinfo_url()).send().await.unwrap();
    let allow = response.headers().get("allow").cloned();
    let (status, body) = status_json(response).await;

    // Assert
    assert_eq!(status, 405, "{body}");
    assert_eq!(allow.unwrap(), "GET, POST");
    assert_eq!(body["error"], "invalid_request");
    assert!(body["error_description"].is_string(), "{body}");
}

#[tokio::test]
async fn post_on_discovery_and_put_on_introspection_answer_405() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let discovery = http().post(auth.discovery_url()).send().await.unwrap();
    let discovery_allow = discovery.headers().get("allow").cloned();
    let (discovery_status, discovery_body) = status_json(discovery).await;
    let introspect = http().put(auth.introspection_url()).send().await.unwrap();
    let introspect_allow = introspect.headers().get("allow").cloned();
    let (introspect_status, introspect_body) = status_json(introspect).await;

    // Assert
    assert_eq!(discovery_status, 405, "{discovery_body}");
    assert_eq!(discovery_allow.unwrap(), "GET");
    assert_eq!(discovery_body["error"], "invalid_request");
    assert_eq!(introspect_status, 405, "{introspect_body}");
    assert_eq!(introspect_allow.unwrap(), "POST");
    assert_eq!(introspect_body["error"], "invalid_request");
}
