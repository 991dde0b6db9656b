//! The `oauth2` crate (v5), a client nobody here wrote, run against the server: client
//! credentials, password, refresh with rotation, revocation and introspection, with both
//! client authentication methods, async and blocking.

use crate::common;
use mockauth::{ClientCredentials, MockAuth};
use oauth2::basic::{BasicClient, BasicErrorResponseType, BasicTokenResponse};
use oauth2::{
    AccessToken, AuthType, ClientId, ClientSecret, EndpointNotSet, EndpointSet, HttpClientError,
    HttpRequest, HttpResponse, IntrospectionUrl, RequestTokenError, ResourceOwnerPassword,
    ResourceOwnerUsername, RevocationUrl, Scope, StandardRevocableToken,
    TokenIntrospectionResponse, TokenResponse, TokenUrl,
};

/// A client with token, introspection and revocation endpoints set.
type Oauth2Client =
    BasicClient<EndpointNotSet, EndpointNotSet, EndpointSet, EndpointSet, EndpointSet>;

fn oauth2_client(
    auth: &MockAuth,
    credentials: &ClientCredentials,
    auth_type: AuthType,
) -> Oauth2Client {
    let client = BasicClient::new(ClientId::new(credentials.client_id().to_owned()))
        .set_token_uri(TokenUrl::new(auth.token_url()).unwrap())
        .set_introspection_url(IntrospectionUrl::new(auth.introspection_url()).unwrap())
        // The crate insists on https here (RFC 7009 §2); see `via_tls_terminator`.
        .set_revocation_url(
            RevocationUrl::new(auth.revocation_url().replacen("http://", "https://", 1)).unwrap(),
        )
        .set_auth_type(auth_type);
    match credentials.client_secret() {
        Some(secret) => client.set_client_secret(ClientSecret::new(secret.to_owned())),
        None => client,
    }
}

/// The crate refuses a revocation endpoint that is not https ("Clients MUST verify that the
/// URL is an HTTPS URL", RFC 7009 §2), and the server speaks plain HTTP on loopback. So the
/// crate gets an https URL and this HTTP client, which plays the TLS terminator in front of
/// the server: it turns `https://` back into `http://` and changes nothing else.
async fn via_tls_terminator(
    mut request: HttpRequest,
) -> Result<HttpResponse, HttpClientError<reqwest::Error>> {
    let plain = request.uri().to_string().replacen("https://", "http://", 1);
    *request.uri_mut() = plain.parse().unwrap();
    let http = common::http();
    oauth2::AsyncHttpClient::call(&http, request).await
}

async fn password_grant(client: &Oauth2Client, scopes: &[&str]) -> BasicTokenResponse {
    client
        .exchange_password(
            &ResourceOwnerUsername::new(mockauth::DEFAULT_USERNAME.into()),
            &ResourceOwnerPassword::new(mockauth::DEFAULT_PASSWORD.into()),
        )
        .add_scopes(scopes.iter().map(|s| Scope::new((*s).into())))
        .request_async(&common::http())
        .await
        .unwrap_or_else(|e| panic!("password grant rejected: {e:?}"))
}

/// The RFC 6749 error code of a failed request.
fn error_code<E: std::error::Error + 'static>(
    error: RequestTokenError<E, oauth2::StandardErrorResponse<BasicErrorResponseType>>,
) -> BasicErrorResponseType {
    match error {
        RequestTokenError::ServerResponse(e) => e.error().clone(),
        other => panic!("expected an RFC 6749 error response, got {other:?}"),
    }
}

#[tokio::test]
async fn client_credentials_grant_with_basic_auth_returns_a_bearer_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = oauth2_client(&auth, &auth.default_client(), AuthType::BasicAuth);

    // Act
    let token = client
        .exchange_client_credentials()
        .add_scope(Scope::new("profile".into()))
        .request_async(&common::http())
        .await
        .unwrap_or_else(|e| panic!("client_credentials rejected: {e:?}"));

    // Assert
    assert_eq!(token.token_type(), &oauth2::basic::BasicTokenType::Bearer);
    assert!(token.expires_in().is_some_and(|d| d.as_secs() > 0));
    assert_eq!(token.scopes(), Some(&vec![Scope::new("profile".into())]));
    assert!(
        token.refresh_token().is_none(),
        "no refresh token for a client"
    );
}

