//! [`IdentityRateLimits`]: the identity face's per-IP rate limits, a mount option.

use std::time::Duration;

/// How many requests one IP may make in a window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limit {
    pub(crate) requests: u32,
    pub(crate) window: Duration,
}

/// The identity face's per-IP rate limits: the defaults (auth endpoints 5 per
/// minute, management writes 60 per minute, reads 100 per minute), other numbers, or
/// [`off`](Self::off) for load tests. Set with
/// [`Face::rate_limits`](crate::Face::rate_limits). Windows run on the server's clock:
/// [`MockAuth::advance`](crate::MockAuth::advance) past a window lifts its limit.
///
/// ```
/// # fn main() {
/// use std::time::Duration;
/// use mockauth::{Face, IdentityRateLimits, MockAuth};
///
/// let load_test = MockAuth::builder()
///     .face(Face::identity().rate_limits(IdentityRateLimits::off()))
///     .start_blocking();
/// let strict = MockAuth::builder()
///     .face(Face::identity().rate_limits(IdentityRateLimits::default().auth(2, Duration::from_secs(60))))
///     .start_blocking();
/// # let _ = (load_test, strict);
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct IdentityRateLimits {
    pub(crate) enabled: bool,
    pub(crate) auth: Limit,
    pub(crate) management: Limit,
    pub(crate) reads: Limit,
}

const MINUTE: Duration = Duration::from_secs(60);

impl Default for IdentityRateLimits {
    fn default() -> Self {
        Self {
            enabled: true,
            auth: Limit {
                requests: 5,
                window: MINUTE,
            },
            management: Limit {
                requests: 60,
                window: MINUTE,
            },
            reads: Limit {
                requests: 100,
                window: MINUTE,
            },
        }
    }
}

impl IdentityRateLimits {
    /// No rate limiting at all (the one switch for load tests).
    pub fn off() -> Self {
        Self {
            enabled: false,
            ..Self::default()
        }
    }

    /// `requests` per `window` for `/auth/*` (login, refresh, validate, impersonate).
    pub fn auth(mut self, requests: u32, window: Duration) -> Self {
        self.auth = Limit { requests, window };
        self.enabled = true;
        self
    }

    /// `requests` per `window` for management writes (POST, PUT, DELETE on `/users`,
    /// `/roles`, `/permissions`, `/apikeys`).
    pub fn management(mut self, requests: u32, window: Duration) -> Self {
        self.management = Limit { requests, window };
        self.enabled = true;
        self
    }

    /// `requests` per `window` for management reads (GET).
    pub fn reads(mut self, requests: u32, window: Duration) -> Self {
        self.reads = Limit { requests, window };
        self.enabled = true;
        self
    }

    /// Whether any limit applies.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }
}
