//! The bearer of `logout` and `me`: an active access token of the app (the one check of
//! every face, `check::active_access_token`) with its session and user.

use serde_json::Value;

use super::error::AppsError;
use super::Call;
use crate::check::active_access_token;
use crate::store::User;

/// The caller's session (`sid`) and user; 401 `UNAUTHORIZED` for a missing, bad, expired
/// or ended token, or one whose user is gone.
pub(super) fn bearer(call: &Call<'_>) -> Result<(String, User), AppsError> {
    let token = call
        .req
        .bearer_token()
        .ok_or_else(|| AppsError::unauthorized("Missing bearer token"))?;
    let claims = active_access_token(call.shared, call.tenant, token)
        .map_err(|_| AppsError::unauthorized("Invalid or expired access token"))?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or_default();
    let (sid, sub) = (text("sid"), text("sub"));
    call.shared
        .with_tenant(call.tenant, |t| t.users.get(sub).cloned())
        .map(|user| (sid.to_owned(), user))
        .ok_or_else(|| AppsError::unauthorized("Invalid or expired access token"))
}
