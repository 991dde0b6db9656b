//! The rules every face shares, driven through each face that honours them: one lockout
//! for every password login, a management guard that wants a password-proven token, no
//! grant above the granter, and errors to unauthenticated callers that list nothing.

use std::time::Duration;

use mockauth::{Face, IdentityRateLimits, MockAuth};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::identity::{assert_error, login, read, Answer};
use crate::common::{http, pkce_pair, status_json, token_request};

/// The identity face (no rate limits) at the issuer, the service face below `/svc`, and a
/// user `alice`.
async fn every_face() -> MockAuth {
    let auth = MockAuth::builder()
        .face(Face::identity().rate_limits(IdentityRateLimits::off()))
        .face(Face::service().at("/svc"))
        .start()
        .await;
    auth.user("alice").password("alice-pw").create();
    auth
}

async fn password_grant(auth: &MockAuth, username: &str, password: &str) -> (u16, Value) {
    let form = [
        ("grant_type", "password"),
        ("username", username),
        ("password", password),
    ];
    token_request(auth, &form).await
}

async fn basic(auth: &MockAuth, username: &str, password: &str) -> u16 {
    let url = format!("{}/basic", auth.issuer());
    let answer = http()
        .get(url)
        .basic_auth(username, Some(password))
        .send()
        .await
        .unwrap();
    answer.status().as_u16()
}

async fn service_login(auth: &MockAuth, secret: &str, username: &str, password: &str) -> u16 {
    let body = json!({ "identifier": username, "password": password });
    let answer = http()
        .post(auth.service_url("/auth/login"))
        .header("x-application-secret", secret)
        .json(&body)
        .send()
        .await
        .unwrap();
    answer.status().as_u16()
}

#[tokio::test]
async fn five_failures_spread_over_four_faces_lock_the_user_on_every_face() {
    // Arrange
    let auth = every_face().await;
    let app = auth.application("billing").create();

    // Act: two wrong passwords at /token, one at /basic, one at each face's login.
    password_grant(&auth, "alice", "wrong").await;
    password_grant(&auth, "alice", "wrong").await;
    assert_eq!(basic(&auth, "alice", "wrong").await, 401);
    assert_eq!(
        service_login(&auth, app.secret(), "alice", "wrong").await,
        401
    );
    let fifth = login(&auth, "alice", "wrong").await;

    // Assert: the fifth failure locks, and the right password is refused everywhere.
    assert_error(&fifth, 401, "InvalidCredentials");
    assert_eq!(fifth.body["details"]["remainingAttempts"], 0);
    let (status, body) = password_grant(&auth, "alice", "alice-pw").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("locked"),
        "{body}"
    );
    assert_eq!(basic(&auth, "alice", "alice-pw").await, 401);
    assert_eq!(
        service_login(&auth, app.secret(), "alice", "alice-pw").await,
        401
    );
    let identity = login(&auth, "alice", "alice-pw").await;
    assert_error(&identity, 401, "InvalidCredentials");
    assert_eq!(identity.body["details"]["lockoutMinutes"], 30);
    // Another user is not affected.
    assert_eq!(
        password_grant(&auth, "testuser", "password123").await.0,
        200
    );

    // Act: the lockout ends on the server clock.
    auth.advance(Duration::from_secs(30 * 60));

    // Assert
    assert_eq!(password_grant(&auth, "alice", "alice-pw").await.0, 200);
    assert_eq!(basic(&auth, "alice", "alice-pw").await, 200);
    assert_eq!(
        service_login(&auth, app.secret(), "alice", "alice-pw").await,
        200
    );
    assert_eq!(login(&auth, "alice", "alice-pw").await.status, 200);
}

#[tokio::test]
async fn two_hundred_wrong_guesses_at_the_token_endpoint_are_counted() {
    // Arrange
    let auth = every_face().await;

    // Act
    for _ in 0..200 {
        password_grant(&auth, "alice", "guess").await;
    }

    // Assert: the lockout runs; the count did not lose a guess.
    let (status, body) = password_grant(&auth, "alice", "alice-pw").await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("locked"));
}

