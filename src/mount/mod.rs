//! Which optional faces a server mounts, and where, with each face's options. Plain
//! settings: the faces read them, the server holds them.

mod identity_groups;
mod identity_rate_limits;

use std::fmt;

pub use identity_groups::IdentityGroups;
pub use identity_rate_limits::IdentityRateLimits;
pub(crate) use identity_rate_limits::Limit;

/// How many apps a server may hold before the apps face stops creating them on first use:
/// every unknown app id a client names becomes a tenant the server keeps, so a client must
/// not be able to make them without end. Beyond it, a new app id answers 403
/// `APP_LIMIT_REACHED`; apps already made keep working.
pub const MAX_AUTO_APPS: usize = 1_000;

/// The kind of an optional face.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaceKind {
    /// The identity API (docs/identity.md): login, users, roles, permissions, API keys.
    Identity,
    /// The account service with a claims callback (docs/service.md).
    Service,
    /// Auth for apps, each app a tenant: `/auth/{app_id}/…` at the origin (docs/apps.md).
    Apps,
}

impl FaceKind {
    /// The name used by `--face NAME[=PREFIX]` and config files.
    pub fn as_str(self) -> &'static str {
        match self {
            FaceKind::Identity => "identity",
            FaceKind::Service => "service",
            FaceKind::Apps => "apps",
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
    /// Identity face only: which endpoint groups answer.
    groups: IdentityGroups,
    /// Identity face only: per-IP rate limits.
    rate_limits: IdentityRateLimits,
    /// Apps face only: whether an unknown app id is created on first use.
    auto_create: bool,
}

impl Face {
    /// The identity face at the tenant's base path.
    pub fn identity() -> Self {
        Self::of(FaceKind::Identity)
    }

    /// The service face at the tenant's base path.
    pub fn service() -> Self {
        Self::of(FaceKind::Service)
    }

    /// The apps face at the server origin: `/auth/{app_id}/…`, each app a tenant, created
    /// on first use unless [`auto_create(false)`](Self::auto_create) says otherwise.
    pub fn apps() -> Self {
        Self::of(FaceKind::Apps)
    }

    fn of(kind: FaceKind) -> Self {
        Self {
            kind,
            prefix: String::new(),
            groups: Default::default(),
            rate_limits: Default::default(),
            auto_create: true,
        }
    }

    /// Apps face: whether a request for an unknown app id creates that app with the
    /// defaults (on by default, while the server holds fewer than [`MAX_AUTO_APPS`] apps); off, it answers 404
    /// `APP_NOT_FOUND`.
    ///
    /// # Panics
    /// If this is not the apps face.
    #[track_caller]
    #[must_use]
    pub fn auto_create(mut self, on: bool) -> Self {
        assert!(
            self.kind == FaceKind::Apps,
            "Face::auto_create applies to the apps face only; use Face::apps().auto_create(..)"
        );
        self.auto_create = on;
        self
    }

    /// Apps face: whether unknown app ids are created on first use.
    pub(crate) fn auto_creates(&self) -> bool {
        self.auto_create
    }

    /// Identity face: which endpoint groups answer (all by default; a disabled group
    /// answers 404). See [`IdentityGroups`](crate::IdentityGroups).
    ///
    /// # Panics
    /// If this is not the identity face.
    #[track_caller]
    #[must_use]
    pub fn groups(mut self, groups: IdentityGroups) -> Self {
        self.expect_identity("groups");
        self.groups = groups;
        self
    }

    /// Identity face: per-IP rate limits (on by default;
    /// [`IdentityRateLimits::off`](crate::IdentityRateLimits::off) for load tests).
    ///
    /// # Panics
    /// If this is not the identity face.
    #[track_caller]
    #[must_use]
    pub fn rate_limits(mut self, limits: IdentityRateLimits) -> Self {
        self.expect_identity("rate_limits");
        self.rate_limits = limits;
        self
    }

    #[track_caller]
    fn expect_identity(&self, option: &str) {
        assert!(
            self.kind == FaceKind::Identity,
            "Face::{option} applies to the identity face only; use Face::identity().{option}(..)"
        );
    }

    /// The identity face's groups and rate limits.
    pub(crate) fn identity_options(&self) -> (IdentityGroups, IdentityRateLimits) {
        (self.groups, self.rate_limits)
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
            "apps" => FaceKind::Apps,
            other => {
                return Err(format!(
                    "unknown face {other:?}; the faces are identity, service and apps"
                ))
            }
        };
        check_prefix(prefix)?;
        Ok(Face {
            prefix: prefix.to_owned(),
            ..Face::of(kind)
        })
    }

    /// The kind of face.
    pub fn kind(&self) -> FaceKind {
        self.kind
    }

    /// The prefix below the tenant's base path (`""` for none); for the apps face, below
    /// the server origin.
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
            // The apps face's paths have an app id between `/auth` and the endpoint, so they
            // never meet another face's `/auth/login`.
            let apps = a.kind == FaceKind::Apps || b.kind == FaceKind::Apps;
            if a.prefix == b.prefix && !apps {
                return Err(format!(
                    "faces {} and {} are both mounted at {:?} and would both answer /auth/login; give one a prefix, e.g. --face {}=/{}",
                    a.kind, b.kind, a.prefix, b.kind, b.kind
                ));
            }
        }
    }
    Ok(())
}
