//! The config file's `faults[]`: deterministic fault rules (what [`MockAuth::fault`] mounts
//! in Rust), declared for the server's life. Rules see every tenant, as in Rust.

use std::fmt;
use std::time::Duration;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use super::error::ConfigError;
use super::fields::NonEmpty;
use crate::endpoint::Endpoint;
use crate::fault::FaultRule;
use crate::fault::{Fault, FaultTarget};
use crate::shared::Shared;

/// One rule: which requests (`endpoint`, `clientId`), when (`nextCalls`, `everyNthCall` or
/// `probability`; every call otherwise) and what (`inject`, or `error` + `status`, plus
/// `retryAfter` and `delayMs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FaultSpec {
    endpoint: TargetName,
    client_id: Option<NonEmpty>,
    next_calls: Option<u64>,
    every_nth_call: Option<u64>,
    probability: Option<f64>,
    inject: Option<Injection>,
    error: Option<NonEmpty>,
    status: Option<u16>,
    retry_after: Option<u64>,
    delay_ms: Option<u64>,
    name: Option<NonEmpty>,
}

/// `inject`: the ready-made faults.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Injection {
    ServerError,
    Unavailable,
    RateLimited,
    Hang,
    DropConnection,
    MalformedJson,
    WrongContentType,
}

/// `endpoint`: an endpoint's short name, `auth` (every auth endpoint) or `any`.
#[derive(Debug, Clone, Copy)]
struct TargetName(FaultTarget);

impl<'de> Deserialize<'de> for TargetName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TargetVisitor;
        impl Visitor<'_> for TargetVisitor {
            type Value = FaultTarget;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an endpoint name such as \"token\"")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<FaultTarget, E> {
                match name {
                    "auth" => Ok(FaultTarget::AuthEndpoints),
                    "any" => Ok(FaultTarget::AnyEndpoint),
                    _ => Endpoint::parse(name).map(FaultTarget::from).ok_or_else(|| {
                        let names: Vec<&str> = Endpoint::ALL.map(Endpoint::as_str).to_vec();
                        E::custom(format!(
                            "must be one of {}, auth (every auth endpoint) or any; found {name:?}",
                            names.join(", ")
                        ))
                    }),
                }
            }
        }
        deserializer.deserialize_str(TargetVisitor).map(TargetName)
    }
}

impl FaultSpec {
    /// A value out of range or fields that contradict each other: the field and the problem.
    pub(crate) fn problem(&self) -> Option<(&'static str, String)> {
        let triggers = [
            self.next_calls.is_some(),
            self.every_nth_call.is_some(),
            self.probability.is_some(),
        ];
        if triggers.iter().filter(|set| **set).count() > 1 {
            return Some(("nextCalls", "is one of three exclusive triggers (nextCalls, everyNthCall, probability); keep one".into()));
        }
        if self.every_nth_call == Some(0) {
            return Some(("everyNthCall", "must be 1 or more".into()));
        }
        if self.probability.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
            return Some(("probability", "must be from 0.0 to 1.0".into()));
        }
        if self.inject.is_some() && self.error.is_some() {
            return Some((
                "error",
                "is refused next to inject; keep one of them".into(),
            ));
        }
        if self.inject.is_none() && self.error.is_none() && self.delay_ms.is_none() {
            return Some((
                "inject",
                "is needed (or error + status, or delayMs): the rule must do something".into(),
            ));
        }
        if self.status.is_some() && self.error.is_none() {
            return Some((
                "status",
                "needs an error code next to it, e.g. \"error\": \"temporarily_unavailable\""
                    .into(),
            ));
        }
        if self.status.is_some_and(|s| !(200..=599).contains(&s)) {
            return Some(("status", "must be an HTTP status from 200 to 599".into()));
        }
        let answers_error = self.error.is_some()
            || matches!(
                self.inject,
                Some(Injection::ServerError | Injection::Unavailable | Injection::RateLimited)
            );
        if self.retry_after.is_some() && !answers_error {
            return Some(("retryAfter", "applies to error answers only (error, or inject server_error, unavailable, rate_limited)".into()));
        }
        None
    }

    fn fault(&self) -> Fault {
        let mut fault = match (self.inject, &self.error) {
            (Some(Injection::ServerError), _) => Fault::server_error(),
            (Some(Injection::Unavailable), _) => Fault::unavailable(),
            (Some(Injection::RateLimited), _) => Fault::rate_limited(),
            (Some(Injection::Hang), _) => Fault::hang(),
            (Some(Injection::DropConnection), _) => Fault::drop_connection(),
            (Some(Injection::MalformedJson), _) => Fault::malformed_json(),
            (Some(Injection::WrongContentType), _) => Fault::wrong_content_type(),
            (None, Some(code)) => Fault::oauth_error(code.0.clone(), self.status.unwrap_or(400)),
            (None, None) => Fault::delay(Duration::ZERO),
        };
        if let Some(seconds) = self.retry_after {
            fault = fault.retry_after(Duration::from_secs(seconds));
        }
        if let Some(ms) = self.delay_ms {
            fault = fault.delayed(Duration::from_millis(ms));
        }
        fault
    }

    /// Mounts the rule on `auth` for the server's life (checked by [`problem`](Self::problem)
    /// when the file was read, so no builder assertion fires).
    pub(crate) fn mount(&self, shared: &Shared) {
        let target = self.endpoint.0;
        let mut rule = FaultRule::new(&shared.faults, &shared.journal, target).inject(self.fault());
        if let Some(client) = &self.client_id {
            rule = rule.for_client(client.0.clone());
        }
        if let Some(n) = self.next_calls {
            rule = rule.next_calls(n);
        }
        if let Some(n) = self.every_nth_call {
            rule = rule.every_nth_call(n);
        }
        if let Some(p) = self.probability {
            rule = rule.with_probability(p);
        }
        if let Some(name) = &self.name {
            rule = rule.named(name.0.clone());
        }
        rule.mount();
    }
}

/// The first problem among `faults`, as a config error.
pub(crate) fn check(faults: &[FaultSpec]) -> Result<(), ConfigError> {
    for (i, fault) in faults.iter().enumerate() {
        if let Some((field, message)) = fault.problem() {
            return Err(ConfigError::at_field(
                format!("faults[{i}].{field}"),
                message,
            ));
        }
    }
    Ok(())
}
