//! Fault rules and the error simulation.

use super::MockAuth;
use crate::fault::{unmet_expectations, ErrorSimulation, FaultRule, FaultTarget};
use crate::store::TenantKey;

/// Fault rules.
impl MockAuth {
    /// Starts a fault rule on `target`: an [`Endpoint`](crate::Endpoint), or a
    /// [`FaultTarget`] such as all auth endpoints. See [`FaultRule`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use mockauth::{Endpoint, Fault, MockAuth};
    ///
    /// let auth = MockAuth::start().await;
    /// auth.fault(Endpoint::Jwks).next_calls(1).inject(Fault::unavailable()).mount();
    ///
    /// let http = reqwest::Client::new();
    /// assert_eq!(http.get(auth.jwks_url()).send().await.unwrap().status(), 503);
    /// assert_eq!(http.get(auth.jwks_url()).send().await.unwrap().status(), 200);
    /// assert!(auth.requests()[0].injected);
    /// # }
    /// ```
    pub fn fault(&self, target: impl Into<FaultTarget>) -> FaultRule<'_> {
        FaultRule::new(&self.shared().faults, &self.shared().journal, target.into())
    }

    /// Checks the hit count of every mounted rule that declared one with
    /// [`FaultRule::expect`]. Rules mounted with [`FaultRule::mount`] are also checked when
    /// the server drops.
    ///
    /// # Panics
    /// With `expected <n> hits on fault rule "<name>", found <m>` for each rule that missed
    /// its count, followed by the requests it could have seen.
    #[track_caller]
    pub fn verify_faults(&self) {
        let shared = self.shared();
        if let Some(message) = unmet_expectations(&shared.faults, &shared.journal) {
            panic!("{message}");
        }
    }

    /// Removes every fault rule (guards of scoped rules still report their hits). The
    /// error simulation stays as it is.
    pub fn clear_faults(&self) {
        self.shared().faults.clear();
    }
}

/// The error simulation of the default tenant.
impl MockAuth {
    /// Turns on (or changes, or with [`ErrorSimulation::default`] turns off) the random
    /// error simulation for the default tenant; see [`ErrorSimulation`] for an example.
    ///
    /// # Panics
    /// If `error_rate` is above 100, `delay_ms` above 600000 (ten minutes), or the
    /// simulation is enabled with a rate but no error types.
    #[track_caller]
    pub fn simulate_errors(&self, simulation: ErrorSimulation) {
        if let Err(problem) = self
            .shared()
            .faults
            .set_simulation(TenantKey::DEFAULT, simulation)
        {
            panic!("{problem}");
        }
    }

    /// The default tenant's error simulation (disabled unless one was set).
    pub fn error_simulation(&self) -> ErrorSimulation {
        self.shared().faults.simulation(TenantKey::DEFAULT)
    }
}
