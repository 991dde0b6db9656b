//! The admin API (docs/admin.md) driven the way a non-Rust CI drives it: plain JSON over HTTP
//! with the admin bearer token. Every call, its refusals (401, 400 naming the field, 404,
//! 409, 415), and no half-applied change after a refusal.

use crate::common;
use mockauth::MockAuth;
use serde_json::{json, Value};

/// `METHOD /api/auth-sandbox{path}` with the admin token and a JSON body.
async fn admin(auth: &MockAuth, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}/api/auth-sandbox{path}", auth.issuer());
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = common::http()
        .request(method, url)
        .bearer_auth(auth.admin_token());
    if let Some(body) = body {
        request = request.json(&body);
    }
    common::status_json(request.send().await.unwrap()).await
}

async fn post(auth: &MockAuth, path: &str, body: Value) -> (u16, Value) {
    admin(auth, "POST", path, Some(body)).await
}

/// client_credentials at `token_url` with client_secret_post.
async fn client_credentials(token_url: &str, id: &str, secret: &str) -> (u16, Value) {
    let response = common::http()
        .post(token_url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
        ])
        .send()
        .await
        .unwrap();
    common::status_json(response).await
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

#[tokio::test]
async fn config_answers_the_default_tenants_settings_and_default_client() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let (status, config) = post(&auth, "/config", json!({ "accessTokenTTL": 10 })).await;
    let (token_status, token) = client_credentials(
        &auth.token_url(),
        client.client_id(),
        client.client_secret().unwrap(),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{config}");
    assert_eq!(config["projectId"], "default");
    assert_eq!(config["enabled"], true);
    assert_eq!(config["issuer"], auth.issuer());
    assert_eq!(config["accessTokenTTL"], 10);
    assert_eq!(config["refreshTokenTTL"], 30 * 24 * 3600);
    assert_eq!(config["errorSimulation"]["enabled"], false);
    assert_eq!(config["client_id"], client.client_id());
    assert_eq!(config["client_secret"], client.client_secret().unwrap());
    assert_eq!(token_status, 200);
    assert_eq!(token["expires_in"], 10);
}

#[tokio::test]
async fn config_with_a_new_project_id_creates_a_tenant_whose_client_works() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, config) = post(
        &auth,
        "/config",
        json!({ "projectId": "proj-1", "enabled": true, "refreshTokenTTL": 600 }),
    )
    .await;
    let issuer = text(&config["issuer"]).to_owned();
    let (token_status, token) = client_credentials(
        &format!("{issuer}/token"),
        text(&config["client_id"]),
        text(&config["client_secret"]),
    )
    .await;
    let (_, read_back) = admin(&auth, "GET", "/config?configId=proj-1", None).await;

    // Assert
    assert_eq!(status, 200, "{config}");
    assert_eq!(issuer, format!("{}/api/invoke/proj-1/auth", auth.issuer()));
    assert_eq!(config["refreshTokenTTL"], 600);
    assert_eq!(token_status, 200, "{token}");
    assert_eq!(
        common::jwt_payload(text(&token["access_token"]))["iss"],
        issuer
    );
    assert_eq!(read_back, config);
    assert_eq!(auth.tenant("proj-1").issuer(), issuer);
}

#[tokio::test]
async fn enabled_false_turns_a_tenants_endpoints_off_and_true_turns_them_back_on() {
    // Arrange
    let auth = MockAuth::start().await;
    post(&auth, "/config", json!({ "projectId": "p" })).await;
    let discovery = auth.tenant("p").discovery_url();

    // Act
    let (off_status, _) = post(
        &auth,
        "/config",
        json!({ "projectId": "p", "enabled": false }),
    )
    .await;
    let while_off = common::http().get(&discovery).send().await.unwrap();
    let while_off = common::status_json(while_off).await;
    post(
        &auth,
        "/config",
        json!({ "configId": "p", "enabled": true }),
    )
    .await;
    let back_on = common::http()
        .get(&discovery)
        .send()
        .await
        .unwrap()
        .status();

    // Assert
    assert_eq!(off_status, 200);
    assert_eq!(while_off.0, 404);
    assert_eq!(while_off.1["error"], "not_found");
    assert_eq!(back_on, 200);
}

