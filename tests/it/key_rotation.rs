//! Key rotation seen by the clients that must survive it: `jsonwebtoken` against a cached
//! and a refetched JWKS, `openidconnect` before and after rediscovery, and the server's own
//! `/userinfo` and `/introspect`.

use crate::common;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};
use mockauth::{Algorithm, MockAuth};
use openidconnect::core::{CoreClient, CoreIdToken, CoreProviderMetadata};
use openidconnect::{
    ClaimsVerificationError, ClientId, ClientSecret, IssuerUrl, Nonce, SignatureVerificationError,
};
use serde_json::Value;

/// A resource server's view of the issuer: the JWKS it fetched last.
struct Verifier {
    jwks: JwkSet,
}

impl Verifier {
    async fn fetch(auth: &MockAuth) -> Verifier {
        let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
        let response = common::http().get(auth.jwks_url()).send().await.unwrap();
        assert_eq!(response.status(), 200);
        Verifier {
            jwks: response.json().await.expect("a JWK Set"),
        }
    }

    fn kids(&self) -> Vec<String> {
        self.jwks
            .keys
            .iter()
            .map(|k| k.common.key_id.clone().unwrap())
            .collect()
    }

    /// Verifies signature, issuer, audience and expiry; `Err` names what failed.
    fn verify(&self, auth: &MockAuth, token: &str) -> Result<Value, String> {
        let header = decode_header(token).map_err(|e| e.to_string())?;
        let kid = header.kid.ok_or("no kid")?;
        let jwk = self
            .jwks
            .find(&kid)
            .ok_or_else(|| format!("kid {kid} is not in the JWKS"))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| e.to_string())?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[auth.issuer()]);
        validation.set_audience(&[auth.default_client().client_id()]);
        decode::<Value>(token, &key, &validation)
            .map(|data| data.claims)
            .map_err(|e| e.to_string())
    }
}

fn kid_of(token: &str) -> String {
    decode_header(token).unwrap().kid.unwrap()
}

