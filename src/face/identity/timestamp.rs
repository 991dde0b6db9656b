//! Times as the identity face writes and reads them: ISO 8601 / RFC 3339 in UTC with whole
//! seconds (`2024-03-09T16:13:13Z`), on the server's clock (docs/identity.md#timestamps).

use std::time::{Duration, UNIX_EPOCH};

use crate::clock::iso8601;

/// `unix` seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn format(unix: u64) -> String {
    // Records keep whole seconds, so the milliseconds are always `.000`; they are left out.
    iso8601(UNIX_EPOCH + Duration::from_secs(unix)).replace(".000Z", "Z")
}

/// Unix seconds of an RFC 3339 date-time (`2025-03-09T16:13:13Z`, `…13.250Z`,
/// `…13+01:00`); a fraction of a second is dropped. `None` for anything else, or a time
/// before 1970.
pub(crate) fn parse(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !matches!(bytes[10], b'T' | b't') {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, sep)| bytes[at] != sep) {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=days_in_month).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .filter(|&end| end > 0)?;
        rest = &fraction[end..];
    }
    let offset_seconds = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = (digits_of(rest.get(1..3)?)?, digits_of(rest.get(4..6)?)?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
        _ => return None,
    };
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    u64::try_from(local - offset_seconds).ok()
}

fn digits_of(part: &str) -> Option<i64> {
    part.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| part.parse().ok())?
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_seconds_in_utc() {
        assert_eq!(format(0), "1970-01-01T00:00:00Z");
        assert_eq!(format(1_710_000_793), "2024-03-09T16:13:13Z");
    }

    #[test]
    fn reads_what_it_writes_and_other_rfc3339_forms() {
        for unix in [0, 951_782_400, 1_710_000_793, 4_102_444_799] {
            assert_eq!(parse(&format(unix)), Some(unix));
        }
        assert_eq!(parse("2024-03-09T16:13:13.250Z"), Some(1_710_000_793));
        assert_eq!(parse("2024-03-09T17:13:13+01:00"), Some(1_710_000_793));
        assert_eq!(parse("2024-03-09T15:43:13-00:30"), Some(1_710_000_793));
    }

    #[test]
    fn refuses_what_is_not_a_utc_or_offset_date_time() {
        for bad in [
            "",
            "tomorrow",
            "2024-03-09",
            "2024-03-09T16:13:13",
            "2024-02-30T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-03-09T24:00:00Z",
            "2024-03-09T16:13:13.Z",
            "2024-03-09T16:13:13+0100",
            "1969-12-31T23:59:59Z",
            "２024-03-09T16:13:13Z",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
