//! Tenants: the unit of isolation (a project, a realm, an app). Every server has a default
//! tenant at its root; more can live beside it, each with its own issuer path, key,
//! clients, users, lifetimes, issued tokens and error simulation. Here: the settings of a
//! tenant ([`TenantBuilder`]) and the one function that installs every tenant.

mod builder;
mod install;

pub use builder::TenantBuilder;
pub(crate) use builder::{default_issuer_path, id_problem, issuer_path_problem, ADMIN_PREFIX};
pub(crate) use install::{index_of, install, unknown_tenant};
