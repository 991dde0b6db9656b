//! Fault injection over HTTP: every trigger and every fault of the rules, client scoping,
//! guards and expected hit counts, the error simulation, and a retrying client
//! that survives what they inject.

use std::time::{Duration, Instant};

use crate::common::{http, status_json};
use mockauth::{
    ClientCredentials, Endpoint, ErrorSimulation, Fault, FaultTarget, MockAuth, SimulatedError,
};
use serde_json::Value;

/// A client_credentials request as `client` (Basic credentials).
async fn client_credentials(auth: &MockAuth, client: &ClientCredentials) -> reqwest::Response {
    http()
        .post(auth.token_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
}

/// The status of a client_credentials request by the default client.
async fn token_status(auth: &MockAuth) -> u16 {
    client_credentials(auth, &auth.default_client())
        .await
        .status()
        .as_u16()
}

async fn get_status(url: String) -> u16 {
    http().get(url).send().await.unwrap().status().as_u16()
}

/// A small retrying client: client_credentials until a token comes, retrying 429 and 5xx
/// and honouring `Retry-After` (capped at 10 ms so the test stays fast). Returns every
/// status it saw and the token answer.
async fn token_with_retries(auth: &MockAuth, max_attempts: usize) -> (Vec<u16>, Value) {
    let mut statuses = Vec::new();
    for _ in 0..max_attempts {
        let response = client_credentials(auth, &auth.default_client()).await;
        let status = response.status().as_u16();
        statuses.push(status);
        if status != 429 && status < 500 {
            let (_, body) = status_json(response).await;
            return (statuses, body);
        }
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
            .map_or(Duration::ZERO, Duration::from_secs);
        tokio::time::sleep(retry_after.min(Duration::from_millis(10))).await;
    }
    panic!("no token after {max_attempts} attempts: {statuses:?}");
}

fn simulation(kind: SimulatedError, error_rate: u8) -> ErrorSimulation {
    ErrorSimulation {
        enabled: true,
        error_rate,
        error_types: vec![kind],
        delay_ms: 0,
    }
}

// ---- what a rule injects -------------------------------------------------------------

#[tokio::test]
async fn an_oauth_error_rule_answers_its_code_and_status_as_rfc_json() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token)
        .inject(Fault::oauth_error("temporarily_unavailable", 503))
        .named("token outage")
        .mount();

    // Act
    let response = client_credentials(&auth, &auth.default_client()).await;

    // Assert
    assert_eq!(response.headers()["content-type"], "application/json");
    let (status, body) = status_json(response).await;
    assert_eq!(status, 503);
    assert_eq!(body["error"], "temporarily_unavailable");
    assert_eq!(
        body["error_description"],
        "temporarily_unavailable injected by mockauth fault rule \"token outage\""
    );
}

#[tokio::test]
async fn a_429_fault_carries_retry_after_and_its_description() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token)
        .next_calls(1)
        .inject(Fault::oauth_error("slow_down", 429).description("back off"))
        .mount();
    auth.fault(Endpoint::Token)
        .next_calls(1)
        .inject(Fault::rate_limited().retry_after(Duration::from_millis(2500)))
        .mount();

    // Act
    let first = client_credentials(&auth, &auth.default_client()).await;
    let second = client_credentials(&auth, &auth.default_client()).await;

    // Assert
    assert_eq!(first.headers()["retry-after"], "1");
    assert_eq!(
        status_json(first).await,
        (
            429,
            serde_json::json!({"error": "slow_down", "error_description": "back off"})
        )
    );
    assert_eq!(second.status(), 429);
    assert_eq!(second.headers()["retry-after"], "3");
}

#[tokio::test]
async fn a_delay_fault_adds_latency_before_the_real_answer() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token)
        .inject(Fault::delay(Duration::from_millis(200)))
        .mount();
    let started = Instant::now();

    // Act
    let (status, body) = status_json(client_credentials(&auth, &auth.default_client()).await).await;

    // Assert
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert!(auth.requests()[0].injected, "a delayed answer is injected");
}

#[tokio::test]
async fn a_hang_fault_lasts_until_the_clients_timeout() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token).inject(Fault::hang()).mount();
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    // Act
    let result = impatient
        .post(auth.token_url())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await;

    // Assert
    let err = result.expect_err("a hung request must not get an answer");
    assert!(err.is_timeout(), "expected a timeout, got {err}");
    let recorded = &auth.requests()[0];
    assert_eq!((recorded.status, recorded.injected), (0, true));
}

