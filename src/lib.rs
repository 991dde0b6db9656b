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
//! fired. [`MockAuth::simulate_errors`] turns on a tenant's random
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
//! ## Recording and expectations
//!
//! Every request is recorded ([`RecordedRequest`]: endpoint, client, grant, user, status,
//! injected or not, time, parameters) with secrets redacted and headers left out. Ask what
//! happened with [`MockAuth::requests`], [`MockAuth::requests_to`] or
//! [`MockAuth::requests_matching`] and a [`RequestFilter`]. Declare what must happen with
//! [`MockAuth::expect`], a count or a range ([`ExpectedHits`]), checked by
//! [`MockAuth::verify_requests`] and again when the server drops (never while the test is
//! already panicking). Counts stay exact beyond the journal's capacity and byte budget.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use mockauth::{Endpoint, GrantType, MockAuth};
//!
//! let auth = MockAuth::start().await;
//! auth.expect(Endpoint::Token).grant(GrantType::Password).times(1..);
//!
//! let client = auth.default_client();
//! reqwest::Client::new()
//!     .post(auth.token_url())
//!     .basic_auth(client.client_id(), client.client_secret())
//!     .form(&[("grant_type", "password"), ("username", "testuser"), ("password", "password123")])
//!     .send().await.unwrap();
//!
//! let login = &auth.requests_to(Endpoint::Token)[0];
//! assert_eq!(login.username.as_deref(), Some("testuser"));
//! assert_eq!(login.param("password"), Some("[redacted]"));
//! auth.verify_requests();
//! # }
//! ```
//!
//! ## Time
//!
//! [`MockAuth::advance`] moves the server's clock; every expiry follows it (tokens' `exp`,
//! `iat` and `auth_time`, codes, MFA challenges, refresh tokens, `/userinfo`,
//! `/introspect`), with no sleeping. [`MockAuthBuilder::start_time`] starts it at a chosen
//! time, [`MockAuthBuilder::frozen_clock`] (or [`MockAuth::freeze_clock`]) makes it stand
//! still until advanced, and [`MockAuth::set_issue_skew`] stamps tokens as if the issuer's
//! clock were [`IssueSkew::Ahead`] or [`IssueSkew::Behind`], to test a verifier's leeway.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use std::time::Duration;
//! use mockauth::MockAuth;
//!
//! let auth = MockAuth::builder().access_token_ttl(Duration::from_secs(60)).start().await;
//! let client = auth.default_client();
//! let token: serde_json::Value = reqwest::Client::new()
//!     .post(auth.token_url())
//!     .basic_auth(client.client_id(), client.client_secret())
//!     .form(&[("grant_type", "password"), ("username", "testuser"), ("password", "password123"), ("scope", "openid")])
//!     .send().await.unwrap()
//!     .json().await.unwrap();
//! let userinfo = || reqwest::Client::new()
//!     .get(auth.userinfo_url())
//!     .bearer_auth(token["access_token"].as_str().unwrap())
//!     .send();
//! assert_eq!(userinfo().await.unwrap().status(), 200);
//! auth.advance(Duration::from_secs(61));
//! assert_eq!(userinfo().await.unwrap().status(), 401);
//! # }
//! ```
//!
//! ## Keys
//!
//! Tokens are RS256 by default ([`Algorithm`] selects ES256, EdDSA or HS256, per tenant
//! too). Keys come from a small pool of test keys bundled in this crate, so starting a
//! server costs no key generation; **they are public, so never trust this server's tokens
//! outside a test.** [`MockAuth::rotate_keys`] makes the next pool key (with a new `kid`)
//! sign while the old one stays in the JWKS until [`MockAuth::retire_old_keys`];
//! [`MockAuth::rotate_keys_without_publishing`] signs with a key the JWKS does not list yet,
//! for testing a client's JWKS-refetch logic.
//!
//! ## Presets
//!
//! [`MockAuthBuilder::preset`] makes the server look like Keycloak, Auth0, Microsoft Entra
//! ID, AWS Cognito or Okta to the app under test: that provider's issuer path and the claims
//! apps read (`realm_access.roles`, `permissions`, `scp`, `cognito:groups`, `cid`…). See
//! [`Preset`].
//!
//! ## Minting and forging
//!
//! A resource server's test needs a token, not a login. [`MockAuth::issue_token`] mints one
//! in process ([`TokenBuilder`]: user or client, scopes, audience, claims, lifetime),
//! signed by the server's current key and recorded like an HTTP issuance, so
//! `/introspect`, `/userinfo` and revocation treat it as any other.
//! [`TokenBuilder::forge`] makes it wrong in one [`Forgery`] way instead: expired, not yet
//! valid, wrong issuer or audience, another key, unknown `kid`, `alg: none`, HS256 with
//! the public key, tampered payload, revoked.
//!
//! ```
//! # fn main() {
//! use mockauth::{Forgery, MockAuth};
//!
//! let auth = MockAuth::start_blocking();
//! auth.user("alice").create();
//! let good = auth.issue_token().user("alice").scopes(["openid", "orders:read"]).access_token();
//! let expired = auth.issue_token().user("alice").forge(Forgery::Expired);
//! auth.assert_token(&good).active();
//! # let _ = expired;
//! # }
//! ```
//!
//! ## Assertions
//!
//! [`MockAuth::assert_token`] verifies a token against the server's own keys first, then
//! checks its claims ([`TokenAssertion`]: subject, client, scopes, audience, claims, expiry
//! window, active or revoked). [`MockAuth::assert_issued`] checks what the token endpoint
//! issued, by client and grant ([`IssuedAssertion`]). Both are chainable and
//! `#[track_caller]`, and fail with `expected …, found …` plus the decoded claims or the
//! recorded token requests.
//!
//! ```
//! # fn main() {
//! use mockauth::MockAuth;
//!
//! let auth = MockAuth::start_blocking();
//! auth.user("alice").claim("tenant", "acme").create();
//! let token = auth.issue_token().user("alice").access_token();
//! auth.assert_token(&token).subject("alice").claim("tenant", "acme").active();
//! # }
//! ```
//!
//! ## Tenants, admin API and config files
//!
//! One server can hold several [`Tenant`]s (projects, applications, Keycloak's realms), each
//! with its own issuer path, key, clients, users, lifetimes and tokens:
//! [`MockAuthBuilder::tenant`], [`MockAuth::add_tenant`], [`MockAuth::tenant`]. Non-Rust
//! tests reach the same setup over the admin HTTP API below `/api/auth-sandbox` (bearer
//! [`MockAuth::admin_token`]) or with a JSON/TOML [`Config`] (`mockauth --config FILE`,
//! [`MockAuthBuilder::config`]); both use the field names of `docs/admin.md`.
//!
//! ```
//! # fn main() {
//! use mockauth::MockAuth;
//!
//! let auth = MockAuth::builder().tenant("acme", |t| t.issuer_path("/realms/acme")).start_blocking();
//! let acme = auth.tenant("acme");
//! acme.user("alice").create();
//! assert_eq!(acme.token_url(), format!("{}/realms/acme/token", auth.issuer()));
//! # }
//! ```
//!
//! ## Identity face
//!
//! [`Face::identity`] mounts a JSON REST API (docs/identity.md) below every tenant:
//! `POST /auth/login {username, password}` answers `{token, refreshToken, expiresAt, user}`
//! with a JWT the tenant's JWKS verifies (`sub` = the user's id), `/auth/refresh` rotates,
//! `/auth/validate` answers `{isValid}`, `/auth/impersonate` adds an RFC 8693 `act` claim.
//! Errors are `{error, message, details, traceId}`; five wrong passwords in a row, on any
//! face, lock a user for 30 minutes of the server's clock; per-IP rate limits
//! ([`IdentityRateLimits`], on by default, `off()` for load tests) and enabled groups
//! ([`IdentityGroups`]) are face options.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use mockauth::{Face, MockAuth};
//!
//! let auth = MockAuth::builder().face(Face::identity()).start().await;
//! let alice = auth.user("alice").password("alice-pw-1").create();
//! let login: serde_json::Value = reqwest::Client::new()
//!     .post(format!("{}/auth/login", auth.issuer()))
//!     .json(&serde_json::json!({"username": "alice", "password": "alice-pw-1"}))
//!     .send().await.unwrap()
//!     .json().await.unwrap();
//! assert_eq!(login["user"]["id"], alice.id());
//! auth.assert_token(login["token"].as_str().unwrap()).subject(alice.id()).active();
//! # }
//! ```
//!
//! ## Identity face: management
//!
//! The same face manages the tenant's `/users`, `/roles`, `/permissions` and `/apikeys`
//! (plus `/users/{id}/roles`, `/users/{id}/permissions`, `/roles/{id}/permissions`,
//! `/roles/{id}/users`), each group behind its `*:Manage` permission, held by a user
//! (directly or through a role), by an `X-API-Key`, or by the admin token. A user made there
//! logs in through every face of its tenant; deleting or renaming a role or permission
//! follows through to everyone who held it; a bad body is one `ValidationError` naming
//! every bad field.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use mockauth::{Face, MockAuth};
//! use serde_json::json;
//!
//! let auth = MockAuth::builder().face(Face::identity()).start().await;
//! let admin = |path: &str| {
//!     reqwest::Client::new().post(format!("{}{path}", auth.issuer())).bearer_auth(auth.admin_token())
//! };
//! admin("/roles").json(&json!({"name": "UserAdmin", "permissions": ["Users:Manage"]})).send().await.unwrap();
//! let created = admin("/users")
//!     .json(&json!({"username": "jane", "email": "jane@example.test", "password": "jane-pw-123", "roles": ["UserAdmin"]}))
//!     .send().await.unwrap();
//! assert_eq!(created.status(), 201);
//! let key: serde_json::Value = admin("/apikeys")
//!     .json(&json!({"name": "ci", "permissions": ["Users:Manage"]}))
//!     .send().await.unwrap().json().await.unwrap();
//! let effective = reqwest::Client::new()
//!     .get(format!("{}/users/jane/permissions", auth.issuer()))
//!     .header("x-api-key", key["key"].as_str().unwrap())
//!     .send().await.unwrap();
//! assert_eq!(effective.status(), 200);
//! # }
//! ```
//!
//! ## Service face
//!
//! [`Face::service`] mounts a standalone account service (docs/service.md):
//! `/auth/register`, `/auth/login`, `/auth/refresh` (rotation) and `/auth/revoke`, each
//! naming its application with `x-application-secret`. Declare applications with
//! [`MockAuth::application`]; their access tokens are HS256 JWTs signed with the tenant's
//! [`MockAuth::service_signing_key`] and carry the claims the application's claims endpoint
//! answers (cargo feature `claims-url`) or its [`ApplicationBuilder::claims_with`] closure
//! returns. Accounts are the tenant's users ([`Account`]).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use mockauth::{Face, MockAuth};
//! use serde_json::{json, Value};
//!
//! let auth = MockAuth::builder().face(Face::service()).start().await;
//! let app = auth.application("billing").claims_with(|_| Ok(json!({"role": "admin"}))).create();
//! let tokens: Value = reqwest::Client::new()
//!     .post(auth.service_url("/auth/login"))
//!     .header("x-application-secret", app.secret())
//!     .json(&json!({"identifier": "testuser", "password": "password123"}))
//!     .send().await.unwrap()
//!     .json().await.unwrap();
//! assert!(tokens["refreshToken"].is_string());
//! # }
//! ```
//!
//! ## Standalone binary
//!
//! `cargo run --release --features cli --bin mockauth -- --port 8085` prints one JSON ready
//! line on stdout; its flags, ready line, exit codes and signals are in `docs/binary.md`.

