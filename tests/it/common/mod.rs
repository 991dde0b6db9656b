//! Helpers shared by the integration tests: a client that does not follow redirects, PKCE
//! pairs, and the authorize → code step most flows start with.
#![allow(dead_code, unreachable_pub)]

pub mod apps;
pub mod identity;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use mockauth::MockAuth;
use serde_json::Value;

/// An async client that leaves redirects to the test.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A blocking client that leaves redirects to the test.
pub fn blocking_http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// An RFC 7636 verifier and its S256 challenge.
pub fn pkce_pair(seed: &str) -> (String, String) {
    let verifier =
        format!("{seed:-<43}").replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-");
    let challenge = B64.encode(aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        verifier.as_bytes(),
    ));
    (verifier, challenge)
}

/// The query parameters of a redirect's `Location`.
pub fn location_params(response: &reqwest::Response) -> Vec<(String, String)> {
    let location = response.headers()["location"].to_str().unwrap();
    let query = location.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// One parameter of a redirect's `Location`.
pub fn location_param(response: &reqwest::Response, name: &str) -> Option<String> {
    location_params(response)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Runs `/authorize` for the default client with a PKCE S256 challenge and returns
/// `(code, verifier)`; the redirect URI is `http://127.0.0.1:8080/callback`.
pub async fn authorize_default(auth: &MockAuth, extra: &[(&str, &str)]) -> (String, String) {
    let (verifier, challenge) = pkce_pair("default-verifier");
    let client = auth.default_client();
    let mut query = vec![
        ("response_type", "code"),
        ("client_id", client.client_id()),
        ("redirect_uri", REDIRECT_URI),
        ("scope", "openid profile email offline_access"),
        ("state", "state-1"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ];
    query.extend_from_slice(extra);
    let response = http()
        .get(auth.authorize_url())
        .query(&query)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        302,
        "authorize failed: {:?}",
        response.headers().get("location")
    );
    let code = location_param(&response, "code").expect("a code in the redirect");
    (code, verifier)
}

/// The redirect URI `authorize_default` uses.
pub const REDIRECT_URI: &str = "http://127.0.0.1:8080/callback";

/// POSTs a form to the token endpoint with the default client's secret (client_secret_post).
pub async fn token_request(auth: &MockAuth, form: &[(&str, &str)]) -> (u16, Value) {
    let client = auth.default_client();
    let mut body: Vec<(&str, &str)> = vec![
        ("client_id", client.client_id()),
        ("client_secret", client.client_secret().unwrap()),
    ];
    body.extend_from_slice(form);
    let response = http()
        .post(auth.token_url())
        .form(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// A password-grant login of the default user.
pub async fn password_login(auth: &MockAuth, scope: &str) -> Value {
    let (status, body) = token_request(
        auth,
        &[
            ("grant_type", "password"),
            ("username", "testuser"),
            ("password", "password123"),
            ("scope", scope),
        ],
    )
    .await;
    assert_eq!(status, 200, "password login failed: {body}");
    body
}

/// The status and JSON body of a response; panics with the raw body when it is not JSON.
pub async fn status_json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("status {status}: the body is not JSON ({e}): {text:?}"));
    (status, body)
}

/// Introspects `token` as RFC 7662 clients do: a form, authenticated with the default
/// client's Basic credentials. Returns the JSON answer after checking the 200.
pub async fn introspect(auth: &MockAuth, token: &str) -> Value {
    let client = auth.default_client();
    let response = http()
        .post(auth.introspection_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("token", token)])
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(response).await;
    assert_eq!(status, 200, "introspection failed: {body}");
    body
}

/// The claims of a compact JWT, decoded from its payload without checking the signature.
pub fn jwt_payload(token: &str) -> Value {
    let payload = token
        .split('.')
        .nth(1)
        .unwrap_or_else(|| panic!("not a compact JWT: {token:?}"));
    serde_json::from_slice(&B64.decode(payload).expect("base64url payload"))
        .expect("a JSON payload")
}

/// POSTs a form to the token endpoint as `client`: `client_id` plus `client_secret` when it
/// has one (client_secret_post), `client_id` alone when it is public (method none).
pub async fn token_request_as(
    auth: &MockAuth,
    client: &mockauth::ClientCredentials,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let mut body: Vec<(&str, &str)> = vec![("client_id", client.client_id())];
    if let Some(secret) = client.client_secret() {
        body.push(("client_secret", secret));
    }
    body.extend_from_slice(form);
    let response = http()
        .post(auth.token_url())
        .form(&body)
        .send()
        .await
        .unwrap();
    status_json(response).await
}

/// GETs `/userinfo` with `access_token` as the bearer token: `(status, body)`.
pub async fn userinfo(auth: &MockAuth, access_token: &str) -> (u16, Value) {
    let response = http()
        .get(auth.userinfo_url())
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap();
    status_json(response).await
}