#[tokio::test]
async fn a_drop_fault_closes_the_connection_without_an_answer() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token)
        .next_calls(1)
        .inject(Fault::drop_connection())
        .mount();

    // Act
    let dropped = http()
        .post(auth.token_url())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await;
    let next = token_status(&auth).await;

    // Assert
    let err = dropped.expect_err("a dropped connection has no answer");
    assert!(!err.is_timeout(), "expected a connection error, got {err}");
    assert_eq!(next, 200);
    let recorded = &auth.requests()[0];
    assert_eq!((recorded.status, recorded.injected), (0, true));
}

#[tokio::test]
async fn a_malformed_json_fault_sends_a_body_that_does_not_parse() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token)
        .inject(Fault::malformed_json())
        .mount();

    // Act
    let response = client_credentials(&auth, &auth.default_client()).await;

    // Assert
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let text = response.text().await.unwrap();
    assert!(text.starts_with(r#"{"access_token":"#), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
}

#[tokio::test]
async fn a_wrong_content_type_fault_labels_the_real_body_as_html() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token)
        .inject(Fault::wrong_content_type())
        .mount();

    // Act
    let response = client_credentials(&auth, &auth.default_client()).await;

    // Assert
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["access_token"].is_string());
}

#[tokio::test]
async fn jwks_unavailable_answers_503_while_discovery_still_works() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Jwks)
        .inject(Fault::unavailable())
        .mount();

    // Act
    let jwks = http().get(auth.jwks_url()).send().await.unwrap();
    let discovery = get_status(auth.discovery_url()).await;

    // Assert
    assert_eq!(jwks.headers()["retry-after"], "1");
    let (status, body) = status_json(jwks).await;
    assert_eq!(
        (status, &body["error"]),
        (503, &"temporarily_unavailable".into())
    );
    assert_eq!(discovery, 200);
}

#[tokio::test]
async fn a_delay_rule_and_a_later_error_rule_both_apply() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token)
        .inject(Fault::delay(Duration::from_millis(100)))
        .mount();
    auth.fault(Endpoint::Token)
        .inject(Fault::server_error().delayed(Duration::from_millis(100)))
        .mount();
    let started = Instant::now();

    // Act
    let status = token_status(&auth).await;

    // Assert
    assert_eq!(status, 500);
    assert!(started.elapsed() >= Duration::from_millis(200));
}

// ---- which requests a rule sees, and when it fires ----------------------------------------

#[tokio::test]
async fn a_rule_for_one_client_leaves_the_other_clients_alone() {
    // Arrange
    let auth = MockAuth::start().await;
    let web = auth.client("web").create();
    auth.fault(Endpoint::Token)
        .for_client("web")
        .inject(Fault::server_error())
        .mount();

    // Act
    let web_status = client_credentials(&auth, &web).await.status();
    let default_status = token_status(&auth).await;

    // Assert
    assert_eq!(web_status, 500);
    assert_eq!(default_status, 200);
}

#[tokio::test]
async fn a_next_calls_rule_fails_n_calls_and_then_real_answers_return() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token)
        .next_calls(2)
        .inject(Fault::unavailable())
        .mount();

    // Act
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(token_status(&auth).await);
    }

    // Assert
    assert_eq!(statuses, [503, 503, 200, 200]);
    let recorded: Vec<(u16, bool)> = auth
        .requests()
        .iter()
        .map(|r| (r.status, r.injected))
        .collect();
    assert_eq!(
        recorded,
        [(503, true), (503, true), (200, false), (200, false)]
    );
}

#[tokio::test]
async fn an_every_nth_call_rule_fails_every_third_call() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token)
        .every_nth_call(3)
        .inject(Fault::server_error())
        .mount();

    // Act
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(token_status(&auth).await);
    }

    // Assert
    assert_eq!(statuses, [200, 200, 500, 200, 200, 500]);
}

#[tokio::test]
async fn a_probability_rule_fails_the_same_calls_on_two_servers_with_the_same_seed() {
    // Arrange
    async fn outcomes(seed: u64) -> Vec<u16> {
        let auth = MockAuth::builder().seed(seed).start().await;
        auth.fault(Endpoint::Discovery)
            .with_probability(0.5)
            .inject(Fault::server_error())
            .mount();
        let mut statuses = Vec::new();
        for _ in 0..24 {
            statuses.push(get_status(auth.discovery_url()).await);
        }
        statuses
    }

    // Act
    let first = outcomes(7).await;
    let second = outcomes(7).await;

    // Assert
    assert_eq!(first, second);
    assert!(first.contains(&200) && first.contains(&500), "{first:?}");
}

