//! Account lockout (seed `001_*`): after 5 failed logins in a row a user is locked out for
//! 30 minutes of the server's clock; during the lockout even the right password is refused
//! with `lockoutMinutes` left, and `MockAuth::advance` past it lifts it. A successful login
//! resets the count. The state lives on the user (`IdentityProfile`), so every face sees it.

use std::time::Duration;

use super::error::IdentityError;
use crate::store::User;

/// Failed logins in a row that lock an account.
pub(crate) const MAX_FAILED_LOGINS: u32 = 5;

/// How long a lockout lasts.
pub(crate) const LOCKOUT: Duration = Duration::from_secs(30 * 60);

fn lockout_minutes() -> u64 {
    LOCKOUT.as_secs() / 60
}

/// The message of every wrong-credentials answer (the seed's).
const INVALID: &str = "Invalid username or password";

/// Refuses a login while `user` is locked out; clears a lockout that has run out.
pub(crate) fn check(user: &mut User, now: u64) -> Result<(), IdentityError> {
    let profile = &mut user.identity;
    match profile.locked_until {
        Some(until) if until > now => {
            let minutes_left = (until - now).div_ceil(60);
            Err(IdentityError::invalid_credentials(
                format!(
                    "The account is locked after {MAX_FAILED_LOGINS} failed logins; try again in \
                     {minutes_left} minute(s) (in a test, auth.advance(..) the server's clock)"
                ),
                0,
                minutes_left,
            ))
        }
        Some(_) => {
            profile.locked_until = None;
            profile.failed_logins = 0;
            Ok(())
        }
        None => Ok(()),
    }
}

/// Counts a wrong password and answers it; the last allowed failure starts the lockout.
pub(crate) fn record_failure(user: &mut User, now: u64) -> IdentityError {
    let profile = &mut user.identity;
    profile.failed_logins += 1;
    let remaining = MAX_FAILED_LOGINS.saturating_sub(profile.failed_logins);
    if remaining == 0 {
        profile.locked_until = Some(now + LOCKOUT.as_secs());
        return IdentityError::invalid_credentials(
            format!(
                "{INVALID}; the account is now locked for {} minutes after {MAX_FAILED_LOGINS} failed logins",
                lockout_minutes()
            ),
            0,
            lockout_minutes(),
        );
    }
    IdentityError::invalid_credentials(INVALID, remaining, lockout_minutes())
}

/// A login with an unknown username: answered as a first failure of a known user would be,
/// so that the answer does not tell which usernames exist.
pub(crate) fn unknown_user() -> IdentityError {
    IdentityError::invalid_credentials(INVALID, MAX_FAILED_LOGINS - 1, lockout_minutes())
}

/// A successful login clears the count.
pub(crate) fn record_success(user: &mut User) {
    user.identity.failed_logins = 0;
    user.identity.locked_until = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> User {
        use rand::SeedableRng as _;
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let keys = crate::tenant::pool_key(&mut rng, crate::types::Algorithm::ES256, 0);
        let tenant = crate::store::new_tenant(String::new(), Default::default(), keys);
        crate::fixture::default_user(&mut crate::store::Store::new(tenant, rng)).0
    }

    #[test]
    fn the_fifth_failure_locks_for_thirty_minutes_and_then_it_lifts() {
        let mut alice = user();
        for expected in (1..5).rev() {
            let err = record_failure(&mut alice, 1000);
            assert_eq!(err.details["remainingAttempts"], expected);
        }
        let fifth = record_failure(&mut alice, 1000);
        assert_eq!(fifth.details["remainingAttempts"], 0);
        assert_eq!(
            check(&mut alice, 1000 + 60).unwrap_err().details["lockoutMinutes"],
            29
        );
        assert!(check(&mut alice, 1000 + 30 * 60).is_ok());
        assert_eq!(alice.identity.failed_logins, 0);
    }
}