mod assert;
mod check;
mod clock;
mod config;
mod endpoint;
mod error;
mod expected_hits;
mod face;
mod fault;
mod fixture;
mod forge;
mod grant;
mod http;
mod issue_token;
mod journal;
mod keys;
mod mint;
mod mount;
mod password;
mod preset;
mod server;
mod shared;
mod store;
mod tenant;
mod totp;
mod types;

pub use assert::{IssuedAssertion, TokenAssertion};
pub use clock::IssueSkew;
pub use config::{Config, ConfigError};
pub use endpoint::Endpoint;
pub use error::{ErrorCode, OAuthError};
pub use fault::{
    ErrorSimulation, ExpectedHits, Fault, FaultGuard, FaultRule, FaultTarget, SimulatedError,
};
pub use fixture::{
    ApplicationBuilder, ClientBuilder, ClientCredentials, ServiceApplication, TestUser, UserBuilder,
};
pub use forge::Forgery;
pub use issue_token::{IssuedTokens, TokenBuilder};
pub use journal::{ExpectationBuilder, RecordedRequest, RequestFilter};
pub use mount::{Face, FaceKind, IdentityGroups, IdentityRateLimits, MAX_AUTO_APPS};
pub use preset::{Auth0, Cognito, Entra, Keycloak, Okta, Preset};
pub use server::{MockAuth, MockAuthBuilder, Tenant};
pub use store::Account;
pub use tenant::TenantBuilder;
pub use types::{Algorithm, ClientId, ClientSecret, GrantType};

pub use store::{DEFAULT_PASSWORD, DEFAULT_USERNAME};
