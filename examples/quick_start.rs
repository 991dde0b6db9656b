//! The quick start of the crate docs, as a program: start a server, log the default user
//! in with the password grant, and read the profile back from /userinfo.
//!
//! `cargo run --example quick_start`

use mockauth::MockAuth;
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let auth = MockAuth::start().await;
    let (client, user) = (auth.default_client(), auth.default_user());
    let http = reqwest::Client::new();

    let tokens: Value = http
        .post(auth.token_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[
            ("grant_type", "password"),
            ("username", user.username()),
            ("password", user.password()),
            ("scope", "openid profile email"),
        ])
        .send()
        .await?
        .json()
        .await?;
    let access_token = tokens["access_token"].as_str().ok_or("no access_token")?;

    let profile: Value = http
        .get(auth.userinfo_url())
        .bearer_auth(access_token)
        .send()
        .await?
        .json()
        .await?;
    println!("issuer:   {}", auth.issuer());
    println!("userinfo: {profile}");
    Ok(())
}
