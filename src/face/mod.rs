//! Faces: protocol views of the same tenants. Each turns HTTP into domain calls and domain
//! results into its own answer shapes; faces never call each other.

pub(crate) mod admin;
pub(crate) mod apps;
pub(crate) mod identity;
pub(crate) mod oidc;
pub(crate) mod service;
