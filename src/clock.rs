//! The server's clock: the only place that reads the wall clock.
//!
//! Every expiry decision (tokens, codes, MFA challenges) reads [`Clock::now`], so a test can
//! move time forward with `MockAuth::advance` instead of sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Wall clock plus an offset that only moves when a test says so.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// The server's current time.
    pub(crate) fn now(&self) -> SystemTime {
        let offset = self.offset_ms.load(Ordering::Relaxed);
        let wall = SystemTime::now();
        if offset >= 0 {
            wall + Duration::from_millis(offset as u64)
        } else {
            wall - Duration::from_millis(offset.unsigned_abs())
        }
    }

    /// The server's current time in whole seconds since the Unix epoch (JWT `NumericDate`).
    pub(crate) fn unix(&self) -> u64 {
        unix_seconds(self.now())
    }

    /// Moves the clock forward.
    pub(crate) fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

/// Seconds since the Unix epoch; times before it count as 0.
pub(crate) fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_forward_without_sleeping() {
        let clock = Clock::default();
        let before = clock.unix();
        clock.advance(Duration::from_secs(3600));
        let after = clock.unix();
        assert!(
            (3600..=3601).contains(&(after - before)),
            "{before} → {after}"
        );
    }
}
