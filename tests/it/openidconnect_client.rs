//! The `openidconnect` crate (v4), a client nobody here wrote, run against the server:
//! discovery, the code flow with PKCE S256, id_token verification (signature, nonce,
//! at_hash), userinfo and refresh, for confidential and public clients and every
//! asymmetric algorithm.

use crate::common;
use mockauth::{Algorithm, ClientCredentials, MockAuth};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreErrorResponseType, CoreIdToken, CoreJsonWebKey,
    CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreTokenResponse, CoreUserInfoClaims,
};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, JsonWebKey as _, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError,
    Scope, SubjectIdentifier,
};

/// A client as `CoreClient::from_provider_metadata` makes it: the authorization endpoint is
/// set, token and userinfo endpoints come from the metadata.
type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What the authorize step leaves for the token step.
struct Authorized {
    code: AuthorizationCode,
    returned_state: String,
    csrf: CsrfToken,
    nonce: Nonce,
    verifier: PkceCodeVerifier,
}

async fn discover(auth: &MockAuth) -> CoreProviderMetadata {
    let issuer = IssuerUrl::new(auth.issuer()).unwrap();
    CoreProviderMetadata::discover_async(issuer, &common::http())
        .await
        .unwrap_or_else(|e| panic!("discovery rejected: {e:?}"))
}

async fn oidc_client(
    auth: &MockAuth,
    credentials: &ClientCredentials,
    redirect_uri: &str,
) -> DiscoveredClient {
    CoreClient::from_provider_metadata(
        discover(auth).await,
        ClientId::new(credentials.client_id().to_owned()),
        credentials
            .client_secret()
            .map(|s| ClientSecret::new(s.to_owned())),
    )
    .set_redirect_uri(RedirectUrl::new(redirect_uri.to_owned()).unwrap())
}

/// Builds the authorization URL with the crate and follows it like a browser would, without
/// following the redirect back to the client.
async fn authorize(client: &DiscoveredClient) -> Authorized {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("offline_access".into()))
        .set_pkce_challenge(challenge)
        .url();
    let response = common::http().get(url.as_str()).send().await.unwrap();
    assert_eq!(
        response.status(),
        302,
        "authorize refused {url}: {:?}",
        response.headers().get("location")
    );
    let code = common::location_param(&response, "code").expect("a code in the redirect");
    let returned_state = common::location_param(&response, "state").expect("state echoed");
    Authorized {
        code: AuthorizationCode::new(code),
        returned_state,
        csrf,
        nonce,
        verifier,
    }
}

async fn exchange(client: &DiscoveredClient, authorized: Authorized) -> CoreTokenResponse {
    client
        .exchange_code(authorized.code)
        .unwrap()
        .set_pkce_verifier(authorized.verifier)
        .request_async(&common::http())
        .await
        .unwrap_or_else(|e| panic!("code exchange rejected: {e:?}"))
}

fn id_token(tokens: &CoreTokenResponse) -> &CoreIdToken {
    tokens
        .extra_fields()
        .id_token()
        .expect("an id_token in the token response")
}

/// Runs discovery, the code flow and full id_token verification for a server signing with
/// `algorithm`, and returns the signing algorithm the crate saw.
async fn code_flow_verifies(algorithm: Algorithm) -> CoreJwsSigningAlgorithm {
    let auth = MockAuth::builder().algorithm(algorithm).start().await;
    let client = oidc_client(&auth, &auth.default_client(), common::REDIRECT_URI).await;
    let authorized = authorize(&client).await;
    let nonce = authorized.nonce.clone();
    let tokens = exchange(&client, authorized).await;

    let verifier = client.id_token_verifier();
    let id_token = id_token(&tokens);
    let claims = id_token
        .claims(&verifier, &nonce)
        .unwrap_or_else(|e| panic!("{algorithm:?} id_token rejected: {e:?}"));
    assert_eq!(claims.subject().as_str(), auth.default_user().id());
    let alg = id_token.signing_alg().unwrap().clone();
    // An HS256 id_token names no JWKS key: its key is the client secret.
    let secret_key = CoreJsonWebKey::new_symmetric(
        auth.default_client()
            .client_secret()
            .unwrap()
            .as_bytes()
            .to_vec(),
    );
    let key = match alg {
        CoreJwsSigningAlgorithm::HmacSha256 => &secret_key,
        _ => id_token.signing_key(&verifier).unwrap(),
    };
    let expected = AccessTokenHash::from_token(tokens.access_token(), &alg, key).unwrap();
    assert_eq!(claims.access_token_hash(), Some(&expected));
    alg
}

