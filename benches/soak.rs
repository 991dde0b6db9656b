//! A soak: 1,000,000 tokens over HTTP with fault rules on and refresh rotation, while the
//! server clock moves three hours between rounds so that sessions expire and are forgotten.
//! Memory must end within 10 % of where it was after the first 100,000 tokens, and every
//! access token must verify against the server's JWKS.
//!
//! Release (the `bench` profile): `cargo bench --bench soak`
//! Fewer tokens: `MOCKAUTH_SOAK_TOKENS=200000 cargo bench --bench soak`
//!
//! Linux only for the memory figures (VmRSS from `/proc/self/status`). One server with a
//! frozen clock, 1 h refresh tokens, and three fault rules on the token endpoint: 2 % of
//! calls answer 503, 1 % answer 429, 1 % are delayed 2 ms. 16 client tasks share one
//! keep-alive pool; each opens a session with the password grant (`profile offline_access`: an access and a
//! refresh token, no id_token) and
//! rotates its refresh token 9 times, again and again: 1,000 sessions per round of 10,000
//! tokens. An injected 503 or 429 is retried with the same request (faults answer before
//! the endpoint runs, so the refresh token is still live). Between rounds the clock moves
//! 3 h: every session of the round expires, and is forgotten a day of server time later.
//!
//! Prints the figures; panics on any unverifiable token, any refusal that no fault rule
//! injected, or memory growth past the bound. `MOCKAUTH_SOAK_TRACE=1` prints VmRSS and the
//! ledger's record counts every 5 rounds.
//!
//! The bound caught a table that grew under churn and never shrank (one 2.3 MiB step at
//! ~600,000 tokens, +14–19 % at the end); the ledger now rebuilds such tables on pruning.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};
use mockauth::{Endpoint, Fault, MockAuth};
use serde_json::Value;

const TOKENS_PER_ROUND: u64 = 10_000;
const TASKS: u64 = 16;
const ROTATIONS_PER_SESSION: u64 = 9;
const CLOCK_STEP: Duration = Duration::from_secs(3 * 3600);
const CHECKPOINT: u64 = 100_000;
const GROWTH_BOUND: f64 = 1.10;

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| {
            let rest = line.strip_prefix("VmRSS:")?;
            rest.split_whitespace().next()?.parse().ok()
        })
        .unwrap_or(0)
}

/// What one client task saw.
#[derive(Default)]
struct Tally {
    tokens: u64,
    injected: u64,
}

struct Target {
    auth: MockAuth,
    token_url: String,
    client_id: String,
    client_secret: String,
    /// The JWKS's keys by `kid`, parsed once.
    keys: std::collections::HashMap<String, DecodingKey>,
    validation: Validation,
}

impl Target {
    /// POSTs `form` to `/token` until no fault answers (503/429), and checks what comes back.
    async fn token(
        &self,
        http: &reqwest::Client,
        form: &[(&str, &str)],
        tally: &mut Tally,
    ) -> String {
        let mut body = vec![
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.as_str()),
        ];
        body.extend_from_slice(form);
        loop {
            let response = http
                .post(&self.token_url)
                .form(&body)
                .send()
                .await
                .expect("POST /token");
            let status = response.status().as_u16();
            let answer: Value = response.json().await.unwrap_or(Value::Null);
            if status == 503 || status == 429 {
                tally.injected += 1;
                continue;
            }
            assert_eq!(status, 200, "a refusal no fault injected: {answer}");
            let access = answer["access_token"].as_str().expect("an access token");
            self.verify(access);
            tally.tokens += 1;
            return answer["refresh_token"]
                .as_str()
                .expect("a refresh token")
                .to_owned();
        }
    }

    fn verify(&self, token: &str) {
        let header = decode_header(token).expect("a JWT header");
        let kid = header.kid.expect("a kid");
        let key = self.keys.get(&kid).expect("the kid is in the JWKS");
        decode::<Value>(token, key, &self.validation).expect("the token verifies");
    }
}

async fn session(target: &Target, http: &reqwest::Client, tally: &mut Tally) {
    let login = [
        ("grant_type", "password"),
        ("username", mockauth::DEFAULT_USERNAME),
        ("password", mockauth::DEFAULT_PASSWORD),
        ("scope", "profile offline_access"),
    ];
    let mut refresh = target.token(http, &login, tally).await;
    for _ in 0..ROTATIONS_PER_SESSION {
        let form = [("grant_type", "refresh_token"), ("refresh_token", &refresh)];
        refresh = target.token(http, &form, tally).await;
    }
}

