//! Fault injection: rules that answer, delay or drop instead of the real handler.
//!
//! The server asks [`Faults::intercept`] before every handler runs; what it answers is
//! recorded as injected. Two sources have a say, in this order:
//! - fault rules ([`rule`]), mounted from Rust with [`MockAuth::fault`](crate::MockAuth::fault):
//!   consulted in mount order; their delays add up and the first one that fires with an
//!   answer decides (the rules after it do not see the request);
//! - the error simulation ([`simulation`]), per tenant, on the auth endpoints only.
//!
//! Randomness (probability rules, the simulation's error rate) comes from generators seeded
//! from the server's seed, one per rule and per tenant, so that a seeded server fails the
//! same calls on every run.

mod effect;
mod mount;
mod rule;
mod simulation;
mod verify;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hyper::header::HeaderValue;
use parking_lot::Mutex;
use rand::rngs::StdRng;
use rand::{RngCore as _, SeedableRng as _};

use crate::endpoint::Endpoint;
use crate::http::answer::HttpResponse;
use crate::store::TenantKey;

pub use crate::expected_hits::ExpectedHits;
pub use effect::Fault;
pub use mount::{FaultGuard, FaultRule};
pub use rule::FaultTarget;
pub use simulation::{ErrorSimulation, SimulatedError};
pub(crate) use verify::{unmet_expectations, verify_on_drop};

use rule::{Rule, RuleSpec, Summary};
use simulation::TenantSimulation;

/// What a fault does to one request.
#[derive(Debug)]
pub(crate) enum Action {
    /// Answer this instead of the handler.
    Answer(HttpResponse),
    /// Run the handler, then replace the answer's `Content-Type` with this.
    Retype(HeaderValue),
    /// Close the connection without an answer.
    Drop,
    /// Never answer (until the client gives up).
    Hang,
}

/// The verdict for one request: wait this long, then act (or, with no action, let the real
/// handler answer).
#[derive(Debug, Default)]
pub(crate) struct Interception {
    pub(crate) delay: Duration,
    pub(crate) action: Option<Action>,
}

impl Interception {
    /// Whether anything was injected.
    pub(crate) fn is_injected(&self) -> bool {
        !self.delay.is_zero() || self.action.is_some()
    }
}

/// Mixed into the server's seed so that fault sampling does not replay the store's ids.
const FAULT_SEED_SALT: u64 = 0x6661_756c_7473_2121;

/// The fault rules and error simulations of one server.
#[derive(Debug)]
pub(crate) struct Faults {
    /// Seeds the generator of each rule and each tenant's simulation, in creation order.
    seeds: Mutex<StdRng>,
    next_id: AtomicU64,
    rules: Mutex<Vec<Rule>>,
    /// By tenant index; a tenant without an entry simulates nothing.
    simulations: Mutex<HashMap<TenantKey, TenantSimulation>>,
}

impl Default for Faults {
    fn default() -> Self {
        Self::new(None)
    }
}

impl Faults {
    /// Faults whose randomness follows `seed` (entropy without one).
    pub(crate) fn new(seed: Option<u64>) -> Self {
        let seeds = match seed {
            Some(seed) => StdRng::seed_from_u64(seed ^ FAULT_SEED_SALT),
            None => StdRng::from_entropy(),
        };
        Self {
            seeds: Mutex::new(seeds),
            next_id: AtomicU64::new(0),
            rules: Mutex::new(Vec::new()),
            simulations: Mutex::new(HashMap::new()),
        }
    }

    fn next_rng(&self) -> StdRng {
        StdRng::seed_from_u64(self.seeds.lock().next_u64())
    }

    /// Adds a rule after the others; returns its id and what verification needs of it.
    pub(crate) fn mount(&self, spec: RuleSpec) -> (u64, Summary) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let rule = Rule::new(id, spec, self.next_rng());
        let summary = rule.summary();
        self.rules.lock().push(rule);
        (id, summary)
    }

    /// Removes a rule; `false` when it was already gone (cleared).
    pub(crate) fn remove(&self, id: u64) -> bool {
        let mut rules = self.rules.lock();
        let before = rules.len();
        rules.retain(|rule| rule.id != id);
        rules.len() != before
    }

    /// Removes every rule.
    pub(crate) fn clear(&self) {
        self.rules.lock().clear();
    }

    /// The mounted rules that expect a hit count.
    pub(crate) fn expecting(&self) -> Vec<Summary> {
        let rules = self.rules.lock();
        rules
            .iter()
            .filter(|rule| rule.expected.is_some())
            .map(Rule::summary)
            .collect()
    }

    /// Replaces a tenant's error simulation, or says which field is wrong (nothing changes
    /// then).
    pub(crate) fn set_simulation(
        &self,
        tenant: TenantKey,
        simulation: ErrorSimulation,
    ) -> Result<(), String> {
        simulation.validate()?;
        let mut simulations = self.simulations.lock();
        match simulations.get_mut(&tenant) {
            Some(existing) => existing.config = simulation,
            None => {
                let fresh = TenantSimulation::new(simulation, self.next_rng());
                simulations.insert(tenant, fresh);
            }
        }
        Ok(())
    }

    /// A tenant's error simulation (disabled unless one was set).
    pub(crate) fn simulation(&self, tenant: TenantKey) -> ErrorSimulation {
        self.simulations
            .lock()
            .get(&tenant)
            .map(|s| s.config.clone())
            .unwrap_or_default()
    }

    /// Whether any rule is scoped to one client, so that a request's client must be read
    /// (skipped otherwise: it costs a parse of the body on every request).
    pub(crate) fn scopes_by_client(&self) -> bool {
        self.rules
            .lock()
            .iter()
            .any(|rule| rule.client_id.is_some())
    }

    /// Decides what happens to a request for `endpoint` of tenant `tenant` from `client_id`.
    pub(crate) fn intercept(
        &self,
        endpoint: Endpoint,
        tenant: TenantKey,
        client_id: Option<&str>,
    ) -> Interception {
        let mut verdict = Interception::default();
        for rule in self.rules.lock().iter_mut() {
            if !rule.covers(endpoint, client_id) || !rule.fires() {
                continue;
            }
            verdict.delay += rule.fault.delay_of();
            verdict.action = rule.fault.action(&rule.name);
            if verdict.action.is_some() {
                return verdict;
            }
        }
        if endpoint.is_auth() {
            if let Some(simulation) = self.simulations.lock().get_mut(&tenant) {
                simulation.apply(&mut verdict);
            }
        }
        verdict
    }
}
