//! Account lockout, the one rule every face's password login honours: after
//! [`MAX_FAILED_LOGINS`] wrong passwords in a row a name is locked for [`LOCKOUT`] of the
//! server clock; during the lockout even the right password is refused. A success clears
//! the count. Unknown names are counted the same way ([`UnknownLogins`]), so the answers
//! never tell which names exist.

use std::collections::HashMap;
use std::time::Duration;

/// Failed logins in a row that lock an account.
pub(crate) const MAX_FAILED_LOGINS: u32 = 5;

/// How long a lockout lasts.
pub(crate) const LOCKOUT: Duration = Duration::from_secs(30 * 60);

/// How many unknown names a tenant counts failures for; past it, the stalest are forgotten.
const UNKNOWN_NAMES_CAP: usize = 10_000;

/// Why a password login was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LoginRefusal {
    /// Wrong name or password; `remaining` more failures lock the name.
    Wrong { remaining: u32 },
    /// This failure locked the name for [`LOCKOUT`].
    NowLocked,
    /// The name is locked for `minutes_left` more minutes (rounded up).
    Locked { minutes_left: u64 },
}

impl LoginRefusal {
    /// The lockout's length in whole minutes (what the faces report).
    pub(crate) fn lockout_minutes() -> u64 {
        LOCKOUT.as_secs() / 60
    }

    /// One sentence for an error description.
    pub(crate) fn describe(self) -> String {
        match self {
            LoginRefusal::Wrong { .. } => "invalid username or password".to_owned(),
            LoginRefusal::NowLocked => format!(
                "invalid username or password; the account is now locked for {} minutes after \
                 {MAX_FAILED_LOGINS} failed logins",
                Self::lockout_minutes()
            ),
            LoginRefusal::Locked { minutes_left } => format!(
                "the account is locked after {MAX_FAILED_LOGINS} failed logins; try again in \
                 {minutes_left} minute(s) (in a test, auth.advance(..) the server's clock)"
            ),
        }
    }
}

/// The failure count of one name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Lockout {
    failed: u32,
    locked_until: Option<u64>,
    last_failure: u64,
}

impl Lockout {
    /// Refuses while locked; clears a lockout that has run out.
    pub(crate) fn check(&mut self, now: u64) -> Result<(), LoginRefusal> {
        match self.locked_until {
            Some(until) if until > now => Err(LoginRefusal::Locked {
                minutes_left: (until - now).div_ceil(60),
            }),
            Some(_) => {
                *self = Lockout::default();
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Counts a wrong password; the last allowed one starts the lockout.
    pub(crate) fn fail(&mut self, now: u64) -> LoginRefusal {
        self.failed += 1;
        self.last_failure = now;
        let remaining = MAX_FAILED_LOGINS.saturating_sub(self.failed);
        if remaining == 0 {
            self.locked_until = Some(now.saturating_add(LOCKOUT.as_secs()));
            return LoginRefusal::NowLocked;
        }
        LoginRefusal::Wrong { remaining }
    }

    /// A right password clears the count.
    pub(crate) fn succeed(&mut self) {
        *self = Lockout::default();
    }

    /// Whether the count still matters at `now`: a lockout running, or a failure within the
    /// last [`LOCKOUT`].
    fn matters(&self, now: u64) -> bool {
        self.locked_until.is_some_and(|until| until > now)
            || self.last_failure.saturating_add(LOCKOUT.as_secs()) > now
    }
}

/// Failure counts of names that are no user: bounded in count ([`UNKNOWN_NAMES_CAP`]), in
/// time (a count is dropped once it no longer matters) and in bytes (a name is kept as the
/// SHA-256 of its lowercased text, however long the name a caller sent).
#[derive(Debug, Default)]
pub(crate) struct UnknownLogins {
    counts: HashMap<NameDigest, Lockout>,
}

/// The SHA-256 of a lowercased login name.
type NameDigest = [u8; 32];

fn digest(name: &str) -> NameDigest {
    let hash =
        aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, name.to_lowercase().as_bytes());
    hash.as_ref().try_into().expect("SHA-256 is 32 bytes")
}

impl UnknownLogins {
    /// Refuses while the unknown `name` is "locked", as a known one would be.
    pub(crate) fn check(&mut self, name: &str, now: u64) -> Result<(), LoginRefusal> {
        match self.counts.get_mut(&digest(name)) {
            Some(count) => count.check(now),
            None => Ok(()),
        }
    }

    /// Counts a failure of the unknown `name`.
    pub(crate) fn fail(&mut self, name: &str, now: u64) -> LoginRefusal {
        if self.counts.len() >= UNKNOWN_NAMES_CAP {
            self.counts.retain(|_, count| count.matters(now));
            if self.counts.len() >= UNKNOWN_NAMES_CAP {
                let stalest = self
                    .counts
                    .iter()
                    .min_by_key(|(_, count)| count.last_failure)
                    .map(|(name, _)| *name);
                if let Some(name) = stalest {
                    self.counts.remove(&name);
                }
            }
        }
        self.counts.entry(digest(name)).or_default().fail(now)
    }

    /// How many names are counted (for tests of the bound).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.counts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_locks_for_thirty_minutes_and_then_it_lifts() {
        let mut count = Lockout::default();
        for expected in (1..5).rev() {
            assert_eq!(
                count.fail(1000),
                LoginRefusal::Wrong {
                    remaining: expected
                }
            );
        }
        assert_eq!(count.fail(1000), LoginRefusal::NowLocked);
        assert_eq!(
            count.check(1000 + 60),
            Err(LoginRefusal::Locked { minutes_left: 29 })
        );
        assert_eq!(count.check(1000 + 30 * 60), Ok(()));
        assert_eq!(
            count.fail(1000 + 30 * 60),
            LoginRefusal::Wrong { remaining: 4 }
        );
    }

    #[test]
    fn unknown_names_count_down_like_known_ones_and_stay_bounded() {
        let mut unknown = UnknownLogins::default();
        assert_eq!(
            unknown.fail("Ghost", 0),
            LoginRefusal::Wrong { remaining: 4 }
        );
        assert_eq!(
            unknown.fail("ghost", 0),
            LoginRefusal::Wrong { remaining: 3 }
        );
        for name in 0..UNKNOWN_NAMES_CAP + 10 {
            unknown.fail(&format!("n{name}"), 1);
        }
        assert!(unknown.len() <= UNKNOWN_NAMES_CAP);
        // Long after, everything is forgotten at the next overflow.
        for name in 0..UNKNOWN_NAMES_CAP + 1 {
            unknown.fail(&format!("m{name}"), 10 * LOCKOUT.as_secs());
        }
        assert!(unknown.len() <= UNKNOWN_NAMES_CAP);
    }
}