#[tokio::test]
async fn client_credentials_grant_with_request_body_auth_returns_a_bearer_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = oauth2_client(&auth, &auth.default_client(), AuthType::RequestBody);

    // Act
    let token = client
        .exchange_client_credentials()
        .request_async(&common::http())
        .await
        .unwrap_or_else(|e| panic!("client_credentials rejected: {e:?}"));

    // Assert
    assert_eq!(token.token_type(), &oauth2::basic::BasicTokenType::Bearer);
    assert_eq!(token.access_token().secret().split('.').count(), 3, "a JWT");
}

#[tokio::test]
async fn client_secret_with_reserved_characters_is_accepted_in_basic_auth() {
    // Arrange: the crate form-encodes id and secret before base64 (RFC 6749 §2.3.1).
    let auth = MockAuth::start().await;
    let weird = auth.client("weird").secret("s3cr+t/=:%&").create();
    let client = oauth2_client(&auth, &weird, AuthType::BasicAuth);

    // Act
    let token = client
        .exchange_client_credentials()
        .request_async(&common::http())
        .await;

    // Assert
    let token = token.unwrap_or_else(|e| panic!("encoded Basic credentials rejected: {e:?}"));
    assert_eq!(token.token_type(), &oauth2::basic::BasicTokenType::Bearer);
}

#[tokio::test]
async fn client_secret_with_reserved_characters_is_accepted_in_the_request_body() {
    // Arrange
    let auth = MockAuth::start().await;
    let weird = auth.client("weird").secret("s3cr+t/=:%&").create();
    let client = oauth2_client(&auth, &weird, AuthType::RequestBody);

    // Act
    let token = client
        .exchange_client_credentials()
        .request_async(&common::http())
        .await;

    // Assert
    assert!(token.is_ok(), "client_secret_post rejected: {token:?}");
}

#[tokio::test]
async fn wrong_client_secret_is_rejected_with_invalid_client() {
    // Arrange
    let auth = MockAuth::start().await;
    let impostor = auth.client("weird").secret("s3cr+t/=:%&").create();
    let client = oauth2_client(&auth, &impostor, AuthType::BasicAuth)
        .set_client_secret(ClientSecret::new("s3cr t/=:%&".into()));

    // Act
    let result = client
        .exchange_client_credentials()
        .request_async(&common::http())
        .await;

    // Assert
    assert_eq!(
        error_code(result.unwrap_err()),
        BasicErrorResponseType::InvalidClient
    );
}

#[tokio::test]
async fn password_grant_returns_access_and_refresh_tokens() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = oauth2_client(&auth, &auth.default_client(), AuthType::BasicAuth);

    // Act
    let token = password_grant(&client, &["openid", "offline_access"]).await;

    // Assert
    assert!(token.refresh_token().is_some());
    let scopes: Vec<&str> = token.scopes().unwrap().iter().map(|s| s.as_str()).collect();
    assert_eq!(scopes, ["openid", "offline_access"]);
}

#[tokio::test]
async fn password_grant_with_a_wrong_password_is_rejected_with_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = oauth2_client(&auth, &auth.default_client(), AuthType::RequestBody);

    // Act
    let result = client
        .exchange_password(
            &ResourceOwnerUsername::new(mockauth::DEFAULT_USERNAME.into()),
            &ResourceOwnerPassword::new("not-the-password".into()),
        )
        .request_async(&common::http())
        .await;

    // Assert
    assert_eq!(
        error_code(result.unwrap_err()),
        BasicErrorResponseType::InvalidGrant
    );
}

#[tokio::test]
async fn refresh_token_is_rejected_after_rotation() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = oauth2_client(&auth, &auth.default_client(), AuthType::BasicAuth);
    let first = password_grant(&client, &["openid", "offline_access"]).await;
    let old = first.refresh_token().unwrap().clone();

    // Act
    let second = client
        .exchange_refresh_token(&old)
        .request_async(&common::http())
        .await
        .unwrap_or_else(|e| panic!("refresh rejected: {e:?}"));
    let replay = client
        .exchange_refresh_token(&old)
        .request_async(&common::http())
        .await;

    // Assert
    let rotated = second.refresh_token().expect("a rotated refresh token");
    assert_ne!(rotated.secret(), old.secret());
    assert_ne!(
        second.access_token().secret(),
        first.access_token().secret()
    );
    assert_eq!(
        error_code(replay.unwrap_err()),
        BasicErrorResponseType::InvalidGrant
    );
}

