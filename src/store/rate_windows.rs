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
    seen: Mutex<HashMap<WindowKey, VecDeque<u64>>>,
}

impl RateWindows {
    /// Counts a request at `now_ms` against `limit`, or says after how many whole seconds
    /// the oldest request of the window ages out.
    pub(crate) fn admit(&self, limit: Limit, key: WindowKey, now_ms: u64) -> Result<(), u64> {
        let window_ms = u64::try_from(limit.window.as_millis()).unwrap_or(u64::MAX);
        let mut seen = self.seen.lock();
        let times = seen.entry(key).or_default();
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
}