#[tokio::test]
async fn error_simulation_set_over_http_fails_that_tenants_auth_calls() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let simulation = json!({
        "enabled": true, "errorRate": 100, "errorTypes": ["rate_limited"], "delayMs": 0
    });

    // Act
    let (status, config) = post(&auth, "/config", json!({ "errorSimulation": simulation })).await;
    let response = common::http()
        .post(auth.token_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let retry_after = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .to_owned();
    let token_status = response.status();

    // Assert
    assert_eq!(status, 200);
    assert_eq!(config["errorSimulation"], simulation);
    assert_eq!(token_status, 429);
    assert_eq!(retry_after, "1");
    assert_eq!(auth.error_simulation().error_rate, 100);
}

#[tokio::test]
async fn an_error_simulation_delay_over_ten_minutes_is_refused_and_changes_nothing() {
    // Arrange
    let auth = MockAuth::start().await;
    let simulation = json!({
        "enabled": true, "errorRate": 0, "errorTypes": [], "delayMs": 18_446_744_073_709_551_615u64
    });

    // Act
    let (status, body) = post(&auth, "/config", json!({ "errorSimulation": simulation })).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("errorSimulation.delayMs must be at most 600000"),
        "{body}"
    );
    assert_eq!(auth.error_simulation().delay_ms, 0);
}

#[tokio::test]
async fn clients_answers_201_with_credentials_that_work_in_the_named_tenant() {
    // Arrange
    let auth = MockAuth::start().await;
    post(&auth, "/config", json!({ "projectId": "acme" })).await;
    let acme = auth.tenant("acme");

    // Act
    let (status, client) = post(
        &auth,
        "/clients",
        json!({
            "configId": "acme",
            "clientName": "Mobile App Client",
            "grantTypes": ["client_credentials", "refresh_token"],
            "redirectUris": ["myapp://callback"],
            "scopes": ["openid", "profile", "email"]
        }),
    )
    .await;
    let id = text(&client["client_id"]);
    let secret = text(&client["client_secret"]);
    let (at_acme, _) = client_credentials(&acme.token_url(), id, secret).await;
    let (at_default, _) = client_credentials(&auth.token_url(), id, secret).await;

    // Assert
    assert_eq!(status, 201, "{client}");
    assert_eq!(client["client_name"], "Mobile App Client");
    assert_eq!(client["config_id"], "acme");
    assert_eq!(client["public"], false);
    assert_eq!(
        client["grant_types"],
        json!(["client_credentials", "refresh_token"])
    );
    assert_eq!(client["redirect_uris"], json!(["myapp://callback"]));
    assert_eq!(client["scopes"], json!(["openid", "profile", "email"]));
    assert!(id.starts_with("client_"), "{id}");
    assert_eq!(at_acme, 200);
    assert_eq!(at_default, 401);
}

#[tokio::test]
async fn a_public_client_gets_no_secret_and_fixed_ids_are_kept() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, client) = post(
        &auth,
        "/clients",
        json!({ "clientName": "SPA", "clientId": "spa", "public": true,
                "redirectUris": ["http://127.0.0.1:3000/cb"] }),
    )
    .await;

    // Assert
    assert_eq!(status, 201, "{client}");
    assert_eq!(client["client_id"], "spa");
    assert_eq!(client["public"], true);
    assert!(client.get("client_secret").is_none(), "{client}");
    assert_eq!(
        client["grant_types"],
        json!(["authorization_code", "refresh_token"])
    );
}

