//! The server's clock: the only place that reads the wall clock.
//!
//! Every expiry decision (tokens, codes, MFA challenges, refresh tokens, introspection,
//! userinfo) reads [`Clock::now`], so a test moves time with `MockAuth::advance` instead of
//! sleeping. The clock runs with the wall clock (optionally from another start time), or
//! stands still until a test advances it. Issue skew (`skew.rs`) is separate: it shifts only
//! what the issuer *writes* into tokens, the way an issuer whose clock is off would.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;

mod iso8601;
mod skew;

pub(crate) use iso8601::iso8601;
pub use skew::IssueSkew;

/// How the clock reads time.
#[derive(Debug, Clone, Copy)]
enum Reading {
    /// Wall clock plus an offset (milliseconds, either sign).
    Running { offset_ms: i64 },
    /// A fixed instant that only `advance` moves.
    Frozen { at: SystemTime },
}

/// How a server's clock starts, as the builder sets it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ClockStart {
    /// The time the clock shows at start; the wall clock's when `None`.
    pub(crate) at: Option<SystemTime>,
    /// Time stands still until advanced.
    pub(crate) frozen: bool,
}

/// Wall clock plus an offset that only moves when a test says so, or a frozen instant.
#[derive(Debug)]
pub(crate) struct Clock {
    reading: Mutex<Reading>,
}

impl Default for Clock {
    fn default() -> Self {
        Self::new(ClockStart::default())
    }
}

impl Clock {
    pub(crate) fn new(start: ClockStart) -> Self {
        let wall = SystemTime::now();
        let at = start.at.unwrap_or(wall);
        let reading = if start.frozen {
            Reading::Frozen { at }
        } else {
            Reading::Running {
                offset_ms: signed_ms_between(wall, at),
            }
        };
        Self {
            reading: Mutex::new(reading),
        }
    }

    /// The server's current time.
    pub(crate) fn now(&self) -> SystemTime {
        match *self.reading.lock() {
            Reading::Running { offset_ms } => shift(SystemTime::now(), offset_ms),
            Reading::Frozen { at } => at,
        }
    }

    /// The server's current time in whole seconds since the Unix epoch (JWT `NumericDate`).
    pub(crate) fn unix(&self) -> u64 {
        unix_seconds(self.now())
    }

    /// Moves the clock forward.
    pub(crate) fn advance(&self, by: Duration) {
        let mut reading = self.reading.lock();
        *reading = match *reading {
            Reading::Running { offset_ms } => Reading::Running {
                offset_ms: offset_ms
                    .saturating_add(i64::try_from(by.as_millis()).unwrap_or(i64::MAX)),
            },
            Reading::Frozen { at } => Reading::Frozen {
                at: at.checked_add(by).map_or(latest(), |t| t.min(latest())),
            },
        };
    }

    /// Stops the clock at its current time.
    pub(crate) fn freeze(&self) {
        let mut reading = self.reading.lock();
        if let Reading::Running { offset_ms } = *reading {
            *reading = Reading::Frozen {
                at: shift(SystemTime::now(), offset_ms),
            };
        }
    }

    /// Lets a frozen clock run again from the time it shows.
    pub(crate) fn resume(&self) {
        let mut reading = self.reading.lock();
        if let Reading::Frozen { at } = *reading {
            *reading = Reading::Running {
                offset_ms: signed_ms_between(SystemTime::now(), at),
            };
        }
    }
}

/// The latest time the clock shows, 9999-12-31T23:59:59Z: moving it further saturates
/// here instead of overflowing.
pub(crate) const LATEST_UNIX_SECONDS: u64 = 253_402_300_799;

fn latest() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(LATEST_UNIX_SECONDS)
}

/// `time` moved by a signed number of milliseconds, kept between the Unix epoch and
/// [`LATEST_UNIX_SECONDS`].
fn shift(time: SystemTime, ms: i64) -> SystemTime {
    let by = Duration::from_millis(ms.unsigned_abs());
    if ms >= 0 {
        time.checked_add(by).map_or(latest(), |t| t.min(latest()))
    } else {
        time.checked_sub(by)
            .map_or(UNIX_EPOCH, |t| t.max(UNIX_EPOCH))
    }
}

/// `to - from` in milliseconds, either sign.
fn signed_ms_between(from: SystemTime, to: SystemTime) -> i64 {
    let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    match to.duration_since(from) {
        Ok(ahead) => ms(ahead),
        Err(behind) => -ms(behind.duration()),
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
    fn advancing_by_any_duration_saturates_instead_of_overflowing() {
        for frozen in [true, false] {
            let clock = Clock::new(ClockStart { at: None, frozen });
            clock.advance(Duration::MAX);
            clock.advance(Duration::MAX);
            assert_eq!(clock.unix(), LATEST_UNIX_SECONDS, "frozen: {frozen}");
        }
    }

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

    #[test]
    fn a_frozen_clock_stands_still_until_advanced_and_resumes_where_it_stood() {
        let start = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let clock = Clock::new(ClockStart {
            at: Some(start),
            frozen: true,
        });
        assert_eq!(clock.now(), start);
        clock.advance(Duration::from_secs(5));
        assert_eq!(clock.now(), start + Duration::from_secs(5));
        clock.resume();
        let resumed = clock.unix();
        assert!((1_000_005..=1_000_006).contains(&resumed), "{resumed}");
    }

    #[test]
    fn a_start_time_in_the_past_runs_from_there() {
        let start = UNIX_EPOCH + Duration::from_secs(86_400);
        let clock = Clock::new(ClockStart {
            at: Some(start),
            frozen: false,
        });
        assert!((86_400..=86_401).contains(&clock.unix()));
    }
}