#[tokio::test]
async fn live_access_token_is_introspected_as_active_with_its_subject_client_and_scope() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = oauth2_client(&auth, &auth.default_client(), AuthType::BasicAuth);
    let token = password_grant(&client, &["openid", "email"]).await;

    // Act
    let introspection = client
        .introspect(token.access_token())
        .request_async(&common::http())
        .await
        .unwrap_or_else(|e| panic!("introspection rejected: {e:?}"));

    // Assert
    assert!(introspection.active());
    assert_eq!(introspection.sub(), Some(auth.default_user().id()));
    assert_eq!(
        introspection.client_id().map(|c| c.as_str()),
        Some(auth.default_client().client_id())
    );
    let scopes: Vec<&str> = introspection
        .scopes()
        .unwrap()
        .iter()
        .map(|s| s.as_str())
        .collect();
    assert_eq!(scopes, ["openid", "email"]);
    assert_eq!(introspection.iss(), Some(auth.issuer().as_str()));
    assert!(introspection.exp().is_some());
}

#[tokio::test]
async fn revoked_access_token_is_introspected_as_inactive() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = oauth2_client(&auth, &auth.default_client(), AuthType::RequestBody);
    let token = password_grant(&client, &["openid"]).await;
    let access = token.access_token().clone();

    // Act
    client
        .revoke_token(StandardRevocableToken::AccessToken(access.clone()))
        .unwrap()
        .request_async(&via_tls_terminator)
        .await
        .unwrap_or_else(|e| panic!("revocation rejected: {e:?}"));
    let introspection = client
        .introspect(&access)
        .request_async(&common::http())
        .await
        .unwrap_or_else(|e| panic!("introspection rejected: {e:?}"));

    // Assert
    assert!(!introspection.active(), "a revoked token is inactive");
    assert_eq!(introspection.sub(), None, "nothing else is disclosed");
}

#[tokio::test]
async fn revoked_refresh_token_can_no_longer_be_exchanged_or_introspected() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = oauth2_client(&auth, &auth.default_client(), AuthType::BasicAuth);
    let token = password_grant(&client, &["openid", "offline_access"]).await;
    let refresh = token.refresh_token().unwrap().clone();

    // Act
    client
        .revoke_token(StandardRevocableToken::RefreshToken(refresh.clone()))
        .unwrap()
        .request_async(&via_tls_terminator)
        .await
        .unwrap_or_else(|e| panic!("revocation rejected: {e:?}"));
    let introspection = client
        .introspect(&AccessToken::new(refresh.secret().clone()))
        .set_token_type_hint("refresh_token")
        .request_async(&common::http())
        .await
        .unwrap_or_else(|e| panic!("introspection rejected: {e:?}"));
    let exchange = client
        .exchange_refresh_token(&refresh)
        .request_async(&common::http())
        .await;

    // Assert
    assert!(!introspection.active());
    assert_eq!(
        error_code(exchange.unwrap_err()),
        BasicErrorResponseType::InvalidGrant
    );
}

#[tokio::test]
async fn revoking_an_unknown_token_succeeds() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = oauth2_client(&auth, &auth.default_client(), AuthType::BasicAuth);

    // Act
    let result = client
        .revoke_token(StandardRevocableToken::AccessToken(AccessToken::new(
            "never-issued".into(),
        )))
        .unwrap()
        .request_async(&via_tls_terminator)
        .await;

    // Assert
    assert!(result.is_ok(), "RFC 7009 §2.2 answers 200: {result:?}");
}

#[test]
fn blocking_client_runs_password_grant_and_introspection_from_a_plain_test() {
    // Arrange
    let auth = MockAuth::start_blocking();
    let client = oauth2_client(&auth, &auth.default_client(), AuthType::BasicAuth);
    let http = common::blocking_http();

    // Act
    let token = client
        .exchange_password(
            &ResourceOwnerUsername::new(mockauth::DEFAULT_USERNAME.into()),
            &ResourceOwnerPassword::new(mockauth::DEFAULT_PASSWORD.into()),
        )
        .add_scope(Scope::new("openid".into()))
        .request(&http)
        .unwrap_or_else(|e| panic!("blocking password grant rejected: {e:?}"));
    let introspection = client
        .introspect(token.access_token())
        .request(&http)
        .unwrap_or_else(|e| panic!("blocking introspection rejected: {e:?}"));

    // Assert
    assert!(introspection.active());
    assert_eq!(introspection.sub(), Some(auth.default_user().id()));
}
