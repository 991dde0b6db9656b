//! Per-IP rate limits of the identity face (seed: auth 5/min, management 60/min, reads
//! 100/min), as sliding windows on the server's clock, so `MockAuth::advance` lifts them.
//! Reads (GET) and writes of the management groups are counted apart; each tenant keeps
//! its own windows.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use hyper::Method;
use parking_lot::Mutex;

use super::error::IdentityError;
use crate::endpoint::Endpoint;

/// How many requests one IP may make in a window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Limit {
    requests: u32,
    window: Duration,
}

/// The identity face's per-IP rate limits: the seed's defaults (auth endpoints 5 per
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
    enabled: bool,
    auth: Limit,
    management: Limit,
    reads: Limit,
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

/// Which budget a request spends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum RateClass {
    Auth,
    Management,
    Reads,
}

impl RateClass {
    /// The budget of a request to `endpoint` with `method`.
    pub(crate) fn of(endpoint: Endpoint, method: &Method) -> Self {
        match endpoint {
            Endpoint::IdentityLogin
            | Endpoint::IdentityRefresh
            | Endpoint::IdentityValidate
            | Endpoint::IdentityImpersonate => RateClass::Auth,
            _ if method == Method::GET || method == Method::HEAD => RateClass::Reads,
            _ => RateClass::Management,
        }
    }

    fn name(self) -> &'static str {
        match self {
            RateClass::Auth => "auth",
            RateClass::Management => "management",
            RateClass::Reads => "read",
        }
    }
}

/// The requests each (tenant, budget, IP) made in its current window, as server-clock
/// milliseconds, oldest first. Lives in `Shared` for the server's life.
#[derive(Debug, Default)]
pub(crate) struct RateWindows {
    seen: Mutex<HashMap<(usize, RateClass, IpAddr), VecDeque<u64>>>,
}

impl RateWindows {
    /// Counts one request, or refuses it with 429 and the seconds until a slot frees up.
    /// A refused request is not counted.
    pub(crate) fn admit(
        &self,
        limits: &IdentityRateLimits,
        tenant: usize,
        class: RateClass,
        peer: Option<IpAddr>,
        now_ms: u64,
    ) -> Result<(), IdentityError> {
        if !limits.enabled {
            return Ok(());
        }
        let limit = match class {
            RateClass::Auth => limits.auth,
            RateClass::Management => limits.management,
            RateClass::Reads => limits.reads,
        };
        let window_ms = u64::try_from(limit.window.as_millis()).unwrap_or(u64::MAX);
        let ip = peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let mut seen = self.seen.lock();
        let times = seen.entry((tenant, class, ip)).or_default();
        while times
            .front()
            .is_some_and(|&t| t.saturating_add(window_ms) <= now_ms)
        {
            times.pop_front();
        }
        if times.len() < limit.requests as usize {
            times.push_back(now_ms);
            return Ok(());
        }
        let oldest = times.front().copied().unwrap_or(now_ms);
        let wait_ms = oldest.saturating_add(window_ms).saturating_sub(now_ms);
        let retry_after = wait_ms.div_ceil(1000).max(1);
        Err(IdentityError::rate_limited(
            format!(
                "Too many requests: {ip} may make {} {} requests per {} s; retry after {retry_after} s. \
                 In a test, advance the clock (auth.advance(..)) or turn the limits off with \
                 Face::identity().rate_limits(IdentityRateLimits::off())",
                limit.requests,
                class.name(),
                limit.window.as_secs()
            ),
            retry_after,
        )
        .detail("limit", limit.requests)
        .detail("windowSeconds", limit.window.as_secs())
        .detail("scope", class.name()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IP: Option<IpAddr> = Some(IpAddr::V4(Ipv4Addr::LOCALHOST));

    #[test]
    fn the_sixth_auth_request_in_a_minute_waits_for_the_first_to_age_out() {
        let (windows, limits) = (RateWindows::default(), IdentityRateLimits::default());
        for i in 0..5 {
            windows
                .admit(&limits, 0, RateClass::Auth, IP, i * 1000)
                .unwrap();
        }
        let refused = windows
            .admit(&limits, 0, RateClass::Auth, IP, 10_000)
            .unwrap_err();
        assert_eq!(refused.details["retryAfterSeconds"], 50);
        assert!(windows
            .admit(&limits, 0, RateClass::Auth, IP, 60_000)
            .is_ok());
    }

    #[test]
    fn reads_writes_tenants_and_ips_have_their_own_budgets() {
        let windows = RateWindows::default();
        let limits = IdentityRateLimits::default()
            .reads(1, MINUTE)
            .management(1, MINUTE);
        let other_ip = Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)));
        windows.admit(&limits, 0, RateClass::Reads, IP, 0).unwrap();
        windows
            .admit(&limits, 0, RateClass::Management, IP, 0)
            .unwrap();
        windows.admit(&limits, 1, RateClass::Reads, IP, 0).unwrap();
        windows
            .admit(&limits, 0, RateClass::Reads, other_ip, 0)
            .unwrap();
        assert!(windows.admit(&limits, 0, RateClass::Reads, IP, 0).is_err());
    }

    #[test]
    fn off_admits_everything() {
        let windows = RateWindows::default();
        for _ in 0..1000 {
            windows
                .admit(&IdentityRateLimits::off(), 0, RateClass::Auth, IP, 0)
                .unwrap();
        }
    }
}
