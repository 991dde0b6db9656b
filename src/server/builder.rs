//! [`MockAuthBuilder`]: every knob of a server, set before it starts.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use super::MockAuth;
use crate::config::Config;
use crate::mount::Face;
use crate::preset::Preset;
use crate::tenant::{id_problem, TenantBuilder};
use crate::types::{Algorithm, Redacted};

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
    /// The default tenant's settings: installed like every other tenant.
    pub(crate) default_tenant: TenantBuilder,
    pub(crate) seed: Option<u64>,
    /// The admin API's token, when fixed ([`MockAuthBuilder::admin_token`]).
    pub(crate) admin_token: Option<Redacted<String>>,
    pub(crate) body_limit: usize,
    pub(crate) worker_threads: usize,
    pub(crate) shutdown_grace: Duration,
    /// Optional faces, mounted below every tenant.
    pub(crate) faces: Vec<Face>,
    /// Tenants beside the default one ([`MockAuthBuilder::tenant`]).
    pub(crate) tenants: Vec<TenantBuilder>,
    /// What config files declared beyond the default tenant's settings, applied once the
    /// server stands ([`MockAuthBuilder::config`]).
    pub(crate) declared: Vec<Config>,
    pub(crate) journal_capacity: usize,
    /// The journal's byte budget ([`MockAuthBuilder::journal_bytes`]).
    pub(crate) journal_bytes: usize,
    /// How the server's clock starts ([`MockAuthBuilder::start_time`], [`MockAuthBuilder::frozen_clock`]).
    pub(crate) clock: crate::clock::ClockStart,
    /// Connection limits ([`MockAuthBuilder::header_timeout`] and the setters after it).
    pub(crate) header_timeout: Duration,
    pub(crate) body_timeout: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) max_connections: usize,
}

/// The longest timeout the connection setters take: a day is "never" for a test.
const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// The largest connection cap: Linux's default `nr_open`, the most file descriptors a
/// process can be allowed.
const MAX_CONNECTIONS: usize = 1 << 20;

/// Panics unless `timeout` is above zero and at most [`MAX_TIMEOUT`].
fn checked_timeout(setter: &str, timeout: Duration) -> Duration {
    assert!(
        !timeout.is_zero() && timeout <= MAX_TIMEOUT,
        "MockAuthBuilder::{setter} must be above zero and at most 24 h (86400 s), not {timeout:?}"
    );
    timeout
}

impl Default for MockAuthBuilder {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            default_tenant: TenantBuilder::default_tenant(),
            seed: None,
            admin_token: None,
            body_limit: 64 * 1024,
            worker_threads: 1,
            shutdown_grace: Duration::ZERO,
            faces: Vec::new(),
            tenants: Vec::new(),
            declared: Vec::new(),
            journal_capacity: crate::journal::DEFAULT_CAPACITY,
            journal_bytes: crate::journal::DEFAULT_BYTES,
            clock: crate::clock::ClockStart::default(),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 512,
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

    /// Changes the default tenant's settings with the same setters as every other
    /// tenant's; the builder's own setters below are shorthands for the common ones.
    ///
    /// ```
    /// # fn main() {
    /// use std::time::Duration;
    /// let auth = mockauth::MockAuth::builder()
    ///     .default_tenant(|t| t.claims_timeout(Duration::from_secs(1)).client_id("app"))
    ///     .start_blocking();
    /// assert_eq!(auth.default_client().client_id(), "app");
    /// # }
    /// ```
    pub fn default_tenant(mut self, settings: impl FnOnce(TenantBuilder) -> TenantBuilder) -> Self {
        let id = self.default_tenant.id.clone();
        self.default_tenant = settings(self.default_tenant);
        self.default_tenant.id = id;
        self
    }

