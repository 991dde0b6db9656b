//! `GET .well-known/jwks.json` → 200 the app's public keys, cacheable for 5 minutes.

use hyper::header::{HeaderValue, CACHE_CONTROL};

use super::Call;
use crate::http::answer::{json, HttpResponse};

pub(super) fn handle(call: &Call<'_>) -> HttpResponse {
    let keys = call.shared.with_tenant(call.tenant, |t| t.keys.jwks());
    let mut response = json(200, &keys);
    response.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}
