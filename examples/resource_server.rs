//! A small axum resource server guarded by `jwt-authorizer`, tested against mockauth with
//! no login flow: a token minted in process gets in, and every kind of forged token is
//! turned away.
//!
//! The API verifies bearer tokens the way a careful resource server does: signature
//! against the JWKS found through OIDC discovery, then `iss`, `aud`, `exp` and `nbf`
//! (jwt-authorizer); then it asks `/introspect` whether the token was revoked, which no
//! signature can tell.
//!
//! ```sh
//! cargo run --example resource_server
//! ```

use std::error::Error;
use std::net::SocketAddr;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use jwt_authorizer::{IntoLayer, JwtAuthorizer, JwtClaims, Validation};
use mockauth::{Forgery, MockAuth};
use serde_json::{json, Value};

/// The audience the API accepts tokens for.
pub(crate) const AUDIENCE: &str = "https://orders.example.test";

/// Where the API learns about tokens: the issuer it trusts (its JWKS is found by
/// discovery) and the introspection endpoint with the API's own client credentials.
#[derive(Clone, Debug)]
pub(crate) struct Trust {
    /// The issuer whose tokens are accepted (`iss`), and where discovery starts.
    pub(crate) issuer: String,
    /// Where to ask whether a token was revoked.
    pub(crate) introspection_url: String,
    /// The API's own client id at the authorization server.
    pub(crate) client_id: String,
    /// The API's own client secret.
    pub(crate) client_secret: String,
}

impl Trust {
    /// Trust in a mockauth server, introspecting as its default client.
    pub(crate) fn mockauth(auth: &MockAuth) -> Self {
        let client = auth.default_client();
        Self {
            issuer: auth.issuer(),
            introspection_url: auth.introspection_url(),
            client_id: client.client_id().to_owned(),
            client_secret: client.client_secret().unwrap_or_default().to_owned(),
        }
    }
}

/// The API: `GET /orders` answers the caller's `sub`; every route needs a valid bearer token.
pub(crate) async fn app(trust: Trust) -> Result<Router, Box<dyn Error>> {
    let validation = Validation::new()
        .iss(&[trust.issuer.as_str()])
        .aud(&[AUDIENCE])
        .nbf(true);
    let authorizer = JwtAuthorizer::<Value>::from_oidc(&trust.issuer)
        .validation(validation)
        .build()
        .await?;
    // The last layer added runs first: jwt-authorizer, then the revocation check.
    Ok(Router::new()
        .route("/orders", get(orders))
        .layer(middleware::from_fn_with_state(trust, reject_revoked))
        .layer(authorizer.into_layer()))
}

async fn orders(JwtClaims(claims): JwtClaims<Value>) -> Json<Value> {
    Json(json!({ "sub": claims["sub"], "orders": [] }))
}

/// Asks the authorization server whether the (already verified) token is still active
/// ([RFC 7662](https://www.rfc-editor.org/rfc/rfc7662)).
async fn reject_revoked(State(trust): State<Trust>, request: Request, next: Next) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    let answer = reqwest::Client::new()
        .post(&trust.introspection_url)
        .basic_auth(&trust.client_id, Some(&trust.client_secret))
        .form(&[("token", token)])
        .send()
        .await;
    let active = match answer {
        Ok(response) => response
            .json::<Value>()
            .await
            .ok()
            .map(|v| v["active"] == true),
        Err(_) => None,
    };
    match active {
        Some(true) => next.run(request).await,
        Some(false) => (
            StatusCode::UNAUTHORIZED,
            [(
                header::WWW_AUTHENTICATE,
                r#"Bearer error="invalid_token", error_description="the token has been revoked""#,
            )],
        )
            .into_response(),
        None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// Serves `app` on an ephemeral 127.0.0.1 port until the process ends.
pub(crate) async fn serve(app: Router) -> Result<SocketAddr, Box<dyn Error>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(addr)
}

/// Calls `GET /orders` with `token`: the status and the `WWW-Authenticate` header.
pub(crate) async fn get_orders(
    api: SocketAddr,
    token: &str,
) -> Result<(u16, String), Box<dyn Error>> {
    let response = reqwest::Client::new()
        .get(format!("http://{api}/orders"))
        .bearer_auth(token)
        .send()
        .await?;
    let challenge = response
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    Ok((response.status().as_u16(), challenge))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let auth = MockAuth::start().await;
    auth.user("alice").create();
    let api = serve(app(Trust::mockauth(&auth)).await?).await?;
    let mint = || auth.issue_token().user("alice").audience(AUDIENCE);

    let mut cases = vec![("minted", mint().access_token(), 200)];
    for forgery in Forgery::ALL {
        cases.push((forgery.as_str(), mint().forge(forgery), 401));
    }
    let mut unexpected = 0;
    for (case, token, expected) in cases {
        let (status, challenge) = get_orders(api, &token).await?;
        let verdict = if status == expected {
            "ok"
        } else {
            "UNEXPECTED"
        };
        println!("{case:<20} → {status} {verdict} {challenge}");
        unexpected += usize::from(status != expected);
    }
    if unexpected > 0 {
        return Err(format!("{unexpected} case(s) got an unexpected status").into());
    }
    Ok(())
}
