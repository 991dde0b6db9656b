//! Names of the endpoints, as fault rules and recorded requests refer to them.

use std::fmt;

/// An endpoint of the server, named independently of its path (which depends on the
/// tenant's issuer path and the face's prefix).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// `/.well-known/openid-configuration` and `/.well-known/oauth-authorization-server`.
    Discovery,
    /// `/.well-known/jwks.json`
    Jwks,
    /// `/authorize`
    Authorize,
    /// `/token`
    Token,
    /// `/userinfo`
    Userinfo,
    /// `/introspect`
    Introspect,
    /// `/revoke`
    Revoke,
    /// `/validate`
    Validate,
    /// `/basic`
    Basic,
    /// `/mfa/verify`
    MfaVerify,
    /// `/logout`
    Logout,
    /// Identity face: `POST /auth/login`.
    IdentityLogin,
    /// Identity face: `POST /auth/refresh`.
    IdentityRefresh,
    /// Identity face: `POST /auth/validate`.
    IdentityValidate,
    /// Identity face: `POST /auth/impersonate`.
    IdentityImpersonate,
    /// Identity face: `/users` and `/users/{id}…`.
    IdentityUsers,
    /// Identity face: `/roles` and `/roles/{id}…`.
    IdentityRoles,
    /// Identity face: `/permissions` and `/permissions/{id}`.
    IdentityPermissions,
    /// Identity face: `/apikeys` and `/apikeys/{id}`.
    IdentityApiKeys,
    /// Service face: `POST /auth/register`.
    ServiceRegister,
    /// Service face: `POST /auth/login`.
    ServiceLogin,
    /// Service face: `POST /auth/refresh`.
    ServiceRefresh,
    /// Service face: `POST /auth/revoke`.
    ServiceRevoke,
    /// Apps face: `POST /auth/{app_id}/signup`.
    AppsSignup,
    /// Apps face: `POST /auth/{app_id}/login`.
    AppsLogin,
    /// Apps face: `POST /auth/{app_id}/refresh`.
    AppsRefresh,
    /// Apps face: `POST /auth/{app_id}/logout`.
    AppsLogout,
    /// Apps face: `GET /auth/{app_id}/me`.
    AppsMe,
    /// Apps face: `GET /auth/{app_id}/.well-known/jwks.json`.
    AppsJwks,
}

impl Endpoint {
    /// Every endpoint.
    pub const ALL: [Endpoint; 29] = [
        Endpoint::Discovery,
        Endpoint::Jwks,
        Endpoint::Authorize,
        Endpoint::Token,
        Endpoint::Userinfo,
        Endpoint::Introspect,
        Endpoint::Revoke,
        Endpoint::Validate,
        Endpoint::Basic,
        Endpoint::MfaVerify,
        Endpoint::Logout,
        Endpoint::IdentityLogin,
        Endpoint::IdentityRefresh,
        Endpoint::IdentityValidate,
        Endpoint::IdentityImpersonate,
        Endpoint::IdentityUsers,
        Endpoint::IdentityRoles,
        Endpoint::IdentityPermissions,
        Endpoint::IdentityApiKeys,
        Endpoint::ServiceRegister,
        Endpoint::ServiceLogin,
        Endpoint::ServiceRefresh,
        Endpoint::ServiceRevoke,
        Endpoint::AppsSignup,
        Endpoint::AppsLogin,
        Endpoint::AppsRefresh,
        Endpoint::AppsLogout,
        Endpoint::AppsMe,
        Endpoint::AppsJwks,
    ];

    /// A short stable name: `token`, `jwks`, `mfa_verify`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Endpoint::Discovery => "discovery",
            Endpoint::Jwks => "jwks",
            Endpoint::Authorize => "authorize",
            Endpoint::Token => "token",
            Endpoint::Userinfo => "userinfo",
            Endpoint::Introspect => "introspect",
            Endpoint::Revoke => "revoke",
            Endpoint::Validate => "validate",
            Endpoint::Basic => "basic",
            Endpoint::MfaVerify => "mfa_verify",
            Endpoint::Logout => "logout",
            Endpoint::IdentityLogin => "identity_login",
            Endpoint::IdentityRefresh => "identity_refresh",
            Endpoint::IdentityValidate => "identity_validate",
            Endpoint::IdentityImpersonate => "identity_impersonate",
            Endpoint::IdentityUsers => "identity_users",
            Endpoint::IdentityRoles => "identity_roles",
            Endpoint::IdentityPermissions => "identity_permissions",
            Endpoint::IdentityApiKeys => "identity_apikeys",
            Endpoint::ServiceRegister => "service_register",
            Endpoint::ServiceLogin => "service_login",
            Endpoint::ServiceRefresh => "service_refresh",
            Endpoint::ServiceRevoke => "service_revoke",
            Endpoint::AppsSignup => "apps_signup",
            Endpoint::AppsLogin => "apps_login",
            Endpoint::AppsRefresh => "apps_refresh",
            Endpoint::AppsLogout => "apps_logout",
            Endpoint::AppsMe => "apps_me",
            Endpoint::AppsJwks => "apps_jwks",
        }
    }

    /// Parses [`as_str`](Self::as_str)'s names.
    pub fn parse(name: &str) -> Option<Endpoint> {
        Endpoint::ALL.into_iter().find(|e| e.as_str() == name)
    }

    /// The endpoints that issue or check credentials: the ones the error
    /// simulation applies to (discovery and JWKS only when a rule names them).
    pub fn is_auth(self) -> bool {
        !matches!(
            self,
            Endpoint::Discovery | Endpoint::Jwks | Endpoint::AppsJwks
        )
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
