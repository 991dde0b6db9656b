//! Sliding-window rate limits on the server's clock, per key (a tenant, a class of
//! requests, a caller's IP), so `MockAuth::advance` lifts them.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

use parking_lot::Mutex;

use super::TenantKey;
use crate::mount::Limit;

/// What one window counts: a tenant's requests of one class from one IP.
pub(crate) type WindowKey = (TenantKey, &'static str, IpAddr);

/// The request times of every live window.
#[derive(Debug, Default)]
pub(crate) struct RateWindows {
    /// Per key: the window's length (ms) and the times of the requests inside it.
    seen: Mutex<HashMap<WindowKey, (u64, VecDeque<u64>)>>,
}

impl RateWindows {
    /// Counts a request at `now_ms` against `limit`, or says after how many whole seconds
    /// the oldest request of the window ages out.
    pub(crate) fn admit(&self, limit: Limit, key: WindowKey, now_ms: u64) -> Result<(), u64> {
        let window_ms = u64::try_from(limit.window.as_millis()).unwrap_or(u64::MAX);
        let mut seen = self.seen.lock();
        let (window, times) = seen.entry(key).or_default();
        *window = window_ms;
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
        Err(wait_ms.div_ceil(1000).max(1))
    }

    /// Forgets the windows in which no request is left at `now_ms`, so that callers who
    /// came once do not stay in memory.
    pub(crate) fn prune(&self, now_ms: u64) {
        self.seen.lock().retain(|_, (window, times)| {
            times
                .back()
                .is_some_and(|&last| last.saturating_add(*window) > now_ms)
        });
    }

    /// How many windows are kept (for tests of the bound).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.seen.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};
    use std::time::Duration;

    use super::*;

    #[test]
    fn windows_without_a_request_left_are_forgotten() {
        let windows = RateWindows::default();
        let limit = Limit {
            requests: 5,
            window: Duration::from_secs(60),
        };
        for ip in 0..100u8 {
            let key = (
                TenantKey::DEFAULT,
                "auth",
                IpAddr::V4(Ipv4Addr::new(10, 0, 0, ip)),
            );
            windows.admit(limit, key, 1_000).unwrap();
        }
        windows.prune(30_000);
        assert_eq!(windows.len(), 100);
        windows.prune(61_000);
        assert_eq!(windows.len(), 0);
    }
}
