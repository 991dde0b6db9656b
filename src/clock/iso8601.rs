//! Times as ISO 8601 / RFC 3339 UTC text (`2026-01-31T09:05:00.250Z`), the way JavaScript's
//! `toISOString` writes them, without a date crate.

use std::time::{SystemTime, UNIX_EPOCH};

/// The latest instant the format can write: RFC 3339 years have four digits.
const LATEST: &str = "9999-12-31T23:59:59.999Z";

/// `time` as `YYYY-MM-DDTHH:MM:SS.mmmZ`; times before 1970 count as the epoch, and times
/// after the clock's last second (a token's `exp` once the clock stands there) are written
/// as [`LATEST`], since a five-digit year is no RFC 3339 time.
pub(crate) fn iso8601(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    if since.as_secs() > crate::clock::LATEST_UNIX_SECONDS {
        return LATEST.to_owned();
    }
    let seconds = since.as_secs();
    let (days, second_of_day) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
        since.subsec_millis()
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn formats_known_instants_in_utc_with_milliseconds() {
        let at = |secs: u64, ms: u64| {
            iso8601(UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(ms))
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(at(1_741_443_600, 250), "2025-03-08T14:20:00.250Z");
        assert_eq!(at(4_102_444_799, 999), "2099-12-31T23:59:59.999Z");
    }

    #[test]
    fn times_after_year_9999_are_written_as_its_last_instant() {
        let last = crate::clock::LATEST_UNIX_SECONDS;
        let at = |secs: u64| iso8601(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(last), "9999-12-31T23:59:59.000Z");
        assert_eq!(at(last + 1), "9999-12-31T23:59:59.999Z");
        assert_eq!(at(last + 3600), "9999-12-31T23:59:59.999Z");
        assert_eq!(at(u64::MAX / 2), "9999-12-31T23:59:59.999Z");
    }
}
