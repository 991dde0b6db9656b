//! The lockout as the identity face answers it: every refused login is a 401
//! `InvalidCredentials` with `remainingAttempts` and `lockoutMinutes`, for unknown names
//! exactly as for known ones. The rule itself is the domain's (see
//! [`Lockout`](crate::store::Lockout)), shared by every face's password login.

use super::error::IdentityError;
use crate::store::{LoginRefusal, MAX_FAILED_LOGINS};

/// The message of every wrong-credentials answer.
const INVALID: &str = "Invalid username or password";

/// A refused login in the face's shape.
pub(crate) fn refused(refusal: LoginRefusal) -> IdentityError {
    let minutes = LoginRefusal::lockout_minutes();
    match refusal {
        LoginRefusal::Wrong { remaining } => {
            IdentityError::invalid_credentials(INVALID, remaining, minutes)
        }
        LoginRefusal::NowLocked => IdentityError::invalid_credentials(
            format!(
                "{INVALID}; the account is now locked for {minutes} minutes after \
                 {MAX_FAILED_LOGINS} failed logins"
            ),
            0,
            minutes,
        ),
        LoginRefusal::Locked { minutes_left } => IdentityError::invalid_credentials(
            format!(
                "The account is locked after {MAX_FAILED_LOGINS} failed logins; try again in \
                 {minutes_left} minute(s) (in a test, auth.advance(..) the server's clock)"
            ),
            0,
            minutes_left,
        ),
    }
}
