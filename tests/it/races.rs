//! Races: many clients presenting the same single-use thing at once. Exactly one wins,
//! on every face that hands out such things.

use mockauth::{Face, IdentityRateLimits, MockAuth};
use serde_json::{json, Value};

use crate::common::{authorize_default, http, password_login, REDIRECT_URI};

const RACERS: usize = 64;

/// Runs `RACERS` copies of `call` at once and returns their statuses.
async fn race<F, Fut>(call: F) -> Vec<u16>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = u16> + Send + 'static,
{
    // Spawned first, awaited after: all of them are in flight together.
    let handles: Vec<_> = (0..RACERS).map(|_| tokio::spawn(call())).collect();
    let mut statuses = Vec::with_capacity(RACERS);
    for handle in handles {
        statuses.push(handle.await.unwrap());
    }
    statuses
}

fn winners(statuses: &[u16], ok: u16) -> usize {
    statuses.iter().filter(|&&s| s == ok).count()
}

async fn post_form(url: String, form: Vec<(String, String)>) -> u16 {
    http()
        .post(url)
        .form(&form)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn post_json(url: String, headers: Vec<(String, String)>, body: Value) -> u16 {
    let mut request = http().post(url).json(&body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_refresh_token_presented_64_times_at_once_wins_once() {
    // Arrange
    let auth = MockAuth::builder().worker_threads(2).start().await;
    let login = password_login(&auth, "openid offline_access").await;
    let client = auth.default_client();
    let form = vec![
        ("grant_type".to_owned(), "refresh_token".to_owned()),
        (
            "refresh_token".to_owned(),
            login["refresh_token"].as_str().unwrap().to_owned(),
        ),
        ("client_id".to_owned(), client.client_id().to_owned()),
        (
            "client_secret".to_owned(),
            client.client_secret().unwrap().to_owned(),
        ),
    ];
    let url = auth.token_url();

    // Act
    let statuses = race(|| post_form(url.clone(), form.clone())).await;

    // Assert
    assert_eq!(winners(&statuses, 200), 1, "{statuses:?}");
    assert_eq!(winners(&statuses, 400), RACERS - 1, "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_code_exchanged_64_times_at_once_wins_once() {
    // Arrange
    let auth = MockAuth::builder().worker_threads(2).start().await;
    let (code, verifier) = authorize_default(&auth, &[]).await;
    let client = auth.default_client();
    let form = vec![
        ("grant_type".to_owned(), "authorization_code".to_owned()),
        ("code".to_owned(), code),
        ("redirect_uri".to_owned(), REDIRECT_URI.to_owned()),
        ("code_verifier".to_owned(), verifier),
        ("client_id".to_owned(), client.client_id().to_owned()),
        (
            "client_secret".to_owned(),
            client.client_secret().unwrap().to_owned(),
        ),
    ];
    let url = auth.token_url();

    // Act
    let statuses = race(|| post_form(url.clone(), form.clone())).await;

    // Assert
    assert_eq!(winners(&statuses, 200), 1, "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn identity_and_service_refresh_tokens_raced_64_times_win_once() {
    // Arrange
    let auth = MockAuth::builder()
        .worker_threads(2)
        .face(Face::identity().rate_limits(IdentityRateLimits::off()))
        .face(Face::service().at("/svc"))
        .start()
        .await;
    let app = auth.application("billing").create();
    let identity_login: Value = http()
        .post(format!("{}/auth/login", auth.issuer()))
        .json(&json!({"username": "testuser", "password": "password123"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let service_login: Value = http()
        .post(auth.service_url("/auth/login"))
        .header("x-application-secret", app.secret())
        .json(&json!({"identifier": "testuser", "password": "password123"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let identity_url = format!("{}/auth/refresh", auth.issuer());
    let identity_body = json!({ "refreshToken": identity_login["refreshToken"] });
    let service_url = auth.service_url("/auth/refresh");
    let service_body = json!({ "refreshToken": service_login["refreshToken"] });
    let secret = vec![("x-application-secret".to_owned(), app.secret().to_owned())];

    // Act
    let identity =
        race(|| post_json(identity_url.clone(), Vec::new(), identity_body.clone())).await;
    let service =
        race(|| post_json(service_url.clone(), secret.clone(), service_body.clone())).await;

    // Assert
    assert_eq!(winners(&identity, 200), 1, "{identity:?}");
    assert_eq!(winners(&service, 200), 1, "{service:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_username_created_64_times_at_once_exists_once() {
    // Arrange
    let auth = MockAuth::builder().worker_threads(2).start().await;
    let url = format!("{}/api/auth-sandbox/users", auth.issuer());
    let admin = vec![(
        "authorization".to_owned(),
        format!("Bearer {}", auth.admin_token()),
    )];
    let body = json!({"username": "racer", "email": "racer@example.test", "password": "pw-pw-pw"});

    // Act
    let statuses = race(|| post_json(url.clone(), admin.clone(), body.clone())).await;

    // Assert
    assert_eq!(winners(&statuses, 201), 1, "{statuses:?}");
    assert_eq!(winners(&statuses, 409), RACERS - 1, "{statuses:?}");
}