    /// Serves the issuer below a path, e.g. `/realms/acme` (Keycloak's layout) or
    /// `/api/invoke/my-project/auth` (other tenants' default). Default: the server root.
    ///
    /// # Panics
    /// If the path does not start with `/`, ends with one, lies below `/api/auth-sandbox`
    /// (the admin API's), or is no URL path as clients send it (see
    /// [`TenantBuilder::issuer_path`]).
    pub fn issuer_path(self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.default_tenant(|t| t.issuer_path(path))
    }

    /// The JWS algorithm of access tokens and id_tokens (default RS256).
    pub fn algorithm(self, algorithm: Algorithm) -> Self {
        self.default_tenant(|t| t.algorithm(algorithm))
    }

    /// Access token lifetime (default 1 hour).
    pub fn access_token_ttl(self, ttl: Duration) -> Self {
        self.default_tenant(|t| t.access_token_ttl(ttl))
    }

    /// Refresh token lifetime (default 30 days).
    pub fn refresh_token_ttl(self, ttl: Duration) -> Self {
        self.default_tenant(|t| t.refresh_token_ttl(ttl))
    }

    /// id_token lifetime (default 1 hour).
    pub fn id_token_ttl(self, ttl: Duration) -> Self {
        self.default_tenant(|t| t.id_token_ttl(ttl))
    }

    /// Authorization code lifetime (default 60 s).
    pub fn authorization_code_ttl(self, ttl: Duration) -> Self {
        self.default_tenant(|t| t.authorization_code_ttl(ttl))
    }

    /// MFA challenge (`mfa_token`) lifetime (default 5 minutes).
    pub fn mfa_challenge_ttl(self, ttl: Duration) -> Self {
        self.default_tenant(|t| t.mfa_challenge_ttl(ttl))
    }

    /// Lifetime of the service face's access tokens (default 15 minutes).
    pub fn service_access_token_ttl(self, ttl: Duration) -> Self {
        self.default_tenant(|t| t.service_access_token_ttl(ttl))
    }

    /// Lifetime of the service face's refresh tokens (default 7 days).
    pub fn service_refresh_token_ttl(self, ttl: Duration) -> Self {
        self.default_tenant(|t| t.service_refresh_token_ttl(ttl))
    }

    /// How long the service face waits for an application's claims endpoint on login and
    /// refresh (default 10 s); a slower one gets the call a 502 and no tokens.
    pub fn claims_timeout(self, timeout: Duration) -> Self {
        self.default_tenant(|t| t.claims_timeout(timeout))
    }

    /// Fixes the default client's `client_id` (random otherwise).
    pub fn client_id(self, id: impl Into<String>) -> Self {
        let id = id.into();
        self.default_tenant(|t| t.client_id(id))
    }

    /// Fixes the default client's `client_secret` (random otherwise).
    pub fn client_secret(self, secret: impl Into<String>) -> Self {
        let secret = secret.into();
        self.default_tenant(|t| t.client_secret(secret))
    }

    /// Makes the default tenant look like a known provider: its issuer path (overriding
    /// [`issuer_path`](Self::issuer_path) set before) and its claim shapes. See [`Preset`].
    /// Unlike other tenants, the default one can take [`Preset::Auth0`], whose issuer is the
    /// server root with a trailing slash.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use mockauth::{MockAuth, Preset};
    ///
    /// let auth = MockAuth::builder().preset(Preset::auth0("https://api.example.test")).start().await;
    /// // Auth0's issuer ends with a slash, and discovery says so.
    /// assert!(auth.issuer().ends_with('/'));
    /// let discovery: serde_json::Value =
    ///     reqwest::get(auth.discovery_url()).await.unwrap().json().await.unwrap();
    /// assert_eq!(discovery["issuer"], auth.issuer());
    /// # }
    /// ```
    pub fn preset(mut self, preset: Preset) -> Self {
        self.default_tenant.issuer_path = Some(preset.issuer_path());
        self.default_tenant.preset = Some(preset);
        self
    }

