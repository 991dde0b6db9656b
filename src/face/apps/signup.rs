//! `POST signup {email, password, display_name?}` → 201 session: a new user of the app's
//! tenant (username = email), verified at once (email verification is not built yet).

use super::audit::Event;
use super::body::Fields;
use super::error::AppsError;
use super::{email, policy, session, Call};
use crate::http::answer::HttpResponse;
use crate::password;
use crate::store::NewUser;

pub(super) fn handle(call: &mut Call<'_>) -> Result<HttpResponse, AppsError> {
    let mut fields = Fields::of(call.req)?;
    let raw_email = fields.text("email");
    let password = fields.text("password");
    let display_name = fields.optional_text("display_name");
    let email = match email::normalize(&raw_email) {
        Ok(email) => email,
        Err(problem) => {
            if !fields.has_problem("email") {
                fields.invalid("email", problem);
            }
            String::new()
        }
    };
    fields.finish()?;
    call.seen.username = Some(email.clone());
    let failed = policy::failed_rules(&password);
    if !failed.is_empty() {
        return Err(AppsError::weak_password(&failed));
    }
    // Hashed before the lock: argon2 is the slow part.
    let password_hash = password::hash(&password);
    let now = call.shared.clock.unix();
    let pending = {
        let mut store = call.shared.lock();
        let new = NewUser {
            id: Some(store.uuid()),
            username: email.clone(),
            password_hash,
            email,
            email_verified: true,
            name: display_name
                .map(|n| n.trim().to_owned())
                .unwrap_or_default(),
            roles: vec!["user".to_owned()],
            ..NewUser::default()
        };
        // The one uniqueness rule of every user: usernames and emails regardless of case.
        let user = store
            .add_user(call.tenant.index, new, now)
            .map_err(|_| AppsError::email_exists())?;
        call.audit_locked(
            &mut store,
            "signup",
            Event {
                user_id: Some(&user.id),
                email: Some(&user.email),
                success: true,
                metadata: None,
            },
        );
        session::start(&mut store, call.tenant, call.app_id, &user.id, now)
    };
    Ok(pending.answer(201))
}