#[tokio::test]
async fn an_auth_endpoints_rule_covers_userinfo_but_not_discovery_or_jwks() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(FaultTarget::AuthEndpoints)
        .inject(Fault::server_error())
        .mount();

    // Act
    let userinfo = http()
        .get(auth.userinfo_url())
        .bearer_auth("any")
        .send()
        .await
        .unwrap()
        .status();
    let discovery = get_status(auth.discovery_url()).await;
    let jwks = get_status(auth.jwks_url()).await;

    // Assert
    assert_eq!((userinfo.as_u16(), discovery, jwks), (500, 200, 200));
}

#[tokio::test]
async fn clearing_faults_brings_the_real_answers_back() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token)
        .inject(Fault::server_error())
        .mount();
    assert_eq!(token_status(&auth).await, 500);

    // Act
    auth.clear_faults();

    // Assert
    assert_eq!(token_status(&auth).await, 200);
}

// ---- guards and expectations -----------------------------------------------------------

#[tokio::test]
async fn a_scoped_rule_is_removed_when_its_guard_drops() {
    // Arrange
    let auth = MockAuth::start().await;
    let guard = auth
        .fault(Endpoint::Token)
        .inject(Fault::server_error())
        .mount_scoped();
    let during = token_status(&auth).await;

    // Act
    drop(guard);

    // Assert
    assert_eq!(during, 500);
    assert_eq!(token_status(&auth).await, 200);
}

#[tokio::test]
async fn a_met_expectation_passes_verify_and_the_guards_drop() {
    // Arrange
    let auth = MockAuth::start().await;
    let outage = auth
        .fault(Endpoint::Token)
        .next_calls(2)
        .inject(Fault::unavailable())
        .expect(2)
        .mount_scoped();

    // Act
    for _ in 0..3 {
        token_status(&auth).await;
    }

    // Assert
    assert_eq!(outage.verify().hits(), 2);
    auth.fault(Endpoint::Jwks)
        .inject(Fault::server_error())
        .expect(..=1)
        .mount();
    auth.verify_faults();
}

#[tokio::test]
#[should_panic(
    expected = "expected 2 hits on fault rule \"token outage\", found 1\n  \
                           the rule: on token, the next 2 calls: answer 503 temporarily_unavailable, \
                           Retry-After: 1\n  requests it could see (1 latest of 1):\n    \
                           POST /token client="
)]
async fn a_guard_that_drops_with_too_few_hits_fails_the_test() {
    // Arrange
    let auth = MockAuth::start().await;
    let _outage = auth
        .fault(Endpoint::Token)
        .next_calls(2)
        .inject(Fault::unavailable())
        .named("token outage")
        .expect(2)
        .mount_scoped();

    // Act: only one call, then the guard drops at the end of the test
    token_status(&auth).await;
}

#[tokio::test]
#[should_panic(expected = "expected at least 1 hits on fault rule \"jwks down\", found 0")]
async fn verify_on_a_guard_fails_when_the_rule_never_fired() {
    // Arrange
    let auth = MockAuth::start().await;
    let guard = auth
        .fault(Endpoint::Jwks)
        .inject(Fault::unavailable())
        .named("jwks down")
        .expect(1..)
        .mount_scoped();

    // Act
    token_status(&auth).await;

    // Assert
    guard.verify();
}

#[tokio::test]
#[should_panic(expected = "expected 0 hits on fault rule \"#0 on token\", found 1")]
async fn the_server_checks_rules_mounted_for_its_life_when_it_drops() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token)
        .inject(Fault::server_error())
        .expect(0)
        .mount();

    // Act
    token_status(&auth).await;

    // Assert
    drop(auth);
}

#[test]
#[should_panic(
    expected = "the fault rule on token injects nothing; add e.g. .inject(Fault::server_error())"
)]
fn a_rule_without_a_fault_is_refused_at_mount() {
    let auth = MockAuth::start_blocking();
    auth.fault(Endpoint::Token).next_calls(1).mount();
}

// ---- the error simulation -------------------------------------------------------------

#[tokio::test]
async fn simulated_invalid_client_answers_401_with_the_basic_challenge() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.simulate_errors(simulation(SimulatedError::InvalidClient, 100));

    // Act
    let response = client_credentials(&auth, &auth.default_client()).await;

    // Assert
    assert_eq!(
        response.headers()["www-authenticate"],
        r#"Basic realm="mockauth""#
    );
    let (status, body) = status_json(response).await;
    assert_eq!((status, &body["error"]), (401, &"invalid_client".into()));
    assert!(auth.requests()[0].injected);
}