#[tokio::test]
async fn users_answers_201_and_the_user_can_log_in() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let (status, user) = post(
        &auth,
        "/users",
        json!({
            "username": "adminuser", "email": "admin@sandbox.test", "password": "adminpass",
            "roles": ["admin", "user"], "mfaEnabled": false, "claims": { "team": "blue" }
        }),
    )
    .await;
    let login = common::http()
        .post(auth.token_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[
            ("grant_type", "password"),
            ("username", "adminuser"),
            ("password", "adminpass"),
        ])
        .send()
        .await
        .unwrap();
    let (login_status, tokens) = common::status_json(login).await;

    // Assert
    assert_eq!(status, 201, "{user}");
    assert!(text(&user["id"]).starts_with("usr_"));
    assert_eq!(user["username"], "adminuser");
    assert_eq!(user["email"], "admin@sandbox.test");
    assert_eq!(user["roles"], json!(["admin", "user"]));
    assert_eq!(user["claims"], json!({ "team": "blue" }));
    assert_eq!(user["mfa_enabled"], false);
    assert!(user.get("totp_secret").is_none());
    assert!(user.get("password").is_none() && !user.to_string().contains("adminpass"));
    assert_eq!(login_status, 200, "{tokens}");
    let claims = common::jwt_payload(text(&tokens["access_token"]));
    assert_eq!(claims["sub"], user["id"]);
    assert_eq!(claims["team"], "blue");
}

#[tokio::test]
async fn a_user_with_mfa_gets_a_base32_totp_secret_and_an_mfa_challenge() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();

    // Act
    let (status, user) = post(
        &auth,
        "/users",
        json!({ "username": "mfauser", "email": "mfa@sandbox.test", "password": "securepass",
                "mfaEnabled": true }),
    )
    .await;
    let login = common::http()
        .post(auth.token_url())
        .json(&json!({
            "grant_type": "password", "client_id": client.client_id(),
            "client_secret": client.client_secret(), "username": "mfauser", "password": "securepass"
        }))
        .send()
        .await
        .unwrap();
    let (login_status, challenge) = common::status_json(login).await;

    // Assert
    assert_eq!(status, 201, "{user}");
    assert_eq!(user["mfa_enabled"], true);
    let secret = text(&user["totp_secret"]);
    assert_eq!(secret.len(), 32, "{secret}");
    assert!(secret
        .chars()
        .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)));
    assert_eq!(login_status, 403);
    assert_eq!(challenge["error"], "mfa_required");
}

#[tokio::test]
async fn clock_advances_the_servers_time_and_tokens_expire_with_it() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = common::password_login(&auth, "openid").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = auth.now();

    // Act
    let (status, clock) = post(&auth, "/clock", json!({ "advanceSeconds": 7200 })).await;
    let introspection = common::introspect(&auth, &token).await;

    // Assert
    assert_eq!(status, 200);
    let now = text(&clock["now"]);
    assert_eq!(now.len(), "2026-01-01T00:00:00.000Z".len(), "{now}");
    assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T', "{now}");
    let moved = auth.now().duration_since(before).unwrap().as_secs();
    assert!((7200..7260).contains(&moved), "moved {moved} s");
    assert_eq!(introspection["active"], false);
}