async fn access_token(auth: &MockAuth) -> String {
    let login = common::password_login(auth, "openid").await;
    login["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn old_tokens_verify_until_retired_and_new_tokens_carry_the_new_kid() {
    // Arrange
    let auth = MockAuth::start().await;
    let old_token = access_token(&auth).await;
    let old_kid = auth.signing_key_id();
    let cached = Verifier::fetch(&auth).await;
    assert!(cached.verify(&auth, &old_token).is_ok());

    // Act: rotate.
    let new_kid = auth.rotate_keys();
    let new_token = access_token(&auth).await;
    let refetched = Verifier::fetch(&auth).await;

    // Assert: both keys published, the new one first; both tokens verify.
    assert_ne!(new_kid, old_kid);
    assert!(new_kid.starts_with("rs256-"), "{new_kid}");
    assert_eq!(kid_of(&old_token), old_kid);
    assert_eq!(kid_of(&new_token), new_kid);
    assert_eq!(refetched.kids(), [new_kid.clone(), old_kid.clone()]);
    assert_eq!(
        cached.verify(&auth, &new_token).unwrap_err(),
        format!("kid {new_kid} is not in the JWKS")
    );
    assert!(refetched.verify(&auth, &new_token).is_ok());
    assert!(refetched.verify(&auth, &old_token).is_ok());
    assert_eq!(common::userinfo(&auth, &old_token).await.0, 200);

    // Act: retire.
    let retired = auth.retire_old_keys();
    let after_retirement = Verifier::fetch(&auth).await;
    let (status, body) = common::userinfo(&auth, &old_token).await;
    let introspected = common::introspect(&auth, &old_token).await;

    // Assert: the old token fails everywhere, the new one still works.
    assert_eq!(retired, [old_kid.as_str()]);
    assert_eq!(after_retirement.kids(), [new_kid]);
    assert_eq!(
        after_retirement.verify(&auth, &old_token).unwrap_err(),
        format!("kid {old_kid} is not in the JWKS")
    );
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_token");
    assert_eq!(
        body["error_description"],
        "the token's kid or alg does not match any key this server publishes"
    );
    assert_eq!(introspected, serde_json::json!({ "active": false }));
    assert!(after_retirement.verify(&auth, &new_token).is_ok());
    assert_eq!(common::userinfo(&auth, &new_token).await.0, 200);
}

#[tokio::test]
async fn rotation_takes_different_key_material_of_the_same_algorithm() {
    // Arrange
    let auth = MockAuth::builder()
        .algorithm(Algorithm::ES256)
        .start()
        .await;
    let before = Verifier::fetch(&auth).await;

    // Act
    let new_kid = auth.rotate_keys();
    let after = Verifier::fetch(&auth).await;

    // Assert
    assert!(new_kid.starts_with("es256-"), "{new_kid}");
    let new_jwk = serde_json::to_value(after.jwks.find(&new_kid).unwrap()).unwrap();
    let old_jwk = serde_json::to_value(&before.jwks.keys[0]).unwrap();
    assert_eq!(
        (new_jwk["kty"].as_str(), new_jwk["alg"].as_str()),
        (Some("EC"), Some("ES256"))
    );
    assert_ne!(new_jwk["x"], old_jwk["x"]);
    let token = access_token(&auth).await;
    assert_eq!(after.verify(&auth, &token).unwrap()["iss"], auth.issuer());
}

#[tokio::test]
async fn a_signing_key_missing_from_the_jwks_fails_even_after_a_refetch_until_published() {
    // Arrange
    let auth = MockAuth::start().await;
    let cached = Verifier::fetch(&auth).await;

    // Act: the signer moves on before the JWKS does.
    let withheld = auth.rotate_keys_without_publishing();
    let token = access_token(&auth).await;
    let refetched = Verifier::fetch(&auth).await;
    let (status, _) = common::userinfo(&auth, &token).await;

    // Assert: the token names a kid no JWKS has; the server itself still knows its key.
    assert_eq!(kid_of(&token), withheld);
    assert_eq!(refetched.kids(), cached.kids());
    assert_eq!(
        refetched.verify(&auth, &token).unwrap_err(),
        format!("kid {withheld} is not in the JWKS")
    );
    assert_eq!(status, 200);

    // Act: the JWKS catches up.
    auth.publish_signing_key();
    let caught_up = Verifier::fetch(&auth).await;

    // Assert
    assert_eq!(caught_up.kids()[0], withheld);
    assert_eq!(caught_up.kids().len(), 2);
    assert!(caught_up.verify(&auth, &token).is_ok());
}

#[tokio::test]
async fn openidconnect_rejects_an_id_token_from_a_rotated_key_until_it_rediscovers() {
    // Arrange
    let auth = MockAuth::start().await;
    let issuer = IssuerUrl::new(auth.issuer()).unwrap();
    let stale = CoreProviderMetadata::discover_async(issuer.clone(), &common::http())
        .await
        .unwrap();
    let client = auth.default_client();
    let oidc_client = |metadata: CoreProviderMetadata| {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(client.client_id().to_owned()),
            client
                .client_secret()
                .map(|s| ClientSecret::new(s.to_owned())),
        )
    };
    let stale_client = oidc_client(stale);

    // Act
    auth.rotate_keys();
    let login = common::password_login(&auth, "openid").await;
    let id_token: CoreIdToken = serde_json::from_value(login["id_token"].clone()).unwrap();
    let no_nonce = |_: Option<&Nonce>| Ok(());
    let with_stale_keys = id_token
        .claims(&stale_client.id_token_verifier(), no_nonce)
        .map(|c| c.subject().to_string());
    let fresh = CoreProviderMetadata::discover_async(issuer, &common::http())
        .await
        .unwrap();
    let fresh_client = oidc_client(fresh);
    let with_fresh_keys = id_token
        .claims(&fresh_client.id_token_verifier(), no_nonce)
        .map(|c| c.subject().to_string());

    // Assert
    assert!(
        matches!(
            with_stale_keys,
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey
            ))
        ),
        "{with_stale_keys:?}"
    );
    assert_eq!(with_fresh_keys.unwrap(), auth.default_user().id());
}

#[tokio::test]
async fn hs256_rotation_changes_the_secret_and_retirement_ends_the_old_one() {
    // Arrange
    let auth = MockAuth::builder()
        .algorithm(Algorithm::HS256)
        .start()
        .await;
    let old_secret = auth.hs256_secret().unwrap();
    let old_token = access_token(&auth).await;

    // Act
    auth.rotate_keys();
    let new_secret = auth.hs256_secret().unwrap();
    let before_retirement = common::userinfo(&auth, &old_token).await.0;
    auth.retire_old_keys();
    let (after_status, after_body) = common::userinfo(&auth, &old_token).await;

    // Assert
    assert_ne!(old_secret, new_secret);
    assert_eq!(new_secret.len(), 32);
    assert_eq!(Verifier::fetch(&auth).await.kids(), Vec::<String>::new());
    assert_eq!(before_retirement, 200);
    assert_eq!(after_status, 401);
    assert_eq!(after_body["error"], "invalid_token");
}
