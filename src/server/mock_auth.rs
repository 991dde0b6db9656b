//! [`MockAuth`]: the handle a test holds. Starting binds the port and spawns the server on
//! its own thread with its own runtime (as wiremock does), so it works under any test
//! runtime, beside blocking clients, and after the test's runtime is gone. Dropping it
//! stops the server and frees the port.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once};
use std::thread::JoinHandle;

use parking_lot::Mutex;
use rand::rngs::StdRng;
use rand::{RngCore as _, SeedableRng as _};
use tokio::sync::watch;

use super::MockAuthBuilder;
use crate::clock::Clock;
use crate::fault::Faults;
use crate::journal::Journal;
use crate::keys::POOL_SIZE;
use crate::shared::Shared;
use crate::store::Store;

/// Hands each server the next key of the bundled pool, so neighbouring servers in one test
/// binary do not share key material.
static NEXT_KEY: AtomicUsize = AtomicUsize::new(0);

/// A running OAuth 2.0 / OpenID Connect server on 127.0.0.1.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// use mockauth::MockAuth;
///
/// let auth = MockAuth::start().await;
/// let client = auth.default_client();
/// let token: serde_json::Value = reqwest::Client::new()
///     .post(auth.token_url())
///     .form(&[
///         ("grant_type", "client_credentials"),
///         ("client_id", client.client_id()),
///         ("client_secret", client.client_secret().unwrap()),
///     ])
///     .send().await.unwrap()
///     .json().await.unwrap();
/// assert_eq!(token["token_type"], "Bearer");
/// # }
/// ```
#[derive(Debug)]
pub struct MockAuth {
    shared: Arc<Shared>,
    addr: SocketAddr,
    /// Dropping the sender tells the server threads to stop.
    stop: Option<watch::Sender<()>>,
    threads: Vec<JoinHandle<()>>,
}

impl MockAuth {
    /// Starts a server with the defaults: ephemeral port, default client and user, RS256.
    pub async fn start() -> MockAuth {
        MockAuthBuilder::default().start().await
    }

    /// Starts a server from synchronous code (a plain `#[test]`); needs no runtime.
    pub fn start_blocking() -> MockAuth {
        MockAuthBuilder::default().start_blocking()
    }

    /// A builder for every knob of the server.
    pub fn builder() -> MockAuthBuilder {
        MockAuthBuilder::default()
    }

    pub(crate) fn launch(config: MockAuthBuilder) -> std::io::Result<MockAuth> {
        install_crypto_provider();
        crate::mount::check_mounts(&config.faces)
            .map_err(|problem| std::io::Error::new(std::io::ErrorKind::InvalidInput, problem))?;
        let listener = std::net::TcpListener::bind((config.host, config.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shown_ip = if addr.ip().is_unspecified() {
            "127.0.0.1".parse().expect("ip")
        } else {
            addr.ip()
        };
        let origin = format!("http://{}", SocketAddr::new(shown_ip, addr.port()));

        let rng = match config.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_entropy(),
        };
        let key_index = match config.seed {
            Some(seed) => seed as usize,
            None => NEXT_KEY.fetch_add(1, Ordering::Relaxed),
        } % POOL_SIZE;
        let clock = Clock::new(config.clock);
        let now = clock.unix();
        let mut store = Store::new(rng, key_index);
        // Never from the seed: a seeded server's ids are predictable, its admin token is not.
        let admin_token = config
            .admin_token
            .clone()
            .map_or_else(random_admin_token, |t| t.0);
        for tenant in std::iter::once(&config.default_tenant).chain(&config.tenants) {
            crate::tenant::install(&mut store, tenant, now).map_err(|problem| {
                std::io::Error::new(std::io::ErrorKind::InvalidInput, problem)
            })?;
        }

        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            clock,
            origin,
            body_limit: config.body_limit,
            admin_token: admin_token.into(),
            journal: Mutex::new(Journal::new(config.journal_capacity, config.journal_bytes)),
            faults: Faults::new(config.seed),
            faces: config.faces.clone(),
            identity_rate: Default::default(),
        });
        for declared in &config.declared {
            crate::config::apply(&shared, declared).map_err(|problem| {
                std::io::Error::new(std::io::ErrorKind::InvalidInput, problem)
            })?;
        }
        let (stop, stop_rx) = watch::channel(());
        // One thread per worker, each with a single-threaded runtime. The first accepts and
        // deals connections out round-robin; a connection then stays on one thread and its
        // requests are served first come, first served (a steadier tail latency under load
        // than a work-stealing pool gave).
        let limits = super::connection::Limits {
            header: config.header_timeout,
            body: config.body_timeout,
            idle: config.idle_timeout,
            max_connections: config.max_connections,
            grace: config.shutdown_grace,
        };
        let mut threads = Vec::with_capacity(config.worker_threads);
        let mut peers = Vec::new();
        for worker in 1..config.worker_threads {
            let (handoff, handed) = tokio::sync::mpsc::unbounded_channel();
            peers.push(handoff);
            let (shared, stop_rx) = (shared.clone(), stop_rx.clone());
            threads.push(spawn_worker(addr, worker, async move {
                super::serve::serve_handed(handed, shared, stop_rx, limits).await;
            })?);
        }
        let shared_for_acceptor = shared.clone();
        threads.push(spawn_worker(addr, 0, async move {
            let listener =
                tokio::net::TcpListener::from_std(listener).expect("listener for the runtime");
            let upkeep =
                super::upkeep::prune_periodically(shared_for_acceptor.clone(), stop_rx.clone());
            let serving =
                super::serve::serve(listener, peers, shared_for_acceptor, stop_rx, limits);
            tokio::join!(serving, upkeep);
        })?);
        let auth = MockAuth {
            shared,
            addr,
            stop: Some(stop),
            threads,
        };
        for declared in &config.declared {
            crate::config::mount_faults(&auth.shared, declared);
        }
        Ok(auth)
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    /// The socket address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// The issuer of the default tenant: `http://127.0.0.1:PORT` plus its issuer path, no
    /// trailing slash (except under [`Preset::auth0`](crate::Preset::auth0), whose issuer
    /// ends with one).
    pub fn issuer(&self) -> String {
        self.default_tenant().issuer()
    }