#[tokio::test]
async fn requests_lists_the_recorded_requests_with_secrets_redacted() {
    // Arrange
    let auth = MockAuth::start().await;
    common::password_login(&auth, "openid").await;
    common::http()
        .get(auth.discovery_url())
        .send()
        .await
        .unwrap();

    // Act
    let (status, all) = admin(&auth, "GET", "/requests", None).await;
    let (_, tokens_only) = admin(
        &auth,
        "GET",
        "/requests?endpoint=token&grant_type=password",
        None,
    )
    .await;
    let (bad_status, bad) = admin(&auth, "GET", "/requests?endpoint=tokn", None).await;

    // Assert
    assert_eq!(status, 200);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 2, "admin calls are not recorded: {all:?}");
    let login = &all[0];
    assert_eq!(login["method"], "POST");
    assert_eq!(login["endpoint"], "token");
    assert_eq!(login["grant_type"], "password");
    assert_eq!(login["username"], "testuser");
    assert_eq!(login["status"], 200);
    assert_eq!(login["injected"], false);
    assert_eq!(login["params"]["password"], "[redacted]");
    assert_eq!(login["params"]["client_secret"], "[redacted]");
    assert!(text(&login["at"]).ends_with('Z'));
    assert_eq!(all[1]["endpoint"], "discovery");
    assert_eq!(tokens_only.as_array().unwrap().len(), 1);
    assert_eq!(bad_status, 400);
    assert!(text(&bad["error_description"]).starts_with("endpoint must be one of discovery, jwks"));
}

