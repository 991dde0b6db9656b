//! The shapes of the admin API's bodies and the config file, with the admin API's field
//! names (docs/admin.md). The file (docs/admin.md#config-file) reuses them: `tenants[]`
//! entries are `POST /config` bodies, `clients[]` entries `POST /clients` bodies, `users[]`
//! entries `POST /users` bodies. Unknown fields are refused, so a typo is an error rather
//! than a silent default.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::fault_spec::FaultSpec;
use super::fields::{
    AlgorithmName, ClaimsUrl, Email, GrantName, IssuerPath, NonEmpty, RedirectUri, Scope, Seconds,
    Simulation, TenantId,
};

/// `POST /api/auth-sandbox/config` and the file's `tenants[]`: a tenant's settings. A
/// `projectId` (or `configId`) that names no tenant creates one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct TenantSettings {
    #[serde(alias = "configId")]
    pub(crate) project_id: Option<TenantId>,
    /// Only when the tenant is created.
    pub(crate) issuer_path: Option<IssuerPath>,
    /// Only when the tenant is created.
    pub(crate) algorithm: Option<AlgorithmName>,
    pub(crate) enabled: Option<bool>,
    #[serde(rename = "accessTokenTTL")]
    pub(crate) access_token_ttl: Option<Seconds>,
    #[serde(rename = "refreshTokenTTL")]
    pub(crate) refresh_token_ttl: Option<Seconds>,
    pub(crate) error_simulation: Option<Simulation>,
}

/// `POST /api/auth-sandbox/clients` and the file's `clients[]`: a client of a tenant.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ClientSpec {
    #[serde(alias = "projectId")]
    pub(crate) config_id: Option<TenantId>,
    pub(crate) client_name: NonEmpty,
    /// Random (`client_…`) when left out.
    pub(crate) client_id: Option<NonEmpty>,
    /// Random when left out; refused for a public client.
    pub(crate) client_secret: Option<NonEmpty>,
    /// All grants for a confidential client, code + refresh for a public one, when left out.
    pub(crate) grant_types: Option<Vec<GrantName>>,
    #[serde(default)]
    pub(crate) redirect_uris: Vec<RedirectUri>,
    #[serde(default)]
    pub(crate) post_logout_redirect_uris: Vec<RedirectUri>,
    /// `openid profile email offline_access` when left out.
    pub(crate) scopes: Option<Vec<Scope>>,
    #[serde(default)]
    pub(crate) public: bool,
    /// RFC 8252 §7.3: a loopback redirect URI may come back with any port.
    #[serde(default)]
    pub(crate) allow_any_loopback_port: bool,
}

/// `POST /api/auth-sandbox/users` and the file's `users[]`: a user of a tenant.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct UserSpec {
    #[serde(alias = "projectId")]
    pub(crate) config_id: Option<TenantId>,
    pub(crate) username: NonEmpty,
    pub(crate) email: Email,
    pub(crate) password: NonEmpty,
    /// `["user"]` when left out.
    pub(crate) roles: Option<Vec<NonEmpty>>,
    #[serde(default)]
    pub(crate) mfa_enabled: bool,
    /// Added to tokens and `/userinfo`; never replaces a standard claim.
    pub(crate) claims: Option<Map<String, Value>>,
    /// The `sub`; random (`usr_…`) when left out.
    pub(crate) id: Option<NonEmpty>,
    /// The display name (`name` claim); the username when left out.
    pub(crate) name: Option<NonEmpty>,
    pub(crate) email_verified: Option<bool>,
}

/// `POST /api/auth-sandbox/applications` and the file's `applications[]`: an application
/// of the service face (docs/admin.md#applications).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ApplicationSpec {
    #[serde(alias = "projectId")]
    pub(crate) config_id: Option<TenantId>,
    pub(crate) name: NonEmpty,
    /// Random (`appsec_…`) when left out.
    pub(crate) secret: Option<NonEmpty>,
    /// Plain `http://`; needs the cargo feature `claims-url`.
    pub(crate) claims_url: Option<ClaimsUrl>,
}

/// The whole file: the default tenant's settings at the top level, then the other tenants,
/// and the clients and users of any tenant (`configId` names it; left out = default).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FileSchema {
    pub(crate) issuer_path: Option<IssuerPath>,
    pub(crate) algorithm: Option<AlgorithmName>,
    pub(crate) enabled: Option<bool>,
    #[serde(rename = "accessTokenTTL")]
    pub(crate) access_token_ttl: Option<Seconds>,
    #[serde(rename = "refreshTokenTTL")]
    pub(crate) refresh_token_ttl: Option<Seconds>,
    pub(crate) error_simulation: Option<Simulation>,
    #[serde(default)]
    pub(crate) tenants: Vec<TenantSettings>,
    #[serde(default)]
    pub(crate) clients: Vec<ClientSpec>,
    #[serde(default)]
    pub(crate) users: Vec<UserSpec>,
    /// Applications of the service face.
    #[serde(default)]
    pub(crate) applications: Vec<ApplicationSpec>,
    /// Fault rules for the server's life (every tenant).
    #[serde(default)]
    pub(crate) faults: Vec<FaultSpec>,
    /// Optional faces to mount below every tenant.
    #[serde(default)]
    pub(crate) faces: Vec<super::face_spec::FaceSpec>,
}
