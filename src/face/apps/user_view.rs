//! The face's **user** object: `{id, email, email_verified, display_name, avatar_url,
//! providers, created_at, last_sign_in_at}`.

use std::time::{Duration, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::clock::iso8601;
use crate::store::User;

/// Unix seconds as ISO 8601.
fn time(seconds: u64) -> String {
    iso8601(UNIX_EPOCH + Duration::from_secs(seconds))
}

/// `user` as the face shows it. Every user signs in with an email and password in this
/// slice, so `providers` is `["email"]`.
pub(super) fn user_json(user: &User) -> Value {
    let display_name = (!user.name.is_empty()).then_some(user.name.as_str());
    json!({
        "id": user.id,
        "email": user.email,
        "email_verified": user.email_verified,
        "display_name": display_name,
        "avatar_url": Value::Null,
        "providers": ["email"],
        "created_at": time(user.identity.created_at),
        "last_sign_in_at": user.last_sign_in.map(time),
    })
}
