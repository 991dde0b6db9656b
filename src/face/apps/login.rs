//! `POST login {email, password}` → 200 session. Every failure (unknown email, wrong
//! password, an account without one, a locked account) is the same 401
//! `INVALID_CREDENTIALS`; the check and its lockout are every face's (`check_password`).

use super::audit::Event;
use super::body::Fields;
use super::error::AppsError;
use super::{email, session, Call};
use crate::check::check_password;
use crate::http::answer::HttpResponse;

pub(super) fn handle(call: &mut Call<'_>) -> Result<HttpResponse, AppsError> {
    let mut fields = Fields::of(call.req)?;
    let raw_email = fields.text("email");
    let password = fields.text("password");
    fields.finish()?;
    // An address that cannot be one belongs to no account: the same answer as any other.
    let email = email::normalize(&raw_email).map_err(|_| AppsError::invalid_credentials())?;
    call.seen.username = Some(email.clone());
    let user = match check_password(call.shared, call.tenant, &email, &password) {
        Ok(user) => user,
        Err(_) => {
            call.audit(
                "login_failed",
                Event {
                    email: Some(&email),
                    ..Event::default()
                },
            );
            return Err(AppsError::invalid_credentials());
        }
    };
    let now = call.shared.clock.unix();
    let pending = {
        let mut store = call.shared.lock();
        if !store[call.tenant.index].users.contains_key(&user.id) {
            // Deleted between the check and now.
            return Err(AppsError::invalid_credentials());
        }
        call.audit_locked(
            &mut store,
            "login",
            Event {
                user_id: Some(&user.id),
                email: Some(&user.email),
                success: true,
                metadata: None,
            },
        );
        session::start(&mut store, call.tenant, call.app_id, &user.id, now)
    };
    Ok(pending.answer(200))
}
