//! The fault rule API on [`MockAuth`]: the [`FaultRule`] builder, mounting for the server's
//! life or for a [`FaultGuard`]'s, and verifying expected hit counts.

use std::sync::atomic::Ordering;

use super::effect::Fault;
use super::rule::{FaultTarget, RuleSpec, Summary, Trigger};
use super::verify::unmet;
use crate::expected_hits::ExpectedHits;
use parking_lot::Mutex;

use super::Faults;
use crate::journal::Journal;

/// A fault rule being declared: which requests it sees ([`for_client`](Self::for_client)),
/// when it fires ([`next_calls`](Self::next_calls), [`every_nth_call`](Self::every_nth_call),
/// [`with_probability`](Self::with_probability); every call by default) and what it injects
/// ([`inject`](Self::inject)). Made by [`MockAuth::fault`]; nothing happens until
/// [`mount`](Self::mount) or [`mount_scoped`](Self::mount_scoped).
///
/// Rules are consulted in mount order. Their delays add up; the first rule that fires with
/// an answer (an error, a hang, a drop, …) decides, and the rules after it do not see the
/// request. A rule scoped to a client sees only requests that name it (Basic credentials or
/// a `client_id` parameter). Rules apply to every tenant of the server.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use mockauth::{Endpoint, Fault, MockAuth};
///
/// let auth = MockAuth::start().await;
/// let web = auth.client("web").create();
/// let outage = auth
///     .fault(Endpoint::Token)
///     .for_client("web")
///     .next_calls(2)
///     .inject(Fault::oauth_error("temporarily_unavailable", 503))
///     .named("token outage")
///     .expect(2)
///     .mount_scoped();
///
/// let http = reqwest::Client::new();
/// for expected in [503, 503, 200] {
///     let response = http
///         .post(auth.token_url())
///         .basic_auth(web.client_id(), web.client_secret())
///         .form(&[("grant_type", "client_credentials")])
///         .send().await.unwrap();
///     assert_eq!(response.status(), expected);
/// }
/// outage.verify();
/// # }
/// ```
#[derive(Debug)]
#[must_use = "a fault rule does nothing until .mount() or .mount_scoped()"]
pub struct FaultRule<'a> {
    faults: &'a Faults,
    /// What a failed verification lists.
    journal: &'a Mutex<Journal>,
    spec: RuleSpec<Option<Fault>>,
}

impl<'a> FaultRule<'a> {
    /// A rule on `target` that fires on every call until told otherwise.
    pub(crate) fn new(
        faults: &'a Faults,
        journal: &'a Mutex<Journal>,
        target: FaultTarget,
    ) -> Self {
        Self {
            faults,
            journal,
            spec: RuleSpec {
                name: None,
                target,
                client_id: None,
                trigger: Trigger::Always,
                fault: None,
                expected: None,
            },
        }
    }

    /// Sees only requests that name this client (Basic credentials or a `client_id`
    /// parameter).
    pub fn for_client(mut self, client_id: impl Into<String>) -> Self {
        self.spec.client_id = Some(client_id.into());
        self
    }

    /// Fires on the next `n` requests it sees, then lets every request through.
    pub fn next_calls(mut self, n: u64) -> Self {
        self.spec.trigger = Trigger::NextCalls(n);
        self
    }

    /// Fires on the `n`th request it sees, the `2n`th, and so on.
    ///
    /// # Panics
    /// If `n` is 0.
    pub fn every_nth_call(mut self, n: u64) -> Self {
        assert!(
            n > 0,
            "every_nth_call(0) would never fire; use 1 for every call, or .next_calls(0)"
        );
        self.spec.trigger = Trigger::EveryNth(n);
        self
    }

    /// Fires on each request it sees with this probability (0.0 to 1.0), drawn from a
    /// generator seeded by [`MockAuthBuilder::seed`](crate::MockAuthBuilder::seed) (entropy
    /// without a seed): two servers with the same seed and the same rules fail the same calls.
    ///
    /// # Panics
    /// If `probability` is not between 0.0 and 1.0.
    pub fn with_probability(mut self, probability: f64) -> Self {
        assert!(
            (0.0..=1.0).contains(&probability),
            "with_probability({probability}) needs a probability from 0.0 to 1.0, e.g. 0.25"
        );
        self.spec.trigger = Trigger::Probability(probability);
        self
    }