fn main() {
    let total: u64 = std::env::var("MOCKAUTH_SOAK_TOKENS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime for the clients");
    let auth = MockAuth::builder()
        .frozen_clock()
        .refresh_token_ttl(Duration::from_secs(3600))
        .start_blocking();
    auth.fault(Endpoint::Token)
        .with_probability(0.02)
        .inject(Fault::unavailable())
        .mount();
    auth.fault(Endpoint::Token)
        .with_probability(0.01)
        .inject(Fault::rate_limited())
        .mount();
    auth.fault(Endpoint::Token)
        .with_probability(0.01)
        .inject(Fault::delay(Duration::from_millis(2)))
        .mount();
    let http = reqwest::Client::new();
    let jwks: JwkSet = runtime.block_on(async {
        let response = http.get(auth.jwks_url()).send().await.expect("GET jwks");
        response.json().await.expect("a JWKS")
    });
    let keys = jwks
        .keys
        .iter()
        .filter_map(|jwk| {
            let kid = jwk.common.key_id.clone()?;
            Some((kid, DecodingKey::from_jwk(jwk).expect("a usable JWK")))
        })
        .collect();
    let client = auth.default_client();
    let mut validation = Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[client.client_id()]);
    validation.set_issuer(&[auth.issuer()]);
    let target = Arc::new(Target {
        token_url: auth.token_url(),
        client_id: client.client_id().to_owned(),
        client_secret: client.client_secret().expect("confidential").to_owned(),
        keys,
        validation,
        auth,
    });

    let started = Instant::now();
    let at_start = rss_kib();
    let (mut tokens, mut injected, mut rounds) = (0u64, 0u64, 0u64);
    let mut at_checkpoint = None;
    let sessions_per_task = TOKENS_PER_ROUND / TASKS / (ROTATIONS_PER_SESSION + 1);
    while tokens < total {
        let tallies = runtime.block_on(async {
            let mut tasks = tokio::task::JoinSet::new();
            for _ in 0..TASKS {
                let (target, http) = (target.clone(), http.clone());
                tasks.spawn(async move {
                    let mut tally = Tally::default();
                    for _ in 0..sessions_per_task {
                        session(&target, &http, &mut tally).await;
                    }
                    tally
                });
            }
            tasks.join_all().await
        });
        for tally in tallies {
            tokens += tally.tokens;
            injected += tally.injected;
        }
        rounds += 1;
        target.auth.advance(CLOCK_STEP);
        if std::env::var_os("MOCKAUTH_SOAK_TRACE").is_some() && rounds % 5 == 0 {
            let state = format!("{:?}", target.auth);
            let ledger = state
                .find("ledgers")
                .map_or("", |at| &state[at..(at + 160).min(state.len())]);
            eprintln!(
                "round {rounds}: {tokens} tokens, VmRSS {} KiB; {ledger}",
                rss_kib()
            );
        }
        if at_checkpoint.is_none() && tokens >= CHECKPOINT.min(total) {
            at_checkpoint = Some(rss_kib());
        }
    }
    let took = started.elapsed();
    // Let the 5 s upkeep run once more, as it would in a server that keeps going.
    std::thread::sleep(Duration::from_secs(6));
    let at_end = rss_kib();
    let checkpoint = at_checkpoint.unwrap_or(at_end);
    let ratio = at_end as f64 / checkpoint.max(1) as f64;
    println!(
        "soak: {tokens} tokens in {rounds} rounds, {:.1} s, {:.0} tokens/s; {injected} injected faults retried; every access token verified",
        took.as_secs_f64(),
        tokens as f64 / took.as_secs_f64()
    );
    println!(
        "soak: VmRSS at start {at_start} KiB, after {} tokens {checkpoint} KiB, at the end {at_end} KiB ({:+.1} %)",
        CHECKPOINT.min(total),
        (ratio - 1.0) * 100.0
    );
    assert!(
        ratio <= GROWTH_BOUND,
        "memory grew {:.1} % after the first {CHECKPOINT} tokens (bound {:.0} %)",
        (ratio - 1.0) * 100.0,
        (GROWTH_BOUND - 1.0) * 100.0
    );
}
