//! [`ExpectedHits`]: how many times a fault rule is expected to fire, as a number or a range.

use std::fmt;
use std::ops::{Range, RangeFrom, RangeInclusive, RangeTo, RangeToInclusive};

/// How many times a fault rule should fire, given to [`FaultRule::expect`](crate::FaultRule::expect)
/// as a number or a range: `.expect(2)`, `.expect(1..)`, `.expect(..=3)`, `.expect(2..5)`.
///
/// It is a newtype over a private enum (as wiremock's `Times` is) rather than a generic
/// `RangeBounds` parameter so that a rule can store it and print it.
///
/// ```
/// use mockauth::ExpectedHits;
///
/// assert!(ExpectedHits::from(2).contains(2));
/// assert!(ExpectedHits::from(1..).contains(7));
/// assert!(!ExpectedHits::from(..=3).contains(4));
/// assert_eq!(ExpectedHits::from(2..5).to_string(), "between 2 and 4");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpectedHits(Bounds);

/// Inclusive bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bounds {
    Exactly(u64),
    Between { min: u64, max: Option<u64> },
}

impl ExpectedHits {
    /// Whether `hits` satisfies the expectation.
    pub fn contains(&self, hits: u64) -> bool {
        match self.0 {
            Bounds::Exactly(n) => hits == n,
            Bounds::Between { min, max } => hits >= min && max.is_none_or(|max| hits <= max),
        }
    }

    fn between(min: u64, max: Option<u64>) -> Self {
        if let Some(max) = max {
            assert!(
                min <= max,
                "the expected hit range {min}..={max} is empty; write e.g. .expect({min}..={min})"
            );
        }
        Self(Bounds::Between { min, max })
    }
}

impl From<u64> for ExpectedHits {
    fn from(n: u64) -> Self {
        Self(Bounds::Exactly(n))
    }
}

impl From<Range<u64>> for ExpectedHits {
    fn from(range: Range<u64>) -> Self {
        assert!(
            range.start < range.end,
            "the expected hit range {range:?} is empty; write e.g. .expect({}..={})",
            range.start,
            range.start
        );
        Self::between(range.start, Some(range.end - 1))
    }
}

impl From<RangeInclusive<u64>> for ExpectedHits {
    fn from(range: RangeInclusive<u64>) -> Self {
        Self::between(*range.start(), Some(*range.end()))
    }
}

impl From<RangeFrom<u64>> for ExpectedHits {
    fn from(range: RangeFrom<u64>) -> Self {
        Self::between(range.start, None)
    }
}

impl From<RangeTo<u64>> for ExpectedHits {
    fn from(range: RangeTo<u64>) -> Self {
        assert!(
            range.end > 0,
            "the expected hit range ..0 is empty; write .expect(0) for a rule that must not fire"
        );
        Self::between(0, Some(range.end - 1))
    }
}

impl From<RangeToInclusive<u64>> for ExpectedHits {
    fn from(range: RangeToInclusive<u64>) -> Self {
        Self::between(0, Some(range.end))
    }
}

impl fmt::Display for ExpectedHits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Bounds::Exactly(n) => write!(f, "{n}"),
            Bounds::Between { min, max: None } => write!(f, "at least {min}"),
            Bounds::Between {
                min: 0,
                max: Some(max),
            } => write!(f, "at most {max}"),
            Bounds::Between {
                min,
                max: Some(max),
            } if min == max => write!(f, "{min}"),
            Bounds::Between {
                min,
                max: Some(max),
            } => write!(f, "between {min} and {max}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_hit_ranges_print_as_words() {
        assert_eq!(ExpectedHits::from(3).to_string(), "3");
        assert_eq!(ExpectedHits::from(1..).to_string(), "at least 1");
        assert_eq!(ExpectedHits::from(..3).to_string(), "at most 2");
        assert_eq!(ExpectedHits::from(2..=2).to_string(), "2");
        assert_eq!(ExpectedHits::from(1..=4).to_string(), "between 1 and 4");
    }

    #[test]
    fn fault_hit_ranges_contain_their_bounds() {
        let range = ExpectedHits::from(2..=4);
        assert!(!range.contains(1) && range.contains(2) && range.contains(4) && !range.contains(5));
        assert!(ExpectedHits::from(0).contains(0));
    }

    #[test]
    #[should_panic(expected = "the expected hit range 3..3 is empty")]
    fn an_empty_fault_hit_range_is_refused() {
        let _ = ExpectedHits::from(3..3);
    }
}
