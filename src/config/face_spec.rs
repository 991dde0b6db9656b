//! `faces[]` of a config file: which optional faces to mount, where, and (identity face)
//! with which groups and rate limits — what `--face NAME[=PREFIX]` and
//! [`MockAuthBuilder::face`](crate::MockAuthBuilder::face) do from Rust.

use serde::Deserialize;

use super::error::ConfigError;
use crate::mount::{Face, FaceKind};
use crate::mount::{IdentityGroups, IdentityRateLimits};

/// `{"name": "identity", "prefix": "/identity", "groups": ["auth", "users"], "rateLimits": false}`
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct FaceSpec {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) prefix: Option<String>,
    /// Identity face: the groups to enable (default: all).
    #[serde(default)]
    pub(crate) groups: Option<Vec<String>>,
    /// Identity face: `false` turns the per-IP rate limits off (default: on;
    /// docs/identity.md#rate-limits).
    #[serde(default)]
    pub(crate) rate_limits: Option<bool>,
    /// Apps face: `false` stops unknown app ids from being created on first use (default:
    /// created; docs/apps.md#apps).
    #[serde(default)]
    pub(crate) auto_create: Option<bool>,
}

const GROUPS: [&str; 6] = [
    "auth",
    "users",
    "roles",
    "permissions",
    "apikeys",
    "impersonation",
];

impl FaceSpec {
    /// The face this entry declares, or the first problem named by field (`faces[i].…`).
    pub(crate) fn to_face(&self, i: usize) -> Result<Face, ConfigError> {
        let field = |name: &str| format!("faces[{i}].{name}");
        let spec = match &self.prefix {
            Some(prefix) => format!("{}={prefix}", self.name),
            None => self.name.clone(),
        };
        let mut face = Face::parse(&spec).map_err(|problem| {
            let which = if problem.starts_with("unknown face") {
                "name"
            } else {
                "prefix"
            };
            ConfigError::at_field(field(which), problem)
        })?;
        let identity_only = |name: &str| {
            ConfigError::at_field(
                field(name),
                format!("applies to the identity face only, not {}", self.name),
            )
        };
        if let Some(names) = &self.groups {
            if face.kind() != FaceKind::Identity {
                return Err(identity_only("groups"));
            }
            let mut groups = IdentityGroups::none();
            for name in names {
                groups = match name.as_str() {
                    "auth" => groups.auth(true),
                    "users" => groups.users(true),
                    "roles" => groups.roles(true),
                    "permissions" => groups.permissions(true),
                    "apikeys" => groups.api_keys(true),
                    "impersonation" => groups.impersonation(true),
                    other => {
                        return Err(ConfigError::at_field(
                            field("groups"),
                            format!(
                                "unknown group {other:?}; the groups are {}",
                                GROUPS.join(", ")
                            ),
                        ))
                    }
                };
            }
            face = face.groups(groups);
        }
        if let Some(on) = self.rate_limits {
            if face.kind() != FaceKind::Identity {
                return Err(identity_only("rateLimits"));
            }
            if !on {
                face = face.rate_limits(IdentityRateLimits::off());
            }
        }
        if let Some(on) = self.auto_create {
            if face.kind() != FaceKind::Apps {
                return Err(ConfigError::at_field(
                    field("autoCreate"),
                    format!("applies to the apps face only, not {}", self.name),
                ));
            }
            face = face.auto_create(on);
        }
        Ok(face)
    }
}
