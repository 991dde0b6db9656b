//! `POST logout` (bearer) → 200 `{message}`: ends the session of the token, so its refresh
//! token stops working and its access tokens fail `me`.

use serde_json::json;

use super::audit::Event;
use super::bearer::bearer;
use super::error::AppsError;
use super::Call;
use crate::http::answer::{json, HttpResponse};

pub(super) fn handle(call: &mut Call<'_>) -> Result<HttpResponse, AppsError> {
    let (sid, user) = bearer(call)?;
    call.shared
        .with_tenant(call.tenant, |t| t.ledger.revoke_family(&sid));
    call.audit(
        "logout",
        Event {
            user_id: Some(&user.id),
            email: Some(&user.email),
            success: true,
            metadata: None,
        },
    );
    call.seen.username = Some(user.username);
    Ok(json(200, &json!({ "message": "Logged out" })))
}
