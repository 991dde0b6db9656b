//! `POST refresh {refresh_token}` → 200 session with the refresh token rotated. A rotated
//! token that comes back revokes its whole session (the store's one refresh rule).

use super::audit::Event;
use super::body::Fields;
use super::error::AppsError;
use super::{session, Call};
use crate::http::answer::HttpResponse;
use crate::store::RefreshRefusal;

pub(super) fn handle(call: &mut Call<'_>) -> Result<HttpResponse, AppsError> {
    let mut fields = Fields::of(call.req)?;
    let refresh_token = fields.text("refresh_token");
    fields.finish()?;
    let now = call.shared.clock.unix();
    let pending = {
        let mut store = call.shared.lock();
        match session::rotate(&mut store, call.tenant, call.app_id, &refresh_token, now) {
            Ok(pending) => {
                let user = pending.user();
                call.audit_locked(
                    &mut store,
                    "token_refreshed",
                    Event {
                        user_id: user["id"].as_str(),
                        email: user["email"].as_str(),
                        success: true,
                        metadata: None,
                    },
                );
                pending
            }
            Err(refusal) => {
                if refusal == RefreshRefusal::Replayed {
                    call.audit_locked(&mut store, "refresh_token_reused", Event::default());
                }
                return Err(session::refused(refusal));
            }
        }
    };
    Ok(pending.answer(200))
}
