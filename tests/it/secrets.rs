//! Secrets that must not outlive a test: `Debug` never prints one (a test that logs its
//! server, fixtures or builders leaks no admin token, password, hash, TOTP secret, client or
//! application secret, code or token), and the admin token never comes from the seed.

use mockauth::{Config, Face, MockAuth, TenantBuilder};
use serde_json::Value;

use crate::common::{http, location_param, password_login, pkce_pair, status_json};

/// Every `{:?}` a test could print, joined.
fn everything_printed(auth: &MockAuth, extra: &[String]) -> String {
    let mut printed = vec![format!("{auth:?}"), format!("{:?}", auth.default_tenant())];
    printed.extend_from_slice(extra);
    printed.join("\n")
}

#[tokio::test]
async fn debug_output_carries_no_secret() {
    // Arrange: a server with every kind of secret in it.
    let auth = MockAuth::builder()
        .face(Face::service().at("/svc"))
        .client_secret("default-client-secret-xyz")
        .start()
        .await;
    let alice = auth
        .user("alice")
        .password("alice-secret-pw")
        .mfa_totp()
        .create();
    let web = auth
        .client("web")
        .secret("web-secret-xyz")
        .redirect_uri("http://127.0.0.1:9/cb")
        .create();
    let app = auth
        .application("billing")
        .secret("app-secret-xyz")
        .create();
    let tokens = password_login(&auth, "openid offline_access").await;
    let (verifier, challenge) = pkce_pair("debug-redaction");
    let authorize = http()
        .get(auth.authorize_url())
        .query(&[
            ("response_type", "code"),
            ("client_id", "web"),
            ("redirect_uri", "http://127.0.0.1:9/cb"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .unwrap();
    let code = location_param(&authorize, "code").unwrap();
    let mfa = http()
        .post(auth.token_url())
        .basic_auth(web.client_id(), web.client_secret())
        .form(&[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "alice-secret-pw"),
        ])
        .send()
        .await
        .unwrap();
    let (_, mfa) = status_json(mfa).await;
    let minted = auth.issue_token().user("alice").tokens();
    let builder = MockAuth::builder()
        .client_secret("builder-secret-xyz")
        .tenant("acme", |t: TenantBuilder| {
            t.client_secret("tenant-secret-xyz")
        });
    let config = Config::from_json_str(
        r#"{"users": [{"username": "cfg", "email": "cfg@x.test", "password": "config-secret-pw"}]}"#,
    )
    .unwrap();
    let user_builder = format!("{:?}", auth.user("bob").password("builder-user-pw"));
    let client_builder = format!("{:?}", auth.client("c2").secret("builder-client-secret"));
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let assertion = format!("{:?}", auth.assert_token(&access));

    // Act
    let printed = everything_printed(
        &auth,
        &[
            format!("{alice:?}"),
            format!("{web:?}"),
            format!("{app:?}"),
            format!("{minted:?}"),
            format!("{builder:?}"),
            format!("{config:?}"),
            user_builder,
            client_builder,
            assertion,
        ],
    );

    // Assert
    let secrets: Vec<String> = [
        auth.admin_token().to_owned(),
        "default-client-secret-xyz".to_owned(),
        "alice-secret-pw".to_owned(),
        alice.totp_secret().unwrap().to_owned(),
        "$argon2".to_owned(),
        "web-secret-xyz".to_owned(),
        "app-secret-xyz".to_owned(),
        tokens["access_token"].as_str().unwrap().to_owned(),
        tokens["refresh_token"].as_str().unwrap().to_owned(),
        code,
        verifier,
        mfa["mfa_token"].as_str().unwrap().to_owned(),
        mfa["_sandbox_mfa_code"].as_str().unwrap().to_owned(),
        minted.access_token().to_owned(),
        "builder-secret-xyz".to_owned(),
        "tenant-secret-xyz".to_owned(),
        "config-secret-pw".to_owned(),
        "builder-user-pw".to_owned(),
        "builder-client-secret".to_owned(),
    ]
    .into_iter()
    .collect();
    for secret in &secrets {
        assert!(
            !printed.contains(secret.as_str()),
            "Debug output shows the secret {secret:?}:\n{printed}"
        );
    }
    // The output still says something useful.
    assert!(printed.contains("alice"), "{printed}");
    assert!(printed.contains(&auth.issuer()), "{printed}");
    let _: Value = tokens;
}

#[tokio::test]
async fn the_admin_token_is_random_even_with_a_seed_unless_fixed() {
    // Arrange / Act
    let first = MockAuth::builder().seed(11).start().await;
    let second = MockAuth::builder().seed(11).start().await;
    let fixed = MockAuth::builder()
        .seed(11)
        .admin_token("fixed-admin")
        .start()
        .await;

    // Assert: the seed repeats the default client, not the admin token.
    assert_eq!(
        first.default_client().client_secret(),
        second.default_client().client_secret()
    );
    assert_ne!(first.admin_token(), second.admin_token());
    assert!(first.admin_token().starts_with("adm_") && first.admin_token().len() > 40);
    assert_eq!(fixed.admin_token(), "fixed-admin");
    let answer = http()
        .post(format!("{}/api/auth-sandbox/config", fixed.issuer()))
        .bearer_auth("fixed-admin")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
}