#[tokio::test]
async fn an_unknown_name_counts_down_exactly_as_a_known_one() {
    // Arrange
    let auth = every_face().await;

    // Act
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..6 {
        known.push(login(&auth, "alice", "wrong").await);
        unknown.push(login(&auth, "nobody-here", "wrong").await);
    }

    // Assert: the same statuses, bodies and countdown, so nothing tells the names apart.
    for (k, u) in known.iter().zip(&unknown) {
        assert_eq!(k.status, u.status);
        assert_eq!(
            k.body["details"], u.body["details"],
            "{} vs {}",
            k.body, u.body
        );
        assert_eq!(k.body["message"], u.body["message"]);
    }
    let countdown: Vec<&Value> = unknown
        .iter()
        .map(|a| &a.body["details"]["remainingAttempts"])
        .collect();
    assert_eq!(countdown, [4, 3, 2, 1, 0, 0]);
}

/// `POST {issuer}{path}` to the identity face with the admin token.
async fn as_admin(auth: &MockAuth, path: &str, body: Value) -> Answer {
    let request = http()
        .post(format!("{}{path}", auth.issuer()))
        .bearer_auth(auth.admin_token())
        .json(&body);
    read(request.send().await.unwrap()).await
}

/// `GET {issuer}/users` with a bearer token.
async fn list_users(auth: &MockAuth, token: &str) -> Answer {
    let request = http()
        .get(format!("{}/users", auth.issuer()))
        .bearer_auth(token);
    read(request.send().await.unwrap()).await
}

/// A user `boss` who holds `Users:Manage` through the role `manager`.
async fn with_a_manager(auth: &MockAuth) {
    let role = json!({"name": "manager", "permissions": ["Users:Manage"]});
    assert_eq!(as_admin(auth, "/roles", role).await.status, 201);
    auth.user("boss")
        .password("boss-pw")
        .roles(["manager"])
        .create();
}

