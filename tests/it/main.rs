//! mockauth's integration tests: one test binary (cargo's test target `it`), a module per
//! feature.
//!
//! Each file directly under `tests/` is a crate of its own that links mockauth and every
//! dev-dependency again, so there is only this one. A feature's tests are in
//! `tests/it/<feature>.rs` (with `tests/it/<feature>/` for its submodules when it needs
//! several files), opening with a `//!` line that says what they cover; helpers shared by the
//! modules are in `common` (`use crate::common::…`). A module that needs a cargo feature is
//! gated here, on its `mod` line. All the tests share one process and run on parallel
//! threads, so none may change process-wide state (environment, current directory, panic
//! hook).
//!
//! One feature's tests: `cargo test --all-features --test it -- service_face::`.

mod common;

mod admin_api;
mod apps;
mod apps_backend;
mod assertions;
mod authorization_code;
mod bad_input;
#[cfg(feature = "cli")]
mod cli;
mod client_credentials;
mod config_file;
mod connections;
mod discovery;
mod domain_rules;
mod faults;
mod fuzz;
mod identity_auth;
mod identity_guard;
mod identity_management;
mod introspection;
mod journal;
mod journal_bounds;
mod jwks_verification;
mod jwt_bearer;
mod key_rotation;
mod logout;
mod messages;
mod mfa;
mod oauth2_client;
mod openapi;
mod openidconnect_client;
mod password;
mod presets;
mod races;
mod readme;
mod refresh_token;
mod resource_server;
mod revocation;
mod runtimes;
mod sandbox;
mod secrets;
mod service_face;
mod smoke;
mod tenants;
mod time;
mod tokens;
mod userinfo;