#[tokio::test]
async fn discovery_document_is_accepted_and_names_every_endpoint() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let metadata = discover(&auth).await;

    // Assert
    assert_eq!(metadata.issuer().as_str(), auth.issuer());
    assert_eq!(
        metadata.authorization_endpoint().as_str(),
        auth.authorize_url()
    );
    assert_eq!(
        metadata.token_endpoint().map(|u| u.as_str()),
        Some(auth.token_url().as_str())
    );
    assert_eq!(
        metadata.userinfo_endpoint().map(|u| u.as_str()),
        Some(auth.userinfo_url().as_str())
    );
    assert_eq!(metadata.jwks_uri().as_str(), auth.jwks_url());
    assert_eq!(
        metadata.id_token_signing_alg_values_supported(),
        &vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256]
    );
    assert_eq!(metadata.jwks().keys().len(), 1, "one signing key published");
}

#[tokio::test]
async fn code_flow_with_pkce_yields_an_id_token_the_crate_verifies() {
    // Arrange
    let auth = MockAuth::start().await;
    let user = auth.default_user();
    let client = oidc_client(&auth, &auth.default_client(), common::REDIRECT_URI).await;

    // Act
    let authorized = authorize(&client).await;
    let (csrf, returned_state) = (authorized.csrf.clone(), authorized.returned_state.clone());
    let nonce = authorized.nonce.clone();
    let tokens = exchange(&client, authorized).await;

    // Assert
    assert_eq!(&returned_state, csrf.secret(), "state is echoed unchanged");
    assert!(
        tokens.refresh_token().is_some(),
        "offline_access gives a refresh token"
    );
    let verifier = client.id_token_verifier();
    let id_token = id_token(&tokens);
    let claims = id_token
        .claims(&verifier, &nonce)
        .unwrap_or_else(|e| panic!("id_token rejected: {e:?}"));
    assert_eq!(claims.subject().as_str(), user.id());
    assert_eq!(claims.issuer().as_str(), auth.issuer());
    assert_eq!(claims.nonce().map(Nonce::secret), Some(nonce.secret()));
    assert_eq!(claims.email().map(|e| e.as_str()), Some(user.email()));
    assert!(claims.auth_time().is_some(), "auth_time is present");
    let alg = id_token.signing_alg().unwrap();
    let key = id_token.signing_key(&verifier).unwrap();
    let expected = AccessTokenHash::from_token(tokens.access_token(), alg, key).unwrap();
    assert_eq!(
        claims.access_token_hash(),
        Some(&expected),
        "at_hash matches"
    );
}

#[tokio::test]
async fn wrong_pkce_verifier_is_rejected_with_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = oidc_client(&auth, &auth.default_client(), common::REDIRECT_URI).await;
    let authorized = authorize(&client).await;
    let (_, other_verifier) = PkceCodeChallenge::new_random_sha256();

    // Act
    let result = client
        .exchange_code(authorized.code)
        .unwrap()
        .set_pkce_verifier(other_verifier)
        .request_async(&common::http())
        .await;

    // Assert
    match result {
        Err(RequestTokenError::ServerResponse(e)) => {
            assert_eq!(e.error(), &CoreErrorResponseType::InvalidGrant, "{e:?}")
        }
        other => panic!("expected invalid_grant, got {other:?}"),
    }
}

#[tokio::test]
async fn id_token_with_a_different_nonce_is_rejected_by_the_crate() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = oidc_client(&auth, &auth.default_client(), common::REDIRECT_URI).await;
    let authorized = authorize(&client).await;
    let tokens = exchange(&client, authorized).await;

    // Act
    let result = id_token(&tokens).claims(
        &client.id_token_verifier(),
        &Nonce::new("not-the-nonce-we-sent".into()),
    );

    // Assert
    assert!(
        matches!(result, Err(ClaimsVerificationError::InvalidNonce(_))),
        "expected InvalidNonce, got {result:?}"
    );
}

#[tokio::test]
async fn userinfo_is_fetched_by_the_crate_for_the_flows_access_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let user = auth.default_user();
    let client = oidc_client(&auth, &auth.default_client(), common::REDIRECT_URI).await;
    let authorized = authorize(&client).await;
    let tokens = exchange(&client, authorized).await;

    // Act
    let info: CoreUserInfoClaims = client
        .user_info(
            tokens.access_token().clone(),
            Some(SubjectIdentifier::new(user.id().to_owned())),
        )
        .unwrap()
        .request_async(&common::http())
        .await
        .unwrap_or_else(|e| panic!("userinfo rejected: {e:?}"));

    // Assert
    assert_eq!(info.subject().as_str(), user.id());
    assert_eq!(info.email().map(|e| e.as_str()), Some(user.email()));
    assert_eq!(info.email_verified(), Some(true));
    assert_eq!(
        info.name().and_then(|n| n.get(None)).map(|n| n.as_str()),
        Some(user.username())
    );
}

