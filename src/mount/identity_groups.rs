//! [`IdentityGroups`]: which groups of the identity face answer, enabled one by one.

use crate::endpoint::Endpoint;

/// Which endpoint groups of the identity face are on; a disabled group answers 404
/// `NotFound`. All are on by default. Set with
/// [`Face::groups`](crate::Face::groups).
///
/// ```
/// # fn main() {
/// use mockauth::{Face, IdentityGroups, MockAuth};
///
/// // Only login, refresh and validate; users, roles, permissions, API keys and
/// // impersonation answer 404.
/// let auth = MockAuth::builder()
///     .face(Face::identity().groups(IdentityGroups::none().auth(true)))
///     .start_blocking();
/// # let _ = auth;
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct IdentityGroups {
    auth: bool,
    users: bool,
    roles: bool,
    permissions: bool,
    api_keys: bool,
    impersonation: bool,
}

impl Default for IdentityGroups {
    fn default() -> Self {
        Self::all()
    }
}

impl IdentityGroups {
    /// Every group on (the default).
    pub fn all() -> Self {
        Self::with(true)
    }

    /// Every group off; turn the ones you need on.
    pub fn none() -> Self {
        Self::with(false)
    }

    fn with(on: bool) -> Self {
        Self {
            auth: on,
            users: on,
            roles: on,
            permissions: on,
            api_keys: on,
            impersonation: on,
        }
    }

    /// `/auth/login`, `/auth/refresh`, `/auth/validate` (`EnableAuthEndpoints`).
    pub fn auth(mut self, on: bool) -> Self {
        self.auth = on;
        self
    }

    /// `/users…` (`EnableUserEndpoints`).
    pub fn users(mut self, on: bool) -> Self {
        self.users = on;
        self
    }

    /// `/roles…` (`EnableRoleEndpoints`).
    pub fn roles(mut self, on: bool) -> Self {
        self.roles = on;
        self
    }

    /// `/permissions…` (`EnablePermissionEndpoints`).
    pub fn permissions(mut self, on: bool) -> Self {
        self.permissions = on;
        self
    }

    /// `/apikeys…` (`EnableApiKeyEndpoints`).
    pub fn api_keys(mut self, on: bool) -> Self {
        self.api_keys = on;
        self
    }

    /// `/auth/impersonate` (`EnableImpersonationEndpoints`).
    pub fn impersonation(mut self, on: bool) -> Self {
        self.impersonation = on;
        self
    }

    /// Whether the group of `endpoint` is on, and the group's name for the 404.
    pub(crate) fn allows(&self, endpoint: Endpoint) -> (bool, &'static str) {
        match endpoint {
            Endpoint::IdentityLogin | Endpoint::IdentityRefresh | Endpoint::IdentityValidate => {
                (self.auth, "auth")
            }
            Endpoint::IdentityImpersonate => (self.impersonation, "impersonation"),
            Endpoint::IdentityUsers => (self.users, "users"),
            Endpoint::IdentityRoles => (self.roles, "roles"),
            Endpoint::IdentityPermissions => (self.permissions, "permissions"),
            Endpoint::IdentityApiKeys => (self.api_keys, "api_keys"),
            _ => (false, "unknown"),
        }
    }
}
