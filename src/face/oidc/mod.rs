//! The OAuth 2.0 / OpenID Connect face (docs/oidc.md).

pub(crate) mod authorize;
pub(crate) mod discovery;
pub(crate) mod introspect;
pub(crate) mod logout;
pub(crate) mod mfa;
pub(crate) mod revoke;
pub(crate) mod sandbox;
pub(crate) mod token;
pub(crate) mod userinfo;