    /// What the rule does when it fires.
    pub fn inject(mut self, fault: Fault) -> Self {
        self.spec.fault = Some(fault);
        self
    }

    /// The name failure messages and error descriptions use (default `#<n> on <target>`).
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.spec.name = Some(name.into());
        self
    }

    /// How many times the rule must fire: `2`, `1..`, `..=3`, … Checked by
    /// [`FaultGuard::verify`] and when the guard drops (for [`mount_scoped`](Self::mount_scoped)),
    /// or by [`MockAuth::verify_faults`] and when the server drops (for [`mount`](Self::mount)).
    pub fn expect(mut self, hits: impl Into<ExpectedHits>) -> Self {
        self.spec.expected = Some(hits.into());
        self
    }

    /// Keeps the rule for the server's life.
    ///
    /// # Panics
    /// If no fault was given with [`inject`](Self::inject).
    #[track_caller]
    pub fn mount(self) {
        self.faults.mount(self.finish());
    }

    /// Keeps the rule until the returned guard drops.
    ///
    /// # Panics
    /// If no fault was given with [`inject`](Self::inject).
    #[track_caller]
    pub fn mount_scoped(self) -> FaultGuard<'a> {
        let (faults, journal) = (self.faults, self.journal);
        let (id, summary) = faults.mount(self.finish());
        FaultGuard {
            faults,
            journal,
            id,
            summary,
        }
    }

    #[track_caller]
    fn finish(self) -> RuleSpec {
        let spec = self.spec;
        let Some(fault) = spec.fault else {
            panic!(
                "the fault rule on {} injects nothing; add e.g. .inject(Fault::server_error()) \
                 before mounting it",
                spec.target
            );
        };
        RuleSpec {
            name: spec.name,
            target: spec.target,
            client_id: spec.client_id,
            trigger: spec.trigger,
            fault,
            expected: spec.expected,
        }
    }
}

/// A rule mounted with [`FaultRule::mount_scoped`]: dropping the guard removes the rule and
/// checks its [`expect`](FaultRule::expect)ed hit count (unless the thread is already
/// panicking, so a failing test never panics twice).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use mockauth::{Endpoint, Fault, MockAuth};
///
/// let auth = MockAuth::start().await;
/// let http = reqwest::Client::new();
/// {
///     let _down = auth.fault(Endpoint::Discovery).inject(Fault::server_error()).mount_scoped();
///     assert_eq!(http.get(auth.discovery_url()).send().await.unwrap().status(), 500);
/// }
/// assert_eq!(http.get(auth.discovery_url()).send().await.unwrap().status(), 200);
/// # }
/// ```
#[derive(Debug)]
#[must_use = "the rule is removed when the guard drops; keep it: let _outage = ….mount_scoped();"]
pub struct FaultGuard<'a> {
    faults: &'a Faults,
    journal: &'a Mutex<Journal>,
    id: u64,
    summary: Summary,
}

impl FaultGuard<'_> {
    /// How many requests the rule has acted on so far.
    pub fn hits(&self) -> u64 {
        self.summary.hits.load(Ordering::Relaxed)
    }

    /// Checks the rule's expected hit count now.
    ///
    /// # Panics
    /// With `expected <n> hits on fault rule "<name>", found <m>` when the count is off, or
    /// when the rule declared no [`expect`](FaultRule::expect)ation to check.
    #[track_caller]
    pub fn verify(&self) -> &Self {
        if self.summary.expected.is_none() {
            panic!(
                "fault rule {:?} has no expected hit count to verify; declare one with \
                 .expect(n) before .mount_scoped(), or read .hits()",
                self.summary.name
            );
        }
        if let Some(message) = unmet(&self.summary, self.journal) {
            panic!("{message}");
        }
        self
    }
}

impl Drop for FaultGuard<'_> {
    fn drop(&mut self) {
        self.faults.remove(self.id);
        if std::thread::panicking() {
            return;
        }
        if let Some(message) = unmet(&self.summary, self.journal) {
            panic!("{message}");
        }
    }
}
