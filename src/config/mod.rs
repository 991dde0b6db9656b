//! Declarative setup: a JSON or TOML file (what `mockauth --config FILE` reads) or text
//! that declares tenants, clients, users, lifetimes and error simulation, with the admin
//! API's field names. It also feeds [`MockAuthBuilder::config`] from Rust.

mod application;
mod apply;
mod check;
mod error;
mod face_spec;
mod fault_spec;
mod fields;
mod schema;

pub use error::ConfigError;

pub(crate) use application::{add_application, application_view};
pub(crate) use apply::{
    add_client, add_user, client_view, configure, tenant_view, user_view, Refusal,
};
pub(crate) use error::from_json;
pub(crate) use schema::{ApplicationSpec, ClientSpec, TenantSettings, UserSpec};

use std::path::Path;

use crate::shared::Shared;
use schema::FileSchema;

/// A server declared in a file: the default tenant's settings at the top level, other
/// tenants under `tenants`, and clients and users of any tenant (`configId` names it; left
/// out = the default tenant). Every entry has the shape of an admin API body
/// (`docs/admin.md`): `tenants[]` of `POST /config`, `clients[]` of `POST /clients`,
/// `users[]` of `POST /users`, `applications[]` of `POST /applications` (the service face's
/// `{configId?, name, secret?, claimsUrl?}`). `faults[]` mounts fault rules for the server's life, as
/// [`MockAuth::fault`](crate::MockAuth::fault) does: `endpoint` (a name such as `token`,
/// `auth` or `any`), optional `clientId`, one of `nextCalls` / `everyNthCall` /
/// `probability` (every call otherwise), and `inject` (`server_error`, `unavailable`,
/// `rate_limited`, `hang`, `drop_connection`, `malformed_json`, `wrong_content_type`) or
/// `error` + `status`, with optional `retryAfter` (seconds), `delayMs` and `name`.
/// Unknown fields are errors, so typos do not pass silently.
///
/// ```json
/// {
///   "accessTokenTTL": 600,
///   "errorSimulation": {"enabled": true, "errorRate": 10, "errorTypes": ["rate_limited"]},
///   "tenants": [{"projectId": "acme", "issuerPath": "/realms/acme", "algorithm": "ES256"}],
///   "clients": [{"configId": "acme", "clientName": "Web", "clientId": "web", "clientSecret": "s3cret",
///                "grantTypes": ["authorization_code", "refresh_token"],
///                "redirectUris": ["http://127.0.0.1:3000/callback"]}],
///   "users": [{"username": "alice", "email": "alice@example.test", "password": "pw",
///              "roles": ["admin"], "mfaEnabled": true, "claims": {"team": "blue"}}],
///   "faults": [{"endpoint": "token", "nextCalls": 2, "inject": "rate_limited", "retryAfter": 3}]
/// }
/// ```
///
/// Files ending in `.toml` need the `toml` cargo feature (the `cli` feature turns it on).
///
/// ```
/// # fn main() {
/// use mockauth::{Config, MockAuth};
///
/// let config = Config::from_json_str(r#"{
///     "tenants": [{"projectId": "acme"}],
///     "users": [{"configId": "acme", "username": "alice", "email": "alice@acme.test", "password": "pw"}]
/// }"#).unwrap();
/// let auth = MockAuth::builder().config(config).start_blocking();
/// assert_eq!(auth.tenant_ids(), ["default", "acme"]);
/// assert!(auth.tenant("acme").issuer().ends_with("/api/invoke/acme/auth"));
/// # }
/// ```
///
/// `Debug` shows what the file declares by count: its users' passwords and its clients' and
/// applications' secrets are never printed.
#[derive(Clone, Default)]
pub struct Config {
    pub(crate) schema: FileSchema,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let file = &self.schema;
        f.debug_struct("Config")
            .field("issuer_path", &file.issuer_path)
            .field("tenants", &file.tenants.len())
            .field("clients", &file.clients.len())
            .field("users", &file.users.len())
            .field("applications", &file.applications.len())
            .field("faults", &file.faults.len())
            .field("faces", &file.faces.len())
            .finish_non_exhaustive()
    }
}

impl Config {
    /// Parses a config from JSON text.
    ///
    /// # Errors
    /// The first problem, with its line and field: see [`ConfigError`].
    pub fn from_json_str(text: &str) -> Result<Config, ConfigError> {
        Self::checked(from_json(text)?)
    }

    /// Parses a config from TOML text (cargo feature `toml`).
    ///
    /// ```
    /// # fn main() {
    /// let config = mockauth::Config::from_toml_str(r#"
    /// accessTokenTTL = 60
    ///
    /// [[users]]
    /// username = "alice"
    /// email = "alice@example.test"
    /// password = "pw"
    /// roles = ["admin"]
    /// "#).unwrap();
    /// let auth = mockauth::MockAuth::builder().config(config).start_blocking();
    /// assert_eq!(auth.user("bob").create().username(), "bob");
    /// # }
    /// ```
    ///
    /// # Errors
    /// The first problem, with its line and field: see [`ConfigError`].
    #[cfg(feature = "toml")]
    pub fn from_toml_str(text: &str) -> Result<Config, ConfigError> {
        Self::checked(error::from_toml(text)?)
    }

    /// Reads a config file: TOML when its name ends in `.toml`, JSON otherwise.
    ///
    /// # Errors
    /// When the file cannot be read, or with its first problem; the error's `Display` is
    /// `FILE:LINE: FIELD: PROBLEM`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::plain(format!("cannot read the config file: {e}")).in_file(&shown)
        })?;
        let is_toml = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("toml"));
        let parsed = if is_toml {
            Self::parse_toml(&text)
        } else {
            Self::from_json_str(&text)
        };
        parsed.map_err(|e| e.in_file(shown))
    }

    #[cfg(feature = "toml")]
    fn parse_toml(text: &str) -> Result<Config, ConfigError> {
        Self::from_toml_str(text)
    }

    #[cfg(not(feature = "toml"))]
    fn parse_toml(_text: &str) -> Result<Config, ConfigError> {
        Err(ConfigError::plain(
            "TOML config files need mockauth's \"toml\" cargo feature; enable it, or write the file as JSON",
        ))
    }

    fn checked(schema: FileSchema) -> Result<Config, ConfigError> {
        check::check(&schema)?;
        Ok(Config { schema })
    }
}

/// Makes what a config declares on a standing server, or says which entry failed.
pub(crate) fn apply(shared: &Shared, config: &Config) -> Result<(), String> {
    let file = &config.schema;
    let defaults = TenantSettings {
        enabled: file.enabled,
        error_simulation: file.error_simulation.clone(),
        ..TenantSettings::default()
    };
    configure(shared, &defaults).map_err(|r| r.message().to_owned())?;
    for (i, tenant) in file.tenants.iter().enumerate() {
        configure(shared, tenant).map_err(|r| format!("tenants[{i}]: {}", r.message()))?;
    }
    for (i, client) in file.clients.iter().enumerate() {
        add_client(shared, client).map_err(|r| format!("clients[{i}].{}", r.message()))?;
    }
    for (i, user) in file.users.iter().enumerate() {
        add_user(shared, user).map_err(|r| format!("users[{i}].{}", r.message()))?;
    }
    for (i, app) in file.applications.iter().enumerate() {
        add_application(shared, app).map_err(|r| format!("applications[{i}].{}", r.message()))?;
    }
    Ok(())
}

/// Mounts the fault rules a config declares, for the server's life.
pub(crate) fn mount_faults(shared: &Shared, config: &Config) {
    for fault in &config.schema.faults {
        fault.mount(shared);
    }
}
