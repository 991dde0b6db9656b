//! `GET me` (bearer) → 200 the user.

use super::bearer::bearer;
use super::error::AppsError;
use super::user_view::user_json;
use super::Call;
use crate::http::answer::{no_store, HttpResponse};

pub(super) fn handle(call: &mut Call<'_>) -> Result<HttpResponse, AppsError> {
    let (_, user) = bearer(call)?;
    call.seen.username = Some(user.username.clone());
    Ok(no_store(200, &user_json(&user)))
}
