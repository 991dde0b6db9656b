//! Token round trips over loopback HTTP, against servers started once, through one reused
//! HTTP client (keep-alive), as a test would make them.
//!
//! Release (the `bench` profile): `cargo bench --bench token`
//! Debug (the `dev` profile, opt-level 0 for the crate and every dependency, i.e. what a
//! consumer's `cargo test` builds): `cargo bench --profile dev --bench token`
//!
//! `cargo bench --profile dev` works as is (no extra profile is needed); `CRITERION_HOME=DIR`
//! keeps the two profiles' results apart. Criterion's median is in
//! `target/criterion/token/<name>/new/estimates.json` (`.median.point_estimate`, in ns).
//!
//! - `client_credentials`: POST /token, client_secret_post, one RS256 access token.
//! - `code+pkce`: GET /authorize (S256 challenge; the 302 is not followed) → POST /token
//!   (code + verifier; RS256 access token and id_token) → GET /userinfo with the access token.
//! - `password`: POST /token with the default user's password (argon2id verify) and scope
//!   `openid profile email`: RS256 access token, id_token and a refresh token.
//! - `client_credentials_es256`: as the first, on a server that signs with ES256.
//! - `refresh/10th` and `refresh/12000th`: one refresh-token rotation (RS256 access token,
//!   id_token, new refresh token) of a session rotated 10 times, and of one rotated 12,000
//!   times before the measurement: a session's refresh cost must not grow with its age.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use criterion::Criterion;
use mockauth::{Algorithm, MockAuth};
use serde_json::Value;

const REDIRECT_URI: &str = "http://127.0.0.1:8080/callback";
const VERIFIER: &str = "bench-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";

/// One server and the client of the bench.
struct Target {
    auth: MockAuth,
    client_id: String,
    client_secret: String,
}

impl Target {
    fn new(auth: MockAuth) -> Self {
        let client = auth.default_client();
        Self {
            client_id: client.client_id().to_owned(),
            client_secret: client
                .client_secret()
                .expect("a confidential client")
                .to_owned(),
            auth,
        }
    }
}

/// Rotates a refresh token once; returns the new one.
async fn refresh(http: &reqwest::Client, target: &Target, token: &str) -> String {
    let answer = post_token(
        http,
        target,
        &[("grant_type", "refresh_token"), ("refresh_token", token)],
    )
    .await;
    answer["refresh_token"]
        .as_str()
        .expect("a rotated refresh token")
        .to_owned()
}

async fn post_token(http: &reqwest::Client, target: &Target, form: &[(&str, &str)]) -> Value {
    let mut body = vec![
        ("client_id", target.client_id.as_str()),
        ("client_secret", target.client_secret.as_str()),
    ];
    body.extend_from_slice(form);
    let response = http
        .post(target.auth.token_url())
        .form(&body)
        .send()
        .await
        .expect("POST /token");
    let status = response.status();
    let json: Value = response.json().await.expect("a JSON token response");
    assert!(status.is_success(), "POST /token answered {status}: {json}");
    json
}

async fn client_credentials(http: &reqwest::Client, target: &Target) -> Value {
    post_token(http, target, &[("grant_type", "client_credentials")]).await
}

async fn password_login(http: &reqwest::Client, target: &Target) -> Value {
    post_token(
        http,
        target,
        &[
            ("grant_type", "password"),
            ("username", mockauth::DEFAULT_USERNAME),
            ("password", mockauth::DEFAULT_PASSWORD),
            ("scope", "openid profile email"),
        ],
    )
    .await
}

async fn code_flow(http: &reqwest::Client, target: &Target, challenge: &str) -> Value {
    let response = http
        .get(target.auth.authorize_url())
        .query(&[
            ("response_type", "code"),
            ("client_id", target.client_id.as_str()),
            ("redirect_uri", REDIRECT_URI),
            ("scope", "openid profile email"),
            ("state", "bench-state"),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .expect("GET /authorize");
    assert_eq!(response.status(), 302, "GET /authorize did not redirect");
    let location = response.headers()["location"]
        .to_str()
        .expect("an ASCII Location");
    let query = location.split_once('?').map_or("", |(_, q)| q);
    let code = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("a code in the redirect");

    let tokens = post_token(
        http,
        target,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    let access_token = tokens["access_token"].as_str().expect("an access_token");
    let response = http
        .get(target.auth.userinfo_url())
        .bearer_auth(access_token)
        .send()
        .await
        .expect("GET /userinfo");
    let status = response.status();
    let profile: Value = response.json().await.expect("a JSON userinfo response");
    assert!(
        status.is_success(),
        "GET /userinfo answered {status}: {profile}"
    );
    profile
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime for the client");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let rs256 = Target::new(MockAuth::start_blocking());
    let es256 = Target::new(
        MockAuth::builder()
            .algorithm(Algorithm::ES256)
            .start_blocking(),
    );
    let challenge = B64.encode(aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        VERIFIER.as_bytes(),
    ));

    // Check every flow once, so that a broken flow fails here rather than being timed.
    runtime.block_on(async {
        assert!(client_credentials(&http, &rs256).await["access_token"].is_string());
        assert!(client_credentials(&http, &es256).await["access_token"].is_string());
        assert!(password_login(&http, &rs256).await["id_token"].is_string());
        assert!(code_flow(&http, &rs256, &challenge).await["sub"].is_string());
    });

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("token");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("client_credentials", |b| {
        b.iter(|| runtime.block_on(client_credentials(&http, &rs256)));
    });
    group.bench_function("code+pkce", |b| {
        b.iter(|| runtime.block_on(code_flow(&http, &rs256, &challenge)));
    });
    group.bench_function("password", |b| {
        b.iter(|| runtime.block_on(password_login(&http, &rs256)));
    });
    group.bench_function("client_credentials_es256", |b| {
        b.iter(|| runtime.block_on(client_credentials(&http, &es256)));
    });
    // Both sessions are made before either is timed, so both are timed on a server of the
    // same age (a full journal, the same number of sessions): only the session's age differs.
    let sessions = [("refresh/10th", 10), ("refresh/12000th", 12_000)].map(|(name, age)| {
        let token = runtime.block_on(async {
            let mut token = password_login(&http, &rs256).await["refresh_token"]
                .as_str()
                .expect("a refresh token")
                .to_owned();
            for _ in 0..age {
                token = refresh(&http, &rs256, &token).await;
            }
            token
        });
        (name, std::cell::RefCell::new(token))
    });
    for (name, session) in &sessions {
        group.bench_function(*name, |b| {
            b.iter(|| {
                let next = runtime.block_on(refresh(&http, &rs256, &session.borrow()));
                *session.borrow_mut() = next;
            });
        });
    }
    group.finish();
    c.final_summary();
}
