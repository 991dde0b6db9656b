//! Per-IP rate limits of the identity face (auth 5/min, management 60/min, reads 100/min
//! by default), as sliding windows on the server's clock, so `MockAuth::advance` lifts
//! them. Reads (GET) and writes of the management groups are counted apart; each tenant
//! keeps its own windows.

use std::net::{IpAddr, Ipv4Addr};

use hyper::Method;

use super::error::IdentityError;
use crate::endpoint::Endpoint;
use crate::mount::IdentityRateLimits;
use crate::store::RateWindows;
use crate::store::TenantKey;

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
/// Counts a request of `class` from `peer` to tenant `tenant`, or answers 429.
pub(crate) fn admit(
    windows: &RateWindows,
    limits: &IdentityRateLimits,
    tenant: TenantKey,
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
    let ip = peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    windows
        .admit(limit, (tenant, class.name(), ip), now_ms)
        .map_err(|retry_after| {
            IdentityError::rate_limited(
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
            .detail("scope", class.name())
        })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    const IP: Option<IpAddr> = Some(IpAddr::V4(Ipv4Addr::LOCALHOST));

    #[test]
    fn the_sixth_auth_request_in_a_minute_waits_for_the_first_to_age_out() {
        let (windows, limits) = (RateWindows::default(), IdentityRateLimits::default());
        for i in 0..5 {
            admit(
                &windows,
                &limits,
                TenantKey::DEFAULT,
                RateClass::Auth,
                IP,
                i * 1000,
            )
            .unwrap();
        }
        let refused = admit(
            &windows,
            &limits,
            TenantKey::DEFAULT,
            RateClass::Auth,
            IP,
            10_000,
        )
        .unwrap_err();
        assert_eq!(refused.details["retryAfterSeconds"], 50);
        assert!(admit(
            &windows,
            &limits,
            TenantKey::DEFAULT,
            RateClass::Auth,
            IP,
            60_000
        )
        .is_ok());
    }

    #[test]
    fn reads_writes_tenants_and_ips_have_their_own_budgets() {
        let windows = RateWindows::default();
        let limits = IdentityRateLimits::default()
            .reads(1, MINUTE)
            .management(1, MINUTE);
        let other_ip = Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)));
        admit(
            &windows,
            &limits,
            TenantKey::DEFAULT,
            RateClass::Reads,
            IP,
            0,
        )
        .unwrap();
        admit(
            &windows,
            &limits,
            TenantKey::DEFAULT,
            RateClass::Management,
            IP,
            0,
        )
        .unwrap();
        admit(
            &windows,
            &limits,
            TenantKey::nth(1),
            RateClass::Reads,
            IP,
            0,
        )
        .unwrap();
        admit(
            &windows,
            &limits,
            TenantKey::DEFAULT,
            RateClass::Reads,
            other_ip,
            0,
        )
        .unwrap();
        assert!(admit(
            &windows,
            &limits,
            TenantKey::DEFAULT,
            RateClass::Reads,
            IP,
            0
        )
        .is_err());
    }

    #[test]
    fn off_admits_everything() {
        let windows = RateWindows::default();
        for _ in 0..1000 {
            admit(
                &windows,
                &IdentityRateLimits::off(),
                TenantKey::DEFAULT,
                RateClass::Auth,
                IP,
                0,
            )
            .unwrap();
        }
    }
}
