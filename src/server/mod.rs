//! The test-facing API and the top of the request pipeline: everything a test holds.
//!
//! [`MockAuth`] is the running server, [`MockAuthBuilder`] its settings before it starts,
//! [`Tenant`] the handle of one tenant. Every `impl` of them lives here, one file per
//! concern; the layers below never name these three types, they work on
//! [`Shared`](crate::shared::Shared) (the state the handle and the server threads share).
//!
//! - `mock_auth.rs`: starting (bind, install the tenants, spawn the workers), URLs, drop.
//! - `builder.rs`: every knob before the start; the default tenant's settings are a
//!   [`TenantBuilder`](crate::TenantBuilder) like every other tenant's.
//! - `tenant.rs`: the tenant handle and the verbs that find or add tenants.
//! - `fixtures.rs`: clients, users, applications and accounts.
//! - `time.rs`, `keys.rs`, `faults.rs`, `requests.rs`, `tokens.rs`: the harness, by concern.
//! - `serve.rs`, `router.rs`: accept, read, record, offer to the fault rules, route to a
//!   face, answer; `upkeep.rs`: forgetting what has expired.
//! - `connection.rs`: one connection's life: its slot under the connection cap, the header
//!   and idle deadlines that close it, what a stopping server does to it.

mod builder;
mod connection;
mod faults;
mod fixtures;
mod keys;
mod mock_auth;
mod requests;
mod router;
mod serve;
mod tenant;
mod time;
mod tokens;
mod upkeep;

pub use builder::MockAuthBuilder;
pub use mock_auth::MockAuth;
pub use tenant::Tenant;