    /// Adds a tenant next to the default one: its own issuer path, key, clients (with its
    /// own default client), users (with its own `testuser`), lifetimes and issued tokens.
    /// `id` is the name the admin API's `configId`/`projectId` and
    /// [`MockAuth::tenant`](crate::MockAuth::tenant) use. See [`TenantBuilder`].
    ///
    /// # Panics
    /// If `id` is not URL-safe (letters, digits, `-`, `_`, `.`, `~`), is `"default"` (the
    /// default tenant's), or names a tenant declared before.
    pub fn tenant(
        mut self,
        id: impl Into<String>,
        settings: impl FnOnce(TenantBuilder) -> TenantBuilder,
    ) -> Self {
        let id = id.into();
        if let Some(problem) = id_problem(&id) {
            panic!("{problem}");
        }
        assert!(
            id != self.default_tenant.id && self.tenants.iter().all(|t| t.id != id),
            "a tenant {id:?} is already declared; pick another id"
        );
        let mut tenant = settings(TenantBuilder::new(id.clone()));
        tenant.id = id;
        self.tenants.push(tenant);
        self
    }

    /// Makes ids, client secrets, codes, tokens and fault sampling reproducible from run to
    /// run. The admin token is never taken from the seed (see
    /// [`admin_token`](Self::admin_token)).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Fixes the admin API's bearer token (default: 32 random bytes from the operating
    /// system, new for every server, whatever the seed).
    ///
    /// ```
    /// # fn main() {
    /// let auth = mockauth::MockAuth::builder().admin_token("ci-admin-token").start_blocking();
    /// assert_eq!(auth.admin_token(), "ci-admin-token");
    /// # }
    /// ```
    ///
    /// # Panics
    /// If `token` is empty.
    pub fn admin_token(mut self, token: impl Into<String>) -> Self {
        let token = token.into();
        assert!(!token.is_empty(), "the admin token must not be empty");
        self.admin_token = Some(Redacted(token));
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
    pub fn face(mut self, face: Face) -> Self {
        self.faces.push(face);
        self
    }

    /// How long a stopping server lets in-flight requests finish (default 0: a test's
    /// server stops at once when dropped). Connections with no request in flight (idle,
    /// or still sending a head) close at once either way.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// How many recorded requests [`MockAuth::requests`] keeps (default 10,000; the oldest
    /// go first), within [`journal_bytes`](Self::journal_bytes). Expectations count every
    /// request whatever this is.
    pub fn journal_capacity(mut self, requests: usize) -> Self {
        self.journal_capacity = requests;
        self
    }

    /// How many bytes the recorded requests may hold (default 4 MiB = 4,194,304; the
    /// oldest go first), counted as the approximate heap size of each kept entry. Each
    /// entry is bounded too (values cut at 256 bytes, at most 32 parameters, no parameters
    /// for a request that reached no endpoint), so one entry holds at most about 14 KiB:
    /// 4 MiB keeps some 300 of the largest, about 8,000 ordinary token requests (some 500
    /// bytes each), or the 10,000 of the count's bound of smaller ones (a JWKS fetch is
    /// some 250 bytes). 0 keeps none; expectations count every request whatever this is.
    ///
    /// ```
    /// # fn main() {
    /// use mockauth::MockAuth;
    ///
    /// let auth = MockAuth::builder()
    ///     .journal_capacity(100_000)
    ///     .journal_bytes(64 * 1024 * 1024)
    ///     .start_blocking();
    /// assert!(auth.requests().is_empty());
    /// # }
    /// ```
    pub fn journal_bytes(mut self, bytes: usize) -> Self {
        self.journal_bytes = bytes;
        self
    }

    /// Declares what `config` holds: the default tenant's issuer path, algorithm and
    /// lifetimes take effect like the builder's own setters (a later setter wins); its
    /// tenants, clients, users and error simulation are made when the server starts. See
    /// [`Config`].
    ///
    /// # Panics
    /// When the server starts, if a declared tenant's issuer path or client id collides
    /// with one the builder made (see [`try_start`](Self::try_start) for the error instead).
    pub fn config(mut self, config: Config) -> Self {
        let mut schema = config.schema;
        let tenant = &mut self.default_tenant;
        if let Some(path) = schema.issuer_path.take() {
            // Checked when the config was read.
            tenant.issuer_path = Some(path.0);
        }
        if let Some(algorithm) = schema.algorithm.take() {
            tenant.algorithm = algorithm.0;
        }
        if let Some(ttl) = schema.access_token_ttl.take() {
            tenant.lifetimes.access_token = ttl.duration();
        }
        if let Some(ttl) = schema.refresh_token_ttl.take() {
            tenant.lifetimes.refresh_token = ttl.duration();
        }
        // Checked when the config was read, so every entry makes a face.
        for (i, spec) in schema.faces.iter().enumerate() {
            if let Ok(face) = spec.to_face(i) {
                self.faces.push(face);
            }
        }
        self.declared.push(Config { schema });
        self
    }

    /// How long a connection may take to send the head of a request (request line and
    /// headers; default 10 s): a new connection counts from its accept, a keep-alive one
    /// from the first byte of its next request. A connection that is later is closed
    /// without an answer, so a client that sends half a request cannot hold it forever.
    ///
    /// # Panics
    /// If `timeout` is zero or longer than 24 hours.
    ///
    /// ```
    /// # fn main() {
    /// use std::io::Read as _;
    /// use std::time::Duration;
    ///
    /// let auth = mockauth::MockAuth::builder()
    ///     .header_timeout(Duration::from_millis(200))
    ///     .start_blocking();
    /// let mut silent = std::net::TcpStream::connect(auth.address()).unwrap();
    /// # silent.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    /// // Nothing sent: after 200 ms the server closes the connection (end of stream).
    /// assert_eq!(silent.read(&mut [0; 16]).unwrap(), 0);
    /// # }
    /// ```
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = checked_timeout("header_timeout", timeout);
        self
    }