#[tokio::test]
async fn userinfo_for_another_subject_is_rejected_by_the_crate() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = oidc_client(&auth, &auth.default_client(), common::REDIRECT_URI).await;
    let authorized = authorize(&client).await;
    let tokens = exchange(&client, authorized).await;

    // Act
    let result: Result<CoreUserInfoClaims, _> = client
        .user_info(
            tokens.access_token().clone(),
            Some(SubjectIdentifier::new("someone-else".into())),
        )
        .unwrap()
        .request_async(&common::http())
        .await;

    // Assert
    assert!(result.is_err(), "a userinfo sub mismatch must be caught");
}

#[tokio::test]
async fn refresh_token_exchange_yields_new_tokens_the_crate_verifies() {
    // Arrange
    let auth = MockAuth::start().await;
    let user = auth.default_user();
    let client = oidc_client(&auth, &auth.default_client(), common::REDIRECT_URI).await;
    let authorized = authorize(&client).await;
    let nonce = authorized.nonce.clone();
    let first = exchange(&client, authorized).await;
    let refresh_token = first.refresh_token().expect("a refresh token").clone();

    // Act
    let second = client
        .exchange_refresh_token(&refresh_token)
        .unwrap()
        .request_async(&common::http())
        .await
        .unwrap_or_else(|e| panic!("refresh rejected: {e:?}"));

    // Assert
    assert_ne!(
        second.access_token().secret(),
        first.access_token().secret()
    );
    let rotated = second
        .refresh_token()
        .expect("rotation gives a new refresh token");
    assert_ne!(rotated.secret(), refresh_token.secret());
    // A refreshed id_token need not carry the nonce (OIDC Core §12.2); if it does, it must
    // be the original one.
    let claims = id_token(&second)
        .claims(&client.id_token_verifier(), |n: Option<&Nonce>| match n {
            Some(n) if n.secret() != nonce.secret() => Err("a different nonce".to_owned()),
            _ => Ok(()),
        })
        .unwrap_or_else(|e| panic!("refreshed id_token rejected: {e:?}"));
    assert_eq!(claims.subject().as_str(), user.id());
}

#[tokio::test]
async fn public_client_completes_the_code_flow_with_pkce_and_no_secret() {
    // Arrange
    let auth = MockAuth::start().await;
    let spa = auth
        .client("spa")
        .public()
        .redirect_uri("http://127.0.0.1:9999/cb")
        .create();
    let client = oidc_client(&auth, &spa, "http://127.0.0.1:9999/cb").await;

    // Act
    let authorized = authorize(&client).await;
    let nonce = authorized.nonce.clone();
    let tokens = exchange(&client, authorized).await;
    let refreshed = client
        .exchange_refresh_token(tokens.refresh_token().expect("a refresh token"))
        .unwrap()
        .request_async(&common::http())
        .await
        .unwrap_or_else(|e| panic!("public refresh rejected: {e:?}"));

    // Assert
    let claims = id_token(&tokens)
        .claims(&client.id_token_verifier(), &nonce)
        .unwrap_or_else(|e| panic!("public client's id_token rejected: {e:?}"));
    assert_eq!(claims.audiences()[0].as_str(), "spa");
    assert_eq!(claims.subject().as_str(), auth.default_user().id());
    assert_ne!(
        refreshed.access_token().secret(),
        tokens.access_token().secret()
    );
}

#[tokio::test]
async fn es256_id_token_is_verified_by_the_crate() {
    // Arrange, Act
    let alg = code_flow_verifies(Algorithm::ES256).await;

    // Assert
    assert_eq!(alg, CoreJwsSigningAlgorithm::EcdsaP256Sha256);
}

#[tokio::test]
async fn eddsa_id_token_is_verified_by_the_crate() {
    // Arrange, Act
    let alg = code_flow_verifies(Algorithm::EdDSA).await;

    // Assert
    assert_eq!(alg, CoreJwsSigningAlgorithm::EdDsa);
}

#[tokio::test]
async fn code_flow_under_an_issuer_path_is_accepted_by_the_crate() {
    // Arrange
    let auth = MockAuth::builder()
        .issuer_path("/realms/acme")
        .start()
        .await;
    let client = oidc_client(&auth, &auth.default_client(), common::REDIRECT_URI).await;

    // Act
    let authorized = authorize(&client).await;
    let nonce = authorized.nonce.clone();
    let tokens = exchange(&client, authorized).await;

    // Assert
    let claims = id_token(&tokens)
        .claims(&client.id_token_verifier(), &nonce)
        .unwrap_or_else(|e| panic!("id_token under /realms/acme rejected: {e:?}"));
    assert!(auth.issuer().ends_with("/realms/acme"));
    assert_eq!(claims.issuer().as_str(), auth.issuer());
}

#[tokio::test]
async fn hs256_id_token_is_verified_with_the_client_secret() {
    // Arrange, Act: OIDC Core §10.1 MACs HS256 id_tokens with the client's own secret.
    let alg = code_flow_verifies(Algorithm::HS256).await;

    // Assert
    assert_eq!(alg, CoreJwsSigningAlgorithm::HmacSha256);
}
