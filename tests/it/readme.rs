//! The README's example test, verbatim, so the README cannot drift from the API.

use mockauth::MockAuth;

#[rustfmt::skip] // kept exactly as the README shows it
#[tokio::test]
async fn my_app_logs_users_in() {
    let auth = MockAuth::start().await;
    auth.user("alice").password("s3cret-pw").roles(["admin"]).create();
    let client = auth.default_client();

    let tokens: serde_json::Value = reqwest::Client::new()
        .post(auth.token_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("grant_type", "password"), ("username", "alice"), ("password", "s3cret-pw"), ("scope", "openid")])
        .send().await.unwrap().json().await.unwrap();

    assert!(tokens["id_token"].is_string());
}
