//! `POST refresh {refresh_token}` → 200 session with the refresh token rotated. A rotated
//! token that comes back revokes its whole session (the store's one refresh rule).

use super::body::Fields;
use super::error::AppsError;
use super::{session, Call};
use crate::http::answer::HttpResponse;

pub(super) fn handle(call: &mut Call<'_>) -> Result<HttpResponse, AppsError> {
    let mut fields = Fields::of(call.req)?;
    let refresh_token = fields.text("refresh_token");
    fields.finish()?;
    let now = call.shared.clock.unix();
    let pending = {
        let mut store = call.shared.lock();
        session::rotate(&mut store, call.tenant, call.app_id, &refresh_token, now)?
    };
    Ok(pending.answer(200))
}
