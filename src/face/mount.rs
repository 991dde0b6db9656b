//! Which optional faces a server mounts, and where.

use std::fmt;

/// The kind of an optional face.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaceKind {
    /// Moka.Auth-style identity API (contract §5): login, users, roles, permissions, API keys.
    Identity,
    /// Standalone account service with a claims callback (contract §6).
    Service,
}

impl FaceKind {
    /// The name used by `--face NAME[=PREFIX]` and config files.
    pub fn as_str(self) -> &'static str {
        match self {
            FaceKind::Identity => "identity",
            FaceKind::Service => "service",
        }
    }
}

impl fmt::Display for FaceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An optional face, mounted below every tenant's base path plus a prefix. Faces are off
/// by default; mount them with [`MockAuthBuilder::face`](crate::MockAuthBuilder::face).
///
/// ```
/// # fn main() {
/// use mockauth::{Face, MockAuth};
///
/// let auth = MockAuth::builder().face(Face::identity()).face(Face::service().at("/svc")).start_blocking();
/// assert!(auth.issuer().starts_with("http://127.0.0.1:"));
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Face {
    kind: FaceKind,
    prefix: String,
}

impl Face {
    /// The identity face at the tenant's base path.
    pub fn identity() -> Self {
        Self {
            kind: FaceKind::Identity,
            prefix: String::new(),
        }
    }

    /// The service face at the tenant's base path.
    pub fn service() -> Self {
        Self {
            kind: FaceKind::Service,
            prefix: String::new(),
        }
    }

    /// Mounts the face below `prefix` (e.g. `/identity`).
    ///
    /// # Panics
    /// If the prefix does not start with `/` or ends with one.
    #[must_use]
    pub fn at(mut self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into();
        if let Err(problem) = check_prefix(&prefix) {
            panic!("{problem}");
        }
        self.prefix = prefix;
        self
    }

    /// Parses `NAME[=PREFIX]` as `--face` takes it.
    pub fn parse(spec: &str) -> Result<Face, String> {
        let (name, prefix) = spec.split_once('=').unwrap_or((spec, ""));
        let kind = match name {
            "identity" => FaceKind::Identity,
            "service" => FaceKind::Service,
            other => {
                return Err(format!(
                    "unknown face {other:?}; the faces are identity and service"
                ))
            }
        };
        check_prefix(prefix)?;
        Ok(Face {
            kind,
            prefix: prefix.to_owned(),
        })
    }

    /// The kind of face.
    pub fn kind(&self) -> FaceKind {
        self.kind
    }

    /// The prefix below the tenant's base path (`""` for none).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

fn check_prefix(prefix: &str) -> Result<(), String> {
    if prefix.is_empty() || (prefix.starts_with('/') && !prefix.ends_with('/')) {
        Ok(())
    } else {
        Err(format!(
            "face prefix {prefix:?} must start with '/' and not end with one, e.g. \"/identity\""
        ))
    }
}

/// Refuses face mounts that would answer the same path twice.
pub(crate) fn check_mounts(faces: &[Face]) -> Result<(), String> {
    for (i, a) in faces.iter().enumerate() {
        for b in &faces[i + 1..] {
            if a.kind == b.kind {
                return Err(format!("face {} is mounted twice; mount it once", a.kind));
            }
            if a.prefix == b.prefix {
                return Err(format!(
                    "faces {} and {} are both mounted at {:?} and would both answer /auth/login; give one a prefix, e.g. --face {}=/{}",
                    a.kind, b.kind, a.prefix, b.kind, b.kind
                ));
            }
        }
    }
    Ok(())
}
