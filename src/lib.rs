//! # mockauth
//!
//! A real OAuth 2.0 / OpenID Connect authorization server that lives inside your test:
//! in memory, on an ephemeral 127.0.0.1 port, started in about a millisecond, and strict
//! enough that real OIDC clients accept it as a provider.
//!
//! ## Quick start
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use mockauth::MockAuth;
//!
//! let auth = MockAuth::start().await;
//! let user = auth.default_user();
//! let client = auth.default_client();
//!
//! let token: serde_json::Value = reqwest::Client::new()
//!     .post(auth.token_url())
//!     .basic_auth(client.client_id(), client.client_secret())
//!     .form(&[("grant_type", "password"), ("username", user.username()), ("password", user.password()), ("scope", "openid email")])
//!     .send().await.unwrap()
//!     .json().await.unwrap();
//! assert!(token["id_token"].is_string());
//! # }
//! ```
//!
//! ## Clients & users
//!
//! Every server starts with a confidential default client ([`MockAuth::default_client`]:
//! every grant, scopes `openid profile email offline_access`, any loopback redirect URI)
//! and the user `testuser` / `password123`. Declare more with [`MockAuth::client`] and
//! [`MockAuth::user`]; both are synchronous.
//!
//! ## Endpoints
//!
//! Relative to [`MockAuth::issuer`]: `/.well-known/openid-configuration`,
//! `/.well-known/oauth-authorization-server`, `/.well-known/jwks.json`, `/authorize`,
//! `/token` (authorization_code with PKCE, client_credentials, password, refresh_token with
//! rotation, jwt-bearer), `/userinfo`, `/introspect`, `/revoke`, `/validate`, `/basic`,
//! `/mfa/verify`, `/logout`. POST bodies may be forms or JSON.
//!
//! ## MFA
//!
//! A user made with [`UserBuilder::mfa_totp`] gets a 403 `mfa_required` challenge from the
//! password grant, answered at `/mfa/verify` with the `_sandbox_mfa_code` of the challenge
//! or a real RFC 6238 code ([`MockAuth::totp_code`]).
//!
//! ## Faults
//!
//! Script the failures the code under test must survive. [`MockAuth::fault`] declares a
//! rule on an [`Endpoint`] (or on every auth endpoint), optionally for one client, that
//! fires on the next N calls, every Nth call or with a seeded probability, and injects a
//! [`Fault`]: any OAuth error with any status (429 with `Retry-After`), added latency, a
//! hang, a dropped connection, malformed JSON or a wrong content type. Mount it for the
//! server's life or scope it to a [`FaultGuard`]; [`FaultRule::expect`] checks how often it
//! fired. [`MockAuth::simulate_errors`] is the hosted sandbox's random
//! [`ErrorSimulation`]. Injected answers are recorded with `injected: true` in
//! [`MockAuth::requests`].
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use mockauth::{Endpoint, Fault, MockAuth};
//!
//! let auth = MockAuth::start().await;
//! auth.fault(Endpoint::Token).next_calls(1).inject(Fault::rate_limited()).mount();
//!
//! let client = auth.default_client();
//! let request = || {
//!     reqwest::Client::new()
//!         .post(auth.token_url())
//!         .basic_auth(client.client_id(), client.client_secret())
//!         .form(&[("grant_type", "client_credentials")])
//!         .send()
//! };
//! let first = request().await.unwrap();
//! assert_eq!(first.status(), 429);
//! assert_eq!(first.headers()["retry-after"], "1");
//! assert_eq!(request().await.unwrap().status(), 200);
//! # }
//! ```
//!
//! ## Time
//!
//! [`MockAuth::advance`] moves the server's clock; every expiry follows it.
//!
//! ## Keys
//!
//! Tokens are RS256 by default ([`Algorithm`] selects ES256, EdDSA or HS256). Keys come
//! from a small pool of test keys bundled in this crate, so starting a server costs no key
//! generation; **they are public, so never trust this server's tokens outside a test.**
//!
//! ## Standalone binary
//!
//! `cargo run --release --features cli --bin mockauth -- --port 8085` prints one JSON ready
//! line on stdout; see the README.

mod builder;
mod clock;
mod endpoint;
mod error;
mod face;
mod fault;
mod fixture;
mod grant;
mod http;
mod journal;
mod keys;
mod mint;
mod password;
mod server;
mod shared;
mod store;
mod totp;
mod types;

pub use builder::MockAuthBuilder;
pub use endpoint::Endpoint;
pub use error::{ErrorCode, OAuthError};
pub use fault::{
    ErrorSimulation, ExpectedHits, Fault, FaultGuard, FaultRule, FaultTarget, SimulatedError,
};
pub use fixture::{ClientBuilder, ClientCredentials, TestUser, UserBuilder};
pub use journal::RecordedRequest;
pub use server::MockAuth;
pub use types::{Algorithm, ClientId, ClientSecret, GrantType};

/// The default user's username.
pub const DEFAULT_USERNAME: &str = "testuser";
/// The default user's password (and the default password of users made without one).
pub const DEFAULT_PASSWORD: &str = "password123";
