//! A first end-to-end check: the code flow with PKCE yields an id_token and a refresh token.

use crate::common;

#[tokio::test]
async fn code_flow_round_trip_smoke() {
    let auth = mockauth::MockAuth::start().await;
    let (code, verifier) = common::authorize_default(&auth, &[("nonce", "n-1")]).await;
    let (status, body) = common::token_request(
        &auth,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", common::REDIRECT_URI),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["id_token"].is_string());
    assert!(body["refresh_token"].is_string());
}