    /// How long a request's body may take to arrive once its head has (default 30 s). A
    /// late body is answered `408` (`invalid_request`, recorded in the journal) and the
    /// connection closes.
    ///
    /// # Panics
    /// If `timeout` is zero or longer than 24 hours.
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = checked_timeout("body_timeout", timeout);
        self
    }

    /// How long a keep-alive connection may wait for its next request after an answer
    /// (default 60 s); it is then closed, and a client that comes back opens a new one
    /// (HTTP/1.1 lets a server close an idle connection at any time, and clients expect it).
    /// While a request is in flight (fault rules' delays and hangs included) no timeout
    /// runs.
    ///
    /// # Panics
    /// If `timeout` is zero or longer than 24 hours.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = checked_timeout("idle_timeout", timeout);
        self
    }

    /// The most connections open at once (default 512). Beyond it a new connection is
    /// accepted and closed at once, without an answer; it is served again once a
    /// connection closes (the timeouts above see that held ones do). Each connection takes
    /// a file descriptor: keep the cap below the process's open-file limit (`ulimit -n`,
    /// often 1024, which in a test process also counts the clients' ends).
    ///
    /// # Panics
    /// If `connections` is 0 or above 1,048,576.
    ///
    /// ```
    /// # fn main() {
    /// use std::io::Read as _;
    ///
    /// let auth = mockauth::MockAuth::builder().max_connections(1).start_blocking();
    /// let _held = std::net::TcpStream::connect(auth.address()).unwrap();
    /// let mut extra = std::net::TcpStream::connect(auth.address()).unwrap();
    /// # extra.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    /// // Closed at once: a reset, or the end of the stream.
    /// assert!(extra.read(&mut [0; 16]).map_or(true, |n| n == 0));
    /// # }
    /// ```
    pub fn max_connections(mut self, connections: usize) -> Self {
        assert!(
            (1..=MAX_CONNECTIONS).contains(&connections),
            "MockAuthBuilder::max_connections must be between 1 and {MAX_CONNECTIONS}, not {connections}"
        );
        self.max_connections = connections;
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
