//! The password check of every face (the password grant, `/basic`, the identity and
//! service faces' logins): the user found by name, argon2 outside the store lock, and the
//! failure counted against the one lockout (see [`Lockout`](crate::store::Lockout)).
//!
//! An unknown name costs the same argon2 work as a known one and is counted the same way,
//! so neither the answer nor its timing tells which names exist.

use crate::password;
use crate::shared::{Shared, TenantRef};
use crate::store::{default_password_hash, LoginRefusal, User};

/// The user whose username, email or id is `name` and whose password is `given`, or why
/// not. Every refusal is counted.
pub(crate) fn check_password(
    shared: &Shared,
    tenant: &TenantRef,
    name: &str,
    given: &str,
) -> Result<User, LoginRefusal> {
    let now = shared.clock.unix();
    // Under the lock: who is it, and may they try?
    let found = shared.with_tenant(tenant, |t| match t.find_user(name).map(|u| u.id.clone()) {
        Some(id) => {
            let user = t.users.get_mut(&id).expect("the user was just found");
            user.lockout.check(now)?;
            Ok(Some((id, user.password_hash.clone())))
        }
        None => t.unknown_logins.check(name, now).map(|()| None),
    })?;
    // Outside the lock: argon2 is the slow part, and an unknown name pays it too.
    let hash = match &found {
        Some((_, hash)) => hash.to_string(),
        None => default_password_hash(),
    };
    let matches = password::verify(given, &hash);
    // Under the lock again: count the outcome.
    shared.with_tenant(tenant, |t| {
        let user = found.and_then(|(id, _)| t.users.get_mut(&id));
        let Some(user) = user else {
            // Unknown, or deleted meanwhile.
            return Err(t.unknown_logins.fail(name, now));
        };
        user.lockout.check(now)?;
        if !matches {
            return Err(user.lockout.fail(now));
        }
        user.lockout.succeed();
        Ok(user.clone())
    })
}
