//! The error simulation (docs/admin.md#error-simulation): per tenant, a share of the auth
//! endpoints' answers become errors, and every answer can be slowed down. Discovery and
//! JWKS are never touched; a fault rule can name them.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::Rng as _;
use serde::{Deserialize, Serialize};

use super::effect::oauth_error_response;
use super::{Action, Interception};
use crate::http::answer::HttpResponse;

/// The error simulation of one tenant, with the admin API's field names
/// (`POST /api/auth-sandbox/config` `{"errorSimulation": {…}}` and the config file).
///
/// While `enabled`, each request to an auth endpoint ([`Endpoint::is_auth`](crate::Endpoint::is_auth))
/// fails with probability `error_rate` % as one of `error_types` (picked uniformly), and
/// every auth answer, failed or not, comes `delay_ms` later. Discovery and JWKS are never
/// touched. The draws come from a generator seeded by the server's seed.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use mockauth::{ErrorSimulation, MockAuth, SimulatedError};
///
/// let auth = MockAuth::start().await;
/// auth.simulate_errors(ErrorSimulation {
///     enabled: true,
///     error_rate: 100,
///     error_types: vec![SimulatedError::RateLimited],
///     delay_ms: 0,
/// });
/// let response = reqwest::Client::new()
///     .post(auth.token_url())
///     .form(&[("grant_type", "client_credentials")])
///     .send().await.unwrap();
/// assert_eq!(response.status(), 429);
/// assert_eq!(response.headers()["retry-after"], "1");
///
/// // The admin API and the config file spell it in camelCase:
/// let parsed: ErrorSimulation = serde_json::from_str(
///     r#"{"enabled": true, "errorRate": 30, "errorTypes": ["server_error"], "delayMs": 500}"#,
/// ).unwrap();
/// assert_eq!(parsed.error_rate, 30);
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ErrorSimulation {
    /// Whether the simulation runs at all (default `false`).
    pub enabled: bool,
    /// The percentage of auth requests that fail, 0 to 100 (default 0).
    pub error_rate: u8,
    /// The errors to pick from (default: all four).
    pub error_types: Vec<SimulatedError>,
    /// Milliseconds added before every auth answer while enabled (default 0).
    pub delay_ms: u64,
}

impl Default for ErrorSimulation {
    fn default() -> Self {
        Self {
            enabled: false,
            error_rate: 0,
            error_types: SimulatedError::ALL.to_vec(),
            delay_ms: 0,
        }
    }
}

/// The longest `delayMs`: ten minutes outlasts every client's timeout; a request that
/// should never be answered is [`Fault::hang`](crate::Fault::hang).
pub(crate) const MAX_DELAY_MS: u64 = 600_000;

impl ErrorSimulation {
    /// Says which field is out of range, in the admin API's spelling.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.delay_ms > MAX_DELAY_MS {
            return Err(format!(
                "errorSimulation.delayMs must be at most {MAX_DELAY_MS} (ten minutes), found {}; \
                 for an answer that never comes, mount a fault rule with Fault::hang()",
                self.delay_ms
            ));
        }
        if self.error_rate > 100 {
            return Err(format!(
                "errorSimulation.errorRate must be a percentage from 0 to 100, found {}",
                self.error_rate
            ));
        }
        if self.enabled && self.error_rate > 0 && self.error_types.is_empty() {
            return Err(
                "errorSimulation.errorTypes is empty, so an errorRate above 0 has no error to \
                 inject; list some of invalid_client, expired_token, rate_limited, server_error"
                    .to_owned(),
            );
        }
        Ok(())
    }
}

/// One kind of error the simulation injects, by its wire name in `errorTypes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SimulatedError {
    /// `401 {"error": "invalid_client"}` with `WWW-Authenticate: Basic`: the client id or
    /// secret is wrong.
    InvalidClient,
    /// `401 {"error": "invalid_token"}` ([RFC 6750 §3.1](https://www.rfc-editor.org/rfc/rfc6750#section-3.1))
    /// whose description says the token has expired, with `WWW-Authenticate: Bearer`: what
    /// should send a client to its refresh logic.
    ExpiredToken,
    /// `429 {"error": "temporarily_unavailable"}` with `Retry-After: 1`.
    RateLimited,
    /// `500 {"error": "server_error"}`.
    ServerError,
}

impl SimulatedError {
    /// Every kind, in the order `errorTypes` lists them by default.
    pub const ALL: [SimulatedError; 4] = [
        SimulatedError::InvalidClient,
        SimulatedError::ExpiredToken,
        SimulatedError::RateLimited,
        SimulatedError::ServerError,
    ];