    /// `{issuer}/.well-known/openid-configuration`
    pub fn discovery_url(&self) -> String {
        self.default_tenant().discovery_url()
    }
    /// `{issuer}/.well-known/jwks.json`
    pub fn jwks_url(&self) -> String {
        self.default_tenant().jwks_url()
    }
    /// `{issuer}/authorize`
    pub fn authorize_url(&self) -> String {
        self.default_tenant().authorize_url()
    }
    /// `{issuer}/token`
    pub fn token_url(&self) -> String {
        self.default_tenant().token_url()
    }
    /// `{issuer}/userinfo`
    pub fn userinfo_url(&self) -> String {
        self.default_tenant().userinfo_url()
    }
    /// `{issuer}/introspect`
    pub fn introspection_url(&self) -> String {
        self.default_tenant().introspection_url()
    }
    /// `{issuer}/revoke`
    pub fn revocation_url(&self) -> String {
        self.default_tenant().revocation_url()
    }
    /// `{issuer}/logout`
    pub fn logout_url(&self) -> String {
        self.default_tenant().logout_url()
    }
    /// `{issuer}/mfa/verify`
    pub fn mfa_verify_url(&self) -> String {
        self.default_tenant().mfa_verify_url()
    }

    /// The bearer token of the admin HTTP API (`Authorization: Bearer …`).
    pub fn admin_token(&self) -> &str {
        &self.shared.admin_token
    }

    /// The HS256 signing secret, when the server signs with [`Algorithm::HS256`](crate::Algorithm::HS256).
    pub fn hs256_secret(&self) -> Option<Vec<u8>> {
        self.default_tenant().hs256_secret()
    }
}

impl Drop for MockAuth {
    fn drop(&mut self) {
        drop(self.stop.take());
        for thread in self.threads.drain(..) {
            // A thread only ends its runtime; a panic there has already been reported.
            let _ = thread.join();
        }
        // Expected hit counts of fault rules mounted for the server's life.
        crate::fault::verify_on_drop(&self.shared.faults, &self.shared.journal);
        // Request expectations declared with `expect(..)`.
        crate::journal::verify_on_drop(&self.shared.journal, &self.shared.origin);
    }
}

/// Runs `work` on a new thread with its own single-threaded runtime.
fn spawn_worker(
    addr: SocketAddr,
    worker: usize,
    work: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name(format!("mockauth-{}-{worker}", addr.port()))
        .spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime for the mockauth server")
                .block_on(work);
        })
}

/// jsonwebtoken panics when both of its crypto backends are compiled in (cargo feature
/// unification can do that to a consumer) unless one is installed explicitly.
fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
        // aws-lc gathers CPU-jitter entropy on its first draw of random bytes (RSA blinding
        // needs them): 24–50 ms once per process. Pay it on a side thread while the test
        // sets up, instead of inside its first token request.
        let _ = std::thread::Builder::new()
            .name("mockauth-entropy".into())
            .spawn(|| {
                let _ = aws_lc_rs::rand::fill(&mut [0u8; 1]);
            });
    });
}

/// `adm_` + 32 bytes from the operating system's random source, base64url.
fn random_admin_token() -> String {
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!(
        "adm_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}
