//! [`MockAuthBuilder`]: every knob of a server, set before it starts.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use crate::server::MockAuth;
use crate::store::Lifetimes;
use crate::types::Algorithm;

/// Configures a server before it starts. Made by [`MockAuth::builder`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use std::time::Duration;
/// use mockauth::{Algorithm, MockAuth};
///
/// let auth = MockAuth::builder()
///     .access_token_ttl(Duration::from_secs(10))
///     .algorithm(Algorithm::ES256)
///     .seed(42)
///     .start()
///     .await;
/// assert!(auth.issuer().starts_with("http://127.0.0.1:"));
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use = "the server starts only with .start() or .start_blocking()"]
pub struct MockAuthBuilder {
    pub(crate) host: IpAddr,
    pub(crate) port: u16,
    pub(crate) issuer_path: String,
    pub(crate) algorithm: Algorithm,
    pub(crate) lifetimes: Lifetimes,
    pub(crate) seed: Option<u64>,
    pub(crate) client_id: Option<String>,
    pub(crate) client_secret: Option<String>,
    pub(crate) body_limit: usize,
    pub(crate) worker_threads: usize,
    pub(crate) shutdown_grace: Duration,
    /// Optional faces, mounted below every tenant.
    pub(crate) faces: Vec<crate::face::Face>,
    /// Tenants beside the default one ([`MockAuthBuilder::tenant`]).
    pub(crate) tenants: Vec<crate::tenant::TenantBuilder>,
    /// What config files declared beyond the default tenant's settings, applied once the
    /// server stands ([`MockAuthBuilder::config`]).
    pub(crate) declared: Vec<crate::config::Config>,
    pub(crate) journal_capacity: usize,
    /// How the server's clock starts ([`MockAuthBuilder::start_time`], [`MockAuthBuilder::frozen_clock`]).
    pub(crate) clock: crate::clock::ClockStart,
    /// The default tenant's provider preset ([`MockAuthBuilder::preset`]).
    pub(crate) preset: Option<crate::preset::Preset>,
}

impl Default for MockAuthBuilder {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            issuer_path: String::new(),
            algorithm: Algorithm::default(),
            lifetimes: Lifetimes::default(),
            seed: None,
            client_id: None,
            client_secret: None,
            body_limit: 64 * 1024,
            worker_threads: 1,
            shutdown_grace: Duration::ZERO,
            faces: Vec::new(),
            tenants: Vec::new(),
            declared: Vec::new(),
            journal_capacity: crate::journal::DEFAULT_CAPACITY,
            clock: crate::clock::ClockStart::default(),
            preset: None,
        }
    }
}

impl MockAuthBuilder {
    /// The address to bind (default 127.0.0.1). Anything but loopback exposes test keys:
    /// every token it signs can be forged by anyone who has this crate.
    pub fn host(mut self, host: IpAddr) -> Self {
        self.host = host;
        self
    }

    /// The port to bind (default 0: an ephemeral port picked by the OS).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Serves the issuer below a path, e.g. `/realms/acme` (Keycloak's layout) or
    /// `/api/invoke/my-project/auth` (the hosted sandbox's). Default: the server root.
    ///
    /// # Panics
    /// If the path does not start with `/` or ends with one.
    pub fn issuer_path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        assert!(
            path.is_empty() || (path.starts_with('/') && !path.ends_with('/')),
            "issuer path {path:?} must start with '/' and not end with one, e.g. \"/realms/acme\""
        );
        self.issuer_path = path;
        self
    }

    /// The JWS algorithm of access tokens and id_tokens (default RS256).
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Access token lifetime (default 1 hour).
    pub fn access_token_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.access_token = ttl;
        self
    }

    /// Refresh token lifetime (default 30 days).
    pub fn refresh_token_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.refresh_token = ttl;
        self
    }

    /// id_token lifetime (default 1 hour).
    pub fn id_token_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.id_token = ttl;
        self
    }

    /// Authorization code lifetime (default 60 s).
    pub fn authorization_code_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.authorization_code = ttl;
        self
    }

    /// MFA challenge (`mfa_token`) lifetime (default 5 minutes).
    pub fn mfa_challenge_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.mfa_challenge = ttl;
        self
    }

    /// Lifetime of the service face's access tokens (default 15 minutes).
    pub fn service_access_token_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.service_access_token = ttl;
        self
    }

    /// Lifetime of the service face's refresh tokens (default 7 days).
    pub fn service_refresh_token_ttl(mut self, ttl: Duration) -> Self {
        self.lifetimes.service_refresh_token = ttl;
        self
    }

    /// How long the service face waits for an application's claims endpoint on login and
    /// refresh (default 10 s); a slower one gets the call a 502 and no tokens.
    pub fn claims_timeout(mut self, timeout: Duration) -> Self {
        self.lifetimes.claims_timeout = timeout;
        self
    }

    /// Makes ids, secrets, codes and tokens reproducible from run to run.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Fixes the default client's `client_id` (random otherwise).
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// Fixes the default client's `client_secret` (random otherwise).
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// The largest request body accepted (default 64 KiB); larger ones get 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Runtime threads serving requests (default 1, which is plenty for a test; the
    /// standalone binary uses one per core).
    pub fn worker_threads(mut self, threads: usize) -> Self {
        self.worker_threads = threads.max(1);
        self
    }

    /// Mounts an optional face (identity or service) below every tenant; faces are off by
    /// default. Two faces need different prefixes.
    pub fn face(mut self, face: crate::face::Face) -> Self {
        self.faces.push(face);
        self
    }

    /// How long a stopping server lets in-flight requests finish (default 0: a test's
    /// server stops at once when dropped).
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// How many recorded requests [`MockAuth::requests`] keeps (default 10,000; the oldest
    /// go first). Expectations count every request whatever this is.
    pub fn journal_capacity(mut self, requests: usize) -> Self {
        self.journal_capacity = requests;
        self
    }

    /// Starts the server. Binding happens before this returns, so the server accepts
    /// connections at once; nothing needs to poll for readiness.
    ///
    /// # Panics
    /// If the address cannot be bound (see [`try_start`](Self::try_start)).
    pub async fn start(self) -> MockAuth {
        self.start_blocking()
    }

    /// Starts the server from synchronous code; needs no runtime.
    ///
    /// # Panics
    /// If the address cannot be bound (see [`try_start`](Self::try_start)).
    pub fn start_blocking(self) -> MockAuth {
        let addr = (self.host, self.port);
        self.try_start().unwrap_or_else(|e| match e.kind() {
            // Declared tenants, clients or users that collide (see `tenant`, `config`).
            std::io::ErrorKind::InvalidInput => panic!("mockauth could not start: {e}"),
            _ => panic!("mockauth could not bind {}:{}: {e}", addr.0, addr.1),
        })
    }

    /// Starts the server, or says why the address could not be bound (or, with
    /// [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput), which declared tenant,
    /// client or user collides with another).
    pub fn try_start(self) -> std::io::Result<MockAuth> {
        MockAuth::launch(self)
    }
}