#[tokio::test]
async fn a_token_from_an_auto_approved_authorize_cannot_manage_users() {
    // Arrange: a public PKCE client gets a token for boss without any password.
    let auth = every_face().await;
    with_a_manager(&auth).await;
    let redirect = "http://127.0.0.1:9/cb";
    auth.client("spa").public().redirect_uri(redirect).create();
    let (verifier, challenge) = pkce_pair("hinted-login");
    let authorize = http()
        .get(auth.authorize_url())
        .query(&[
            ("response_type", "code"),
            ("client_id", "spa"),
            ("redirect_uri", redirect),
            ("scope", "openid"),
            ("login_hint", "boss"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(authorize.status(), StatusCode::FOUND);
    let code = crate::common::location_param(&authorize, "code").unwrap();
    let exchange = http()
        .post(auth.token_url())
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", "spa"),
            ("code", code.as_str()),
            ("redirect_uri", redirect),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let (status, hinted) = status_json(exchange).await;
    assert_eq!(status, 200, "{hinted}");

    // Act
    let refused = list_users(&auth, hinted["access_token"].as_str().unwrap()).await;
    let (_, proven) = password_grant(&auth, "boss", "boss-pw").await;
    let accepted = list_users(&auth, proven["access_token"].as_str().unwrap()).await;
    let apikey = http()
        .post(format!("{}/apikeys", auth.issuer()))
        .bearer_auth(hinted["access_token"].as_str().unwrap())
        .json(&json!({"name": "k", "permissions": []}))
        .send()
        .await
        .unwrap();

    // Assert
    assert_error(&refused, 401, "Unauthorized");
    assert!(refused.body["message"]
        .as_str()
        .unwrap()
        .contains("password"));
    assert_eq!(apikey.status(), 401);
    assert_eq!(accepted.status, 200, "{}", accepted.body);
}

#[tokio::test]
async fn a_client_credentials_token_cannot_manage_users() {
    // Arrange
    let auth = every_face().await;
    let (_, body) = token_request(&auth, &[("grant_type", "client_credentials")]).await;

    // Act
    let answer = list_users(&auth, body["access_token"].as_str().unwrap()).await;

    // Assert
    assert_error(&answer, 401, "Unauthorized");
}

#[tokio::test]
async fn an_api_key_may_not_mint_a_key_with_permissions_it_lacks() {
    // Arrange: a key that may manage API keys, and nothing else.
    let auth = every_face().await;
    let made = as_admin(
        &auth,
        "/apikeys",
        json!({"name": "keys-only", "permissions": ["ApiKeys:Manage"]}),
    )
    .await;
    let key = made.body["key"].as_str().unwrap().to_owned();
    let with_key = |body: Value| {
        http()
            .post(format!("{}/apikeys", auth.issuer()))
            .header("x-api-key", key.clone())
            .json(&body)
            .send()
    };

    // Act
    let escalation = read(
        with_key(json!({"name": "all", "permissions": ["ApiKeys:Manage", "Users:Manage"]}))
            .await
            .unwrap(),
    )
    .await;
    let same_level = read(
        with_key(json!({"name": "peer", "permissions": ["ApiKeys:Manage"]}))
            .await
            .unwrap(),
    )
    .await;

    // Assert
    assert_error(&escalation, 403, "Forbidden");
    assert_eq!(
        escalation.body["details"]["requiredPermission"],
        "Users:Manage"
    );
    assert_eq!(same_level.status, 201, "{}", same_level.body);
}

#[tokio::test]
async fn a_user_manager_may_not_give_a_role_or_user_more_than_it_holds() {
    // Arrange: boss manages users and roles, but holds no ApiKeys:Manage.
    let auth = every_face().await;
    let role = json!({"name": "manager", "permissions": ["Users:Manage", "Roles:Manage"]});
    assert_eq!(as_admin(&auth, "/roles", role).await.status, 201);
    let keys = json!({"name": "key-admin", "permissions": ["ApiKeys:Manage"]});
    assert_eq!(as_admin(&auth, "/roles", keys).await.status, 201);
    auth.user("boss")
        .password("boss-pw")
        .roles(["manager"])
        .create();
    let token = login(&auth, "boss", "boss-pw").await.body["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let post = |path: &'static str, body: Value| {
        http()
            .post(format!("{}{path}", auth.issuer()))
            .bearer_auth(token.clone())
            .json(&body)
            .send()
    };

    // Act
    let role = read(
        post(
            "/roles",
            json!({"name": "sneaky", "permissions": ["ApiKeys:Manage"]}),
        )
        .await
        .unwrap(),
    )
    .await;
    let user = read(
        post(
            "/users",
            json!({"username": "kim", "email": "kim@example.test", "password": "kimkimkim1!",
                   "roles": ["key-admin"]}),
        )
        .await
        .unwrap(),
    )
    .await;
    let modest = read(
        post(
            "/users",
            json!({"username": "lee", "email": "lee@example.test", "password": "leeleelee1!",
                   "permissions": ["Users:Manage"]}),
        )
        .await
        .unwrap(),
    )
    .await;

    // Assert
    assert_error(&role, 403, "Forbidden");
    assert_eq!(role.body["details"]["requiredPermission"], "ApiKeys:Manage");
    assert_error(&user, 403, "Forbidden");
    assert_eq!(user.body["details"]["requiredPermission"], "ApiKeys:Manage");
    assert_eq!(modest.status, 201, "{}", modest.body);
}

#[tokio::test]
async fn errors_to_unauthenticated_callers_name_no_registered_client_or_application() {
    // Arrange
    let auth = every_face().await;
    let default_id = auth.default_client().client_id().to_owned();
    auth.client("web")
        .redirect_uri("http://127.0.0.1:9/registered-callback")
        .create();
    auth.application("secret-billing").create();

    // Act
    let unknown_client = http()
        .post(auth.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "nope"),
            ("client_secret", "x"),
        ])
        .send()
        .await
        .unwrap();
    let (_, unknown_client) = status_json(unknown_client).await;
    let mismatch = http()
        .get(auth.authorize_url())
        .query(&[
            ("response_type", "code"),
            ("client_id", "web"),
            ("redirect_uri", "http://127.0.0.1:9/other"),
        ])
        .send()
        .await
        .unwrap();
    let mismatch = mismatch.text().await.unwrap();
    let no_app = http()
        .post(auth.service_url("/auth/login"))
        .header("x-application-secret", "guessed")
        .json(&json!({"identifier": "alice", "password": "alice-pw"}))
        .send()
        .await
        .unwrap();
    let no_app = no_app.text().await.unwrap();

    // Assert
    assert_eq!(unknown_client["error"], "invalid_client");
    let description = unknown_client["error_description"].as_str().unwrap();
    assert!(!description.contains(&default_id), "{description}");
    assert!(!description.contains("web"), "{description}");
    assert!(mismatch.contains("invalid_request"), "{mismatch}");
    assert!(!mismatch.contains("registered-callback"), "{mismatch}");
    assert!(no_app.contains("invalid_application_secret"), "{no_app}");
    assert!(!no_app.contains("secret-billing"), "{no_app}");
}

/// `POST {origin}/api/auth-sandbox{path}` with the admin token.
async fn admin_api(auth: &MockAuth, path: &str, body: Value) -> (u16, Value) {
    let response = http()
        .post(format!("{}/api/auth-sandbox{path}", auth.issuer()))
        .bearer_auth(auth.admin_token())
        .json(&body)
        .send()
        .await
        .unwrap();
    status_json(response).await
}

#[tokio::test]
async fn usernames_and_emails_are_unique_regardless_of_case_on_every_entry() {
    // Arrange: alice exists (made by a fixture, email alice@example.test).
    let auth = every_face().await;
    let app = auth.application("billing").create();

    // Act: the same names in other cases, through the admin API, the identity face and the
    // service face.
    let admin_same_email = admin_api(
        &auth,
        "/users",
        json!({"username": "alice2", "email": "ALICE@example.test", "password": "pw-pw-pw-1"}),
    )
    .await;
    let admin_same_name = admin_api(
        &auth,
        "/users",
        json!({"username": "Alice", "email": "other@example.test", "password": "pw-pw-pw-1"}),
    )
    .await;
    let identity = as_admin(
        &auth,
        "/users",
        json!({"username": "TESTUSER", "email": "t2@example.test", "password": "Passw0rd!x"}),
    )
    .await;
    let service = http()
        .post(auth.service_url("/auth/register"))
        .header("x-application-secret", app.secret())
        .json(&json!({"identifier": "Alice@Example.test", "password": "pw", "type": "user", "refId": "r1"}))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(admin_same_email.0, 409, "{}", admin_same_email.1);
    assert!(
        admin_same_email.1["error_description"]
            .as_str()
            .unwrap()
            .starts_with("email:"),
        "{}",
        admin_same_email.1
    );
    assert_eq!(admin_same_name.0, 409, "{}", admin_same_name.1);
    assert_error(&identity, 409, "Conflict");
    assert_eq!(service.status(), 409);
    // Nothing was half made.
    assert!(auth.service_account("alice2").is_none());
    assert!(auth.service_account("other@example.test").is_none());
    assert!(auth.service_account("t2@example.test").is_none());
}

#[tokio::test]
#[should_panic(expected = "already exists")]
async fn a_fixture_refuses_a_username_that_differs_only_in_case() {
    let auth = MockAuth::start().await;
    auth.user("alice").create();
    auth.user("ALICE").create();
}

#[test]
#[should_panic(expected = "where the admin API lives")]
fn the_default_tenant_cannot_live_below_the_admin_api_either() {
    let _ = MockAuth::builder().issuer_path("/api/auth-sandbox/acme");
}

#[tokio::test]
async fn a_caller_without_the_client_secret_cannot_lock_users_out_at_the_token_endpoint() {
    // Arrange
    let auth = every_face().await;
    let client_id = auth.default_client().client_id().to_owned();

    // Act: ten wrong guesses with a wrong client secret.
    for _ in 0..10 {
        let answer = http()
            .post(auth.token_url())
            .form(&[
                ("grant_type", "password"),
                ("client_id", client_id.as_str()),
                ("client_secret", "not-the-secret"),
                ("username", "alice"),
                ("password", "guess"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 401);
    }

    // Assert: nothing was counted; alice logs in.
    assert_eq!(password_grant(&auth, "alice", "alice-pw").await.0, 200);
}

#[tokio::test]
async fn impersonating_a_user_who_holds_more_is_refused() {
    // Arrange: boss may manage users only; alice is an API-key admin.
    let auth = every_face().await;
    with_a_manager(&auth).await;
    let keys = json!({"name": "key-admin", "permissions": ["ApiKeys:Manage", "Users:Manage"]});
    assert_eq!(as_admin(&auth, "/roles", keys).await.status, 201);
    let powerful = auth
        .user("carol")
        .password("carol-pw")
        .roles(["key-admin"])
        .create();
    let modest = auth
        .user("dave")
        .password("dave-pw")
        .roles(["manager"])
        .create();
    let token = login(&auth, "boss", "boss-pw").await.body["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let impersonate = |id: String| {
        http()
            .post(format!("{}/auth/impersonate", auth.issuer()))
            .bearer_auth(token.clone())
            .json(&json!({ "userId": id }))
            .send()
    };

    // Act
    let refused = read(impersonate(powerful.id().to_owned()).await.unwrap()).await;
    let allowed = read(impersonate(modest.id().to_owned()).await.unwrap()).await;

    // Assert
    assert_error(&refused, 403, "Forbidden");
    assert_eq!(
        refused.body["details"]["requiredPermission"],
        "ApiKeys:Manage"
    );
    assert_eq!(allowed.status, 200, "{}", allowed.body);
}