    /// The wire name: `invalid_client`, `expired_token`, `rate_limited`, `server_error`.
    pub fn as_str(self) -> &'static str {
        match self {
            SimulatedError::InvalidClient => "invalid_client",
            SimulatedError::ExpiredToken => "expired_token",
            SimulatedError::RateLimited => "rate_limited",
            SimulatedError::ServerError => "server_error",
        }
    }

    fn answer(self) -> HttpResponse {
        let (code, status, retry_after, what) = match self {
            SimulatedError::InvalidClient => {
                ("invalid_client", 401, None, "client authentication failed")
            }
            SimulatedError::ExpiredToken => ("invalid_token", 401, None, "the token has expired"),
            SimulatedError::RateLimited => (
                "temporarily_unavailable",
                429,
                Some(1),
                "too many requests; retry after 1 s",
            ),
            SimulatedError::ServerError => ("server_error", 500, None, "the server failed"),
        };
        let description = format!(
            "{what} ({} injected by mockauth's error simulation; set errorSimulation.enabled \
             to false to stop it)",
            self.as_str()
        );
        oauth_error_response(code, &description, status, retry_after)
    }
}

/// A tenant's simulation and the generator its draws come from.
#[derive(Debug)]
pub(crate) struct TenantSimulation {
    pub(crate) config: ErrorSimulation,
    rng: StdRng,
}

impl TenantSimulation {
    pub(crate) fn new(config: ErrorSimulation, rng: StdRng) -> Self {
        Self { config, rng }
    }

    /// Adds the delay and, when the draw says so, an error to a request of an auth endpoint.
    pub(crate) fn apply(&mut self, verdict: &mut Interception) {
        let config = &self.config;
        if !config.enabled {
            return;
        }
        verdict.delay += Duration::from_millis(config.delay_ms);
        let fails = config.error_rate > 0 && self.rng.gen_range(0..100u8) < config.error_rate;
        if fails && !config.error_types.is_empty() {
            let kind = config.error_types[self.rng.gen_range(0..config.error_types.len())];
            verdict.action = Some(Action::Answer(kind.answer()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_simulation_reads_the_admin_apis_camel_case_fields() {
        let parsed: ErrorSimulation = serde_json::from_str(
            r#"{"enabled":true,"errorRate":30,"errorTypes":["invalid_client","expired_token","rate_limited","server_error"],"delayMs":500}"#,
        )
        .unwrap();
        assert_eq!(
            parsed,
            ErrorSimulation {
                enabled: true,
                error_rate: 30,
                error_types: SimulatedError::ALL.to_vec(),
                delay_ms: 500,
            }
        );
        let json = serde_json::to_value(&parsed).unwrap();
        assert_eq!(json["errorTypes"][1], "expired_token");
        assert_eq!(json["delayMs"], 500);
    }

    #[test]
    fn fault_simulation_fields_left_out_take_their_defaults() {
        let parsed: ErrorSimulation = serde_json::from_str(r#"{"enabled":true}"#).unwrap();
        assert_eq!(parsed.error_rate, 0);
        assert_eq!(parsed.error_types, SimulatedError::ALL.to_vec());
    }

    #[test]
    fn fault_simulation_names_an_unknown_field_or_error_type() {
        let unknown_field = serde_json::from_str::<ErrorSimulation>(r#"{"errorrate":3}"#);
        assert!(unknown_field.unwrap_err().to_string().contains("errorrate"));
        let unknown_type = serde_json::from_str::<ErrorSimulation>(r#"{"errorTypes":["boom"]}"#);
        assert!(unknown_type.unwrap_err().to_string().contains("boom"));
    }

    #[test]
    fn fault_simulation_refuses_a_delay_over_ten_minutes() {
        let too_long = ErrorSimulation {
            delay_ms: u64::MAX,
            ..ErrorSimulation::default()
        };
        assert!(too_long
            .validate()
            .unwrap_err()
            .starts_with("errorSimulation.delayMs must be at most 600000"));
    }

    #[test]
    fn fault_simulation_refuses_a_rate_above_100_naming_the_field() {
        let too_high = ErrorSimulation {
            error_rate: 150,
            ..ErrorSimulation::default()
        };
        assert_eq!(
            too_high.validate().unwrap_err(),
            "errorSimulation.errorRate must be a percentage from 0 to 100, found 150"
        );
    }
}