#[tokio::test]
async fn simulated_expired_token_answers_401_invalid_token_saying_it_expired() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.simulate_errors(simulation(SimulatedError::ExpiredToken, 100));

    // Act
    let response = client_credentials(&auth, &auth.default_client()).await;

    // Assert
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        challenge.starts_with(r#"Bearer realm="mockauth", error="invalid_token""#),
        "{challenge}"
    );
    let (status, body) = status_json(response).await;
    assert_eq!((status, &body["error"]), (401, &"invalid_token".into()));
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .starts_with("the token has expired"),
        "{body}"
    );
}

#[tokio::test]
async fn simulated_rate_limiting_answers_429_with_retry_after() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.simulate_errors(simulation(SimulatedError::RateLimited, 100));

    // Act
    let response = client_credentials(&auth, &auth.default_client()).await;

    // Assert
    assert_eq!(response.headers()["retry-after"], "1");
    let (status, body) = status_json(response).await;
    assert_eq!(
        (status, &body["error"]),
        (429, &"temporarily_unavailable".into())
    );
}

#[tokio::test]
async fn simulated_server_error_answers_500_on_every_auth_endpoint() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.simulate_errors(simulation(SimulatedError::ServerError, 100));

    // Act
    let (token, token_body) =
        status_json(client_credentials(&auth, &auth.default_client()).await).await;
    let userinfo = http()
        .get(auth.userinfo_url())
        .bearer_auth("any")
        .send()
        .await
        .unwrap()
        .status();

    // Assert
    assert_eq!((token, &token_body["error"]), (500, &"server_error".into()));
    assert_eq!(userinfo, 500);
}

#[tokio::test]
async fn an_error_rate_of_zero_or_a_disabled_simulation_never_fails() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.simulate_errors(simulation(SimulatedError::ServerError, 0));
    let mut statuses = Vec::new();

    // Act
    for _ in 0..5 {
        statuses.push(token_status(&auth).await);
    }
    auth.simulate_errors(ErrorSimulation {
        enabled: false,
        ..simulation(SimulatedError::ServerError, 100)
    });
    for _ in 0..5 {
        statuses.push(token_status(&auth).await);
    }

    // Assert
    assert_eq!(statuses, [200; 10]);
    assert!(auth.requests().iter().all(|r| !r.injected));
}

#[tokio::test]
async fn the_simulations_delay_slows_the_real_answer() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.simulate_errors(ErrorSimulation {
        delay_ms: 150,
        ..simulation(SimulatedError::ServerError, 0)
    });
    let started = Instant::now();

    // Act
    let status = token_status(&auth).await;

    // Assert
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(status, 200);
    assert!(auth.requests()[0].injected);
}

#[tokio::test]
async fn the_simulation_never_touches_discovery_or_jwks() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.simulate_errors(ErrorSimulation {
        enabled: true,
        error_rate: 100,
        ..ErrorSimulation::default()
    });

    // Act
    let discovery = get_status(auth.discovery_url()).await;
    let jwks = get_status(auth.jwks_url()).await;
    let token = token_status(&auth).await;

    // Assert
    assert_eq!((discovery, jwks), (200, 200));
    assert_ne!(token, 200);
    assert_eq!(auth.error_simulation().error_rate, 100);
}

#[test]
#[should_panic(
    expected = "errorSimulation.errorRate must be a percentage from 0 to 100, found 101"
)]
fn an_error_rate_above_100_is_refused() {
    let auth = MockAuth::start_blocking();
    auth.simulate_errors(simulation(SimulatedError::ServerError, 101));
}

// ---- a client that must survive it --------------------------------------------------------

#[tokio::test]
async fn a_retrying_client_survives_injected_429s_and_500s_and_gets_a_token() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.fault(Endpoint::Token)
        .next_calls(2)
        .inject(Fault::rate_limited())
        .mount();
    auth.fault(Endpoint::Token)
        .next_calls(2)
        .inject(Fault::server_error())
        .mount();

    // Act
    let (statuses, token) = token_with_retries(&auth, 6).await;

    // Assert
    assert_eq!(statuses, [429, 429, 500, 500, 200]);
    assert_eq!(token["token_type"], "Bearer");
    let injected: Vec<bool> = auth.requests().iter().map(|r| r.injected).collect();
    assert_eq!(injected, [true, true, true, true, false]);
}
