//! One mounted fault rule: which requests it sees, when it fires, and how often it did.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::Rng as _;

use super::effect::Fault;
use crate::endpoint::Endpoint;
use crate::expected_hits::ExpectedHits;

/// The endpoints a fault rule applies to.
///
/// An [`Endpoint`] converts into it, so `auth.fault(Endpoint::Token)` names one endpoint.
///
/// ```
/// use mockauth::{Endpoint, FaultTarget};
///
/// assert!(FaultTarget::AuthEndpoints.covers(Endpoint::Token));
/// assert!(!FaultTarget::AuthEndpoints.covers(Endpoint::Jwks));
/// assert!(FaultTarget::from(Endpoint::Jwks).covers(Endpoint::Jwks));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultTarget {
    /// One endpoint (discovery and JWKS included).
    Endpoint(Endpoint),
    /// Every endpoint that issues or checks credentials ([`Endpoint::is_auth`]): all but
    /// discovery and JWKS.
    AuthEndpoints,
    /// Every endpoint, discovery and JWKS included.
    AnyEndpoint,
}

impl FaultTarget {
    /// Whether a request to `endpoint` is in the target.
    pub fn covers(self, endpoint: Endpoint) -> bool {
        match self {
            FaultTarget::Endpoint(only) => only == endpoint,
            FaultTarget::AuthEndpoints => endpoint.is_auth(),
            FaultTarget::AnyEndpoint => true,
        }
    }
}

impl From<Endpoint> for FaultTarget {
    fn from(endpoint: Endpoint) -> Self {
        FaultTarget::Endpoint(endpoint)
    }
}

impl fmt::Display for FaultTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultTarget::Endpoint(endpoint) => write!(f, "{endpoint}"),
            FaultTarget::AuthEndpoints => f.write_str("auth endpoints"),
            FaultTarget::AnyEndpoint => f.write_str("any endpoint"),
        }
    }
}

/// When a rule fires, among the requests it sees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Trigger {
    /// On every request.
    Always,
    /// On the first `n` requests, then never again.
    NextCalls(u64),
    /// On the `n`th, `2n`th, … request.
    EveryNth(u64),
    /// On each request with this probability, drawn from the rule's seeded generator.
    Probability(f64),
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trigger::Always => f.write_str("every call"),
            Trigger::NextCalls(1) => f.write_str("the next call"),
            Trigger::NextCalls(n) => write!(f, "the next {n} calls"),
            Trigger::EveryNth(1) => f.write_str("every call"),
            Trigger::EveryNth(n) => write!(f, "every {n}{} call", ordinal_suffix(*n)),
            Trigger::Probability(p) => write!(f, "calls with probability {p}"),
        }
    }
}

/// `st`, `nd`, `rd` or `th`, as English writes 1st, 2nd, 3rd, 11th, 22nd.
fn ordinal_suffix(n: u64) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// Everything a rule is made of, as the builder collects it (`F` is `Option<Fault>` until
/// the builder checks that a fault was given).
#[derive(Clone, Debug)]
pub(crate) struct RuleSpec<F = Fault> {
    pub(crate) name: Option<String>,
    pub(crate) target: FaultTarget,
    pub(crate) client_id: Option<String>,
    pub(crate) trigger: Trigger,
    pub(crate) fault: F,
    pub(crate) expected: Option<ExpectedHits>,
}

/// A mounted rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) target: FaultTarget,
    pub(crate) client_id: Option<String>,
    pub(crate) trigger: Trigger,
    pub(crate) fault: Fault,
    pub(crate) expected: Option<ExpectedHits>,
    /// How many requests it acted on; shared with its guard, which outlives removal.
    pub(crate) hits: Arc<AtomicU64>,
    /// How many requests it saw (acted on or not).
    seen: u64,
    rng: StdRng,
}

impl Rule {
    pub(crate) fn new(id: u64, spec: RuleSpec, rng: StdRng) -> Self {
        Self {
            id,
            name: spec
                .name
                .unwrap_or_else(|| format!("#{id} on {}", spec.target)),
            target: spec.target,
            client_id: spec.client_id,
            trigger: spec.trigger,
            fault: spec.fault,
            expected: spec.expected,
            hits: Arc::new(AtomicU64::new(0)),
            seen: 0,
            rng,
        }
    }

    /// Whether the rule sees a request to `endpoint` that names `client_id`.
    pub(crate) fn covers(&self, endpoint: Endpoint, client_id: Option<&str>) -> bool {
        self.target.covers(endpoint)
            && self
                .client_id
                .as_deref()
                .is_none_or(|only| client_id == Some(only))
    }

    /// Counts a request the rule sees and says whether it acts on it.
    pub(crate) fn fires(&mut self) -> bool {
        self.seen += 1;
        let hits = self.hits.load(Ordering::Relaxed);
        let fire = match self.trigger {
            Trigger::Always => true,
            Trigger::NextCalls(n) => hits < n,
            Trigger::EveryNth(n) => self.seen.is_multiple_of(n),
            Trigger::Probability(p) => self.rng.gen_bool(p),
        };
        if fire {
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
        fire
    }

    /// What verification needs to know of the rule, also after it is removed.
    pub(crate) fn summary(&self) -> Summary {
        let client = match &self.client_id {
            Some(id) => format!(" from client {id:?}"),
            None => String::new(),
        };
        Summary {
            name: self.name.clone(),
            described: format!(
                "on {}{client}, {}: {}",
                self.target, self.trigger, self.fault
            ),
            target: self.target,
            client_id: self.client_id.clone(),
            expected: self.expected,
            hits: self.hits.clone(),
        }
    }
}

/// A rule as verification sees it.
#[derive(Clone, Debug)]
pub(crate) struct Summary {
    pub(crate) name: String,
    /// One line: what the rule sees and does.
    pub(crate) described: String,
    pub(crate) target: FaultTarget,
    pub(crate) client_id: Option<String>,
    pub(crate) expected: Option<ExpectedHits>,
    pub(crate) hits: Arc<AtomicU64>,
}
