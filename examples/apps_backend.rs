//! The backend of an app that signs its users up with a hosted auth service (the apps
//! face), tested against mockauth: users sign up and log in at the auth service, the way
//! the app's frontend does it, and the backend accepts their access tokens with
//! `jwt-authorizer`, checking the signature against the app's JWKS, then `iss`, `aud` (the
//! app id) and `exp`.
//!
//! ```sh
//! cargo run --example apps_backend
//! ```

use std::error::Error;
use std::net::SocketAddr;

use axum::routing::get;
use axum::{Json, Router};
use jwt_authorizer::{IntoLayer, JwtAuthorizer, JwtClaims, Validation};
use mockauth::{Face, MockAuth};
use serde_json::{json, Value};

/// The app's id at the auth service.
pub(crate) const APP_ID: &str = "notes";

/// Where the app's auth lives: `{origin}{prefix}/auth/{app_id}`, the tokens' issuer.
pub(crate) fn auth_base(auth: &MockAuth, app_id: &str) -> String {
    format!("http://{}/auth/{app_id}", auth.address())
}

/// The backend: `GET /notes` answers the caller's id and email; it needs a valid access
/// token of app `app_id` whose auth lives at `base`.
pub(crate) async fn backend(base: &str, app_id: &str) -> Result<Router, Box<dyn Error>> {
    let validation = Validation::new().iss(&[base]).aud(&[app_id]);
    let authorizer =
        JwtAuthorizer::<Value>::from_jwks_url(&format!("{base}/.well-known/jwks.json"))
            .validation(validation)
            .build()
            .await?;
    Ok(Router::new()
        .route("/notes", get(notes))
        .layer(authorizer.into_layer()))
}

async fn notes(JwtClaims(claims): JwtClaims<Value>) -> Json<Value> {
    Json(json!({ "user": claims["sub"], "email": claims["email"], "notes": [] }))
}

/// Serves `app` on an ephemeral 127.0.0.1 port until the process ends.
pub(crate) async fn serve(app: Router) -> Result<SocketAddr, Box<dyn Error>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(addr)
}

/// What the frontend does: POSTs `{email, password}` to `signup` or `login` of the auth
/// service; the status and the answer.
pub(crate) async fn sign_in(
    base: &str,
    route: &str,
    email: &str,
    password: &str,
) -> Result<(u16, Value), Box<dyn Error>> {
    let answer = reqwest::Client::new()
        .post(format!("{base}/{route}"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await?;
    Ok((answer.status().as_u16(), answer.json().await?))
}

/// Calls the backend's `GET /notes` with `token`: the status and the body (empty when it
/// is not JSON).
pub(crate) async fn get_notes(
    api: SocketAddr,
    token: &str,
) -> Result<(u16, Value), Box<dyn Error>> {
    let answer = reqwest::Client::new()
        .get(format!("http://{api}/notes"))
        .bearer_auth(token)
        .send()
        .await?;
    let status = answer.status().as_u16();
    Ok((status, answer.json().await.unwrap_or(Value::Null)))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let auth = MockAuth::builder().face(Face::apps()).start().await;
    let base = auth_base(&auth, APP_ID);
    let (status, session) = sign_in(&base, "signup", "ada@example.test", "An@lytical1").await?;
    assert_eq!(status, 201, "{session}");
    // The app's key exists once the app does: build the backend after the first call.
    let api = serve(backend(&base, APP_ID).await?).await?;
    let token = session["access_token"].as_str().unwrap_or_default();
    let (status, notes) = get_notes(api, token).await?;
    println!("signup token → GET /notes: {status} {notes}");
    let (status, _) = sign_in(&base, "login", "ada@example.test", "wrong").await?;
    println!("login with a wrong password: {status}");
    Ok(())
}