#[tokio::test]
async fn no_or_a_wrong_admin_token_gets_401_and_changes_nothing() {
    // Arrange
    let auth = MockAuth::start().await;
    let url = format!("{}/api/auth-sandbox/config", auth.issuer());
    let body = json!({ "accessTokenTTL": 5 });

    // Act
    let none = common::http().post(&url).json(&body).send().await.unwrap();
    let none_challenge = none.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    let none = common::status_json(none).await;
    let wrong = common::http()
        .post(&url)
        .bearer_auth("adm_wrong")
        .json(&body)
        .send()
        .await
        .unwrap();
    let wrong = common::status_json(wrong).await;
    let basic = common::http()
        .get(format!("{}/api/auth-sandbox/requests", auth.issuer()))
        .basic_auth("admin", Some(auth.admin_token()))
        .send()
        .await
        .unwrap();
    let (_, config) = admin(&auth, "GET", "/config", None).await;

    // Assert
    assert_eq!(none.0, 401);
    assert_eq!(none.1["error"], "unauthorized");
    assert!(text(&none.1["error_description"])
        .starts_with("the admin API needs Authorization: Bearer <admin_token>"));
    assert_eq!(none_challenge, r#"Bearer realm="mockauth-admin""#);
    assert_eq!(wrong.0, 401);
    assert!(text(&wrong.1["error_description"])
        .starts_with("the bearer token is not this server's admin token"));
    assert_eq!(basic.status(), 401);
    assert_eq!(config["accessTokenTTL"], 3600);
}

#[tokio::test]
async fn a_bad_value_gets_400_naming_the_field() {
    // Arrange
    let auth = MockAuth::start().await;
    let cases = [
        ("/config", json!({ "accessTokenTTL": -5 }),
         "accessTokenTTL must be a positive integer of seconds (at most 315360000), found -5"),
        ("/config", json!({ "accessTokenTTL": "10" }),
         "accessTokenTTL: invalid type: string \"10\", expected a positive integer of seconds"),
        ("/config", json!({ "enabled": "yes" }),
         "enabled: invalid type: string \"yes\", expected a boolean"),
        ("/config", json!({ "accessTokenTtl": 10 }),
         "accessTokenTtl: unknown field; expected one of `configId`, `projectId`, `issuerPath`, `algorithm`, `enabled`, `accessTokenTTL`, `refreshTokenTTL`, `errorSimulation`"),
        ("/config", json!({ "errorSimulation": { "enabled": true, "errorRate": 150 } }),
         "errorSimulation.errorRate must be a percentage from 0 to 100, found 150"),
        ("/config", json!({ "errorSimulation": { "errorTypes": ["boom"] } }),
         "errorSimulation.errorTypes[0]: unknown variant `boom`, expected one of `invalid_client`, `expired_token`, `rate_limited`, `server_error`"),
        ("/config", json!({ "projectId": "a/b" }),
         "projectId: tenant id \"a/b\" must be 1 to 64 letters, digits, '-', '_', '.' or '~' (not \".\" or \"..\"), e.g. \"acme\""),
        ("/config", json!({ "algorithm": "RS512", "projectId": "x" }),
         "algorithm must be one of RS256, ES256, EdDSA, HS256; found \"RS512\""),
        ("/clients", json!({ "grantTypes": ["client_credentials"] }),
         "clientName: missing field"),
        ("/clients", json!({ "clientName": "x", "grantTypes": ["client_credentials", "implicit"] }),
         "grantTypes[1] must be one of authorization_code, client_credentials, password, refresh_token, urn:ietf:params:oauth:grant-type:jwt-bearer; found \"implicit\""),
        ("/clients", json!({ "clientName": "x", "redirectUris": ["localhost/cb"] }),
         "redirectUris[0]: redirect URI must be absolute; did you mean http://localhost/cb?"),
        ("/clients", json!({ "clientName": "x", "public": true, "clientSecret": "s" }),
         "clientSecret is refused: a public client has no secret; leave clientSecret out or set public to false"),
        ("/users", json!({ "username": "u", "email": "u@x.test" }),
         "password: missing field"),
        ("/users", json!({ "username": "u", "email": "not-an-email", "password": "p" }),
         "email must be an email address such as \"alice@example.test\", found \"not-an-email\""),
        ("/users", json!({ "username": "u", "email": "u@x.test", "password": "p", "claims": 5 }),
         "claims: invalid type: integer `5`, expected a map"),
        ("/clock", json!({ "advanceSeconds": -1 }),
         "advanceSeconds must be a non-negative integer of seconds (at most 315360000), found -1; the clock only moves forward"),
    ];

    for (path, body, expected) in cases {
        // Act
        let (status, error) = post(&auth, path, body.clone()).await;

        // Assert
        assert_eq!(status, 400, "{path} {body}: {error}");
        assert_eq!(error["error"], "invalid_request", "{path} {body}");
        assert_eq!(error["error_description"], expected, "{path} {body}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_gets_400_or_415() {
    // Arrange
    let auth = MockAuth::start().await;
    let url = format!("{}/api/auth-sandbox/users", auth.issuer());
    let send = |content_type: &'static str, body: &'static str| {
        common::http()
            .post(&url)
            .bearer_auth(auth.admin_token())
            .header("content-type", content_type)
            .body(body)
            .send()
    };

    // Act
    let malformed =
        common::status_json(send("application/json", "{\"username\": ").await.unwrap()).await;
    let array = common::status_json(send("application/json", "[1, 2]").await.unwrap()).await;
    let form = common::status_json(
        send("application/x-www-form-urlencoded", "username=u")
            .await
            .unwrap(),
    )
    .await;
    let huge = common::http()
        .post(&url)
        .bearer_auth(auth.admin_token())
        .json(&json!({ "username": "x".repeat(100_000) }))
        .send()
        .await
        .unwrap()
        .status();

    // Assert
    assert_eq!(malformed.0, 400);
    assert_eq!(
        malformed.1["error_description"],
        "malformed JSON: EOF while parsing a value (line 1)"
    );
    assert_eq!(array.0, 400);
    assert_eq!(
        array.1["error_description"],
        "the body must be a JSON object, e.g. {\"accessTokenTTL\": 600}"
    );
    assert_eq!(form.0, 415);
    assert_eq!(form.1["error_description"], "unsupported Content-Type \"application/x-www-form-urlencoded\"; the admin API takes application/json");
    assert_eq!(huge, 413);
}

#[tokio::test]
async fn an_unknown_config_id_gets_404_naming_the_known_tenants() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let client = post(
        &auth,
        "/clients",
        json!({ "configId": "ghost", "clientName": "x" }),
    )
    .await;
    let user = post(
        &auth,
        "/users",
        json!({ "configId": "ghost", "username": "u",
                                              "email": "u@x.test", "password": "p" }),
    )
    .await;
    let config = admin(&auth, "GET", "/config?configId=ghost", None).await;

    // Assert
    for (status, error) in [&client, &user, &config] {
        assert_eq!(*status, 404, "{error}");
        assert_eq!(error["error"], "not_found");
        assert!(
            text(&error["error_description"])
                .starts_with("configId: no tenant \"ghost\"; the tenants are [\"default\"]"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn a_taken_username_or_client_id_gets_409() {
    // Arrange
    let auth = MockAuth::start().await;
    let user = json!({ "username": "testuser", "email": "t@x.test", "password": "p" });
    let client = json!({ "clientName": "Web", "clientId": "web" });
    post(&auth, "/clients", client.clone()).await;

    // Act
    let (user_status, user_error) = post(&auth, "/users", user).await;
    let (client_status, client_error) = post(&auth, "/clients", client).await;

    // Assert
    assert_eq!(user_status, 409);
    assert_eq!(user_error["error"], "conflict");
    assert_eq!(
        user_error["error_description"],
        "username: user \"testuser\" already exists; pick another username"
    );
    assert_eq!(client_status, 409);
    assert_eq!(
        client_error["error_description"],
        "clientId: client \"web\" already exists; pick another id"
    );
}

#[tokio::test]
async fn a_refused_config_call_leaves_everything_as_it_was() {
    // Arrange
    let auth = MockAuth::start().await;
    let (_, before) = admin(&auth, "GET", "/config", None).await;

    // Act
    let bad_tail = post(
        &auth,
        "/config",
        json!({
            "projectId": "fresh", "accessTokenTTL": 10,
            "errorSimulation": { "enabled": true, "errorRate": 150 }
        }),
    )
    .await;
    let bad_default = post(
        &auth,
        "/config",
        json!({
            "accessTokenTTL": 10, "enabled": false, "refreshTokenTTL": 0
        }),
    )
    .await;
    let taken_path = post(
        &auth,
        "/config",
        json!({ "projectId": "other", "issuerPath": "" }),
    )
    .await;
    let fixed_path = post(&auth, "/config", json!({ "issuerPath": "/moved" })).await;
    let (_, after) = admin(&auth, "GET", "/config", None).await;

    // Assert
    assert_eq!(bad_tail.0, 400);
    assert_eq!(bad_default.0, 400);
    assert_eq!(
        bad_default.1["error_description"],
        "refreshTokenTTL must be a positive integer of seconds (at most 315360000), found 0"
    );
    assert_eq!(taken_path.0, 409);
    assert_eq!(
        taken_path.1["error_description"],
        "issuer path \"\" already belongs to tenant \"default\"; pick another"
    );
    assert_eq!(fixed_path.0, 400);
    assert_eq!(
        fixed_path.1["error_description"],
        "issuerPath is set only when a tenant is created; tenant \"default\" keeps \"\""
    );
    assert_eq!(after, before);
    assert_eq!(auth.tenant_ids(), ["default"]);
    assert!(!auth.error_simulation().enabled);
}

#[tokio::test]
async fn an_unknown_admin_path_gets_404_and_a_wrong_method_405() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (missing_status, missing) = admin(&auth, "GET", "/projects", None).await;
    let (method_status, method) = admin(&auth, "DELETE", "/users", None).await;

    // Assert
    assert_eq!(missing_status, 404);
    assert_eq!(missing["error_description"], "no admin endpoint at /api/auth-sandbox/projects; the admin endpoints below /api/auth-sandbox are config, clients, users, applications, clock, requests");
    assert_eq!(method_status, 405);
    assert_eq!(
        method["error_description"],
        "DELETE is not allowed on /api/auth-sandbox/users; use POST"
    );
}

#[tokio::test]
async fn an_empty_or_unknown_query_parameter_is_refused_not_taken_as_absent() {
    // Arrange: a shell's unset variable (`?endpoint=$EP`) or a typo must not read as "no
    // filter" (found by schemathesis against docs/openapi.json).
    let auth = MockAuth::start().await;

    // Act
    let (empty_filter, empty_filter_body) =
        admin(&auth, "GET", "/requests?endpoint=&grant_type=", None).await;
    let (empty_tenant, empty_tenant_body) = admin(&auth, "GET", "/config?projectId=", None).await;
    let (typo, typo_body) = admin(&auth, "GET", "/requests?endpont=token", None).await;
    let (fine, _) = admin(&auth, "GET", "/config?configId=default", None).await;

    // Assert
    assert_eq!(empty_filter, 400, "{empty_filter_body}");
    assert_eq!(empty_filter_body["error"], "invalid_request");
    assert_eq!(
        empty_filter_body["error_description"],
        "query parameter \"endpoint\" is empty; give it a value or leave it out"
    );
    assert_eq!(empty_tenant, 400, "{empty_tenant_body}");
    assert_eq!(
        empty_tenant_body["error_description"],
        "query parameter \"projectId\" is empty; give it a value or leave it out"
    );
    assert_eq!(typo, 400, "{typo_body}");
    assert_eq!(
        typo_body["error_description"],
        "unknown query parameter \"endpont\"; /api/auth-sandbox/requests takes endpoint, client_id, grant_type, username, status, limit, after"
    );
    assert_eq!(fine, 200);
}

#[tokio::test]
async fn an_issuer_path_or_tenant_id_that_makes_no_url_is_refused() {
    // Arrange: found by schemathesis, which made a tenant at "/$§" whose `issuer` was no URL
    // and whose endpoints no request could reach.
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = post(
        &auth,
        "/config",
        json!({ "projectId": "odd", "issuerPath": "/$§" }),
    )
    .await;
    let (dots, dots_body) = post(&auth, "/config", json!({ "projectId": ".." })).await;
    let (spaced, _) = post(
        &auth,
        "/config",
        json!({ "projectId": "spaced", "issuerPath": "/a b" }),
    )
    .await;
    let (lookup, _) = admin(&auth, "GET", "/config?configId=odd", None).await;
    let (fine, fine_body) = post(
        &auth,
        "/config",
        json!({ "projectId": "fine", "issuerPath": "/tenant-1/v2.0" }),
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_request");
    let description = text(&body["error_description"]);
    assert!(
        description.starts_with("issuerPath: issuer path \"/$§\" holds '§'"),
        "{description}"
    );
    assert_eq!(dots, 400, "{dots_body}");
    assert!(
        text(&dots_body["error_description"]).contains("not \".\" or \"..\""),
        "{dots_body}"
    );
    assert_eq!(spaced, 400);
    assert_eq!(lookup, 404, "a refused tenant is not made");
    assert_eq!(fine, 200, "{fine_body}");
    assert!(text(&fine_body["issuer"]).ends_with("/tenant-1/v2.0"));
}

#[tokio::test]
async fn a_body_of_whitespace_is_malformed_json_and_only_no_body_is_an_empty_object() {
    // Arrange: found by schemathesis (`POST /clock` with the body " " answered 200).
    let auth = MockAuth::start().await;
    let url = format!("{}/api/auth-sandbox/clock", auth.issuer());
    let send = |body: &'static str| {
        common::http()
            .post(&url)
            .bearer_auth(auth.admin_token())
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    // Act
    let (blank, blank_body) = common::status_json(send(" \n").await.unwrap()).await;
    let (none, none_body) = common::status_json(send("").await.unwrap()).await;

    // Assert
    assert_eq!(blank, 400, "{blank_body}");
    assert_eq!(blank_body["error"], "invalid_request");
    assert_eq!(
        blank_body["error_description"],
        "the body must be a JSON object, e.g. {\"accessTokenTTL\": 600}"
    );
    assert_eq!(none, 200, "{none_body}");
    assert!(none_body["now"].is_string());
}
