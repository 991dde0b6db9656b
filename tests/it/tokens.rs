//! Tokens minted in process and forged on purpose, checked over HTTP by the server's own
//! `/userinfo` and `/introspect`, and by `jsonwebtoken` against the JWKS it serves.

use std::time::Duration;

use crate::common;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, DecodingKey, Validation};
use mockauth::{Algorithm, Forgery, MockAuth};
use serde_json::Value;

fn install_crypto() {
    let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
}

async fn fetch_jwks(auth: &MockAuth) -> JwkSet {
    let response = common::http().get(auth.jwks_url()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.expect("a JWK Set document")
}

/// Access tokens carry all of these; id_tokens have no `nbf`.
const ACCESS_CLAIMS: &[&str] = &["exp", "iss", "aud", "sub", "nbf"];
const ID_CLAIMS: &[&str] = &["exp", "iss", "aud", "sub"];

/// What a careful resource server does offline: the key the `kid` names in the JWKS, the
/// algorithm that key is for, and `iss`, `aud`, `exp` and `nbf` (when present).
fn verify_offline(
    jwks: &JwkSet,
    token: &str,
    (issuer, audience): (&str, &str),
    required: &[&str],
) -> Result<Value, String> {
    let header = decode_header(token).map_err(|e| format!("header: {e:?}"))?;
    let kid = header.kid.ok_or("no kid")?;
    let jwk = jwks
        .find(&kid)
        .ok_or(format!("kid {kid:?} is not in the JWKS"))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("key: {e:?}"))?;
    let alg = jwk
        .common
        .key_algorithm
        .expect("the JWKS names each key's alg");
    let mut validation = Validation::new(alg.to_string().parse().expect("a JWS algorithm"));
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    validation.validate_nbf = true;
    validation.set_required_spec_claims(required);
    decode::<Value>(token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| format!("{:?}", e.kind()))
}

#[tokio::test]
async fn a_minted_user_token_is_accepted_by_userinfo_and_introspection() {
    // Arrange
    let auth = MockAuth::start().await;
    let alice = auth.user("alice").email("alice@example.test").create();

    // Act
    let token = auth
        .issue_token()
        .user("alice")
        .scopes(["openid", "orders:read"])
        .audience("https://api.example.test")
        .claim("tenant", "acme")
        .lifetime(Duration::from_secs(300))
        .access_token();

    // Assert
    let (status, profile) = common::userinfo(&auth, &token).await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["sub"], alice.id());
    assert_eq!(profile["email"], "alice@example.test");
    let introspection = common::introspect(&auth, &token).await;
    assert_eq!(introspection["active"], true, "{introspection}");
    assert_eq!(introspection["sub"], alice.id());
    assert_eq!(introspection["scope"], "openid orders:read");
    assert_eq!(introspection["aud"], "https://api.example.test");
    let lifetime = introspection["exp"].as_u64().unwrap() - introspection["iat"].as_u64().unwrap();
    assert_eq!(lifetime, 300);
    assert_eq!(common::jwt_payload(&token)["tenant"], "acme");
}

#[tokio::test]
async fn a_minted_token_verifies_with_jsonwebtoken_against_the_served_jwks() {
    // Arrange
    install_crypto();
    let auth = MockAuth::start().await;
    let jwks = fetch_jwks(&auth).await;

    // Act
    let token = auth.issue_token().access_token();

    // Assert
    let client_id = auth.default_client().client_id().to_owned();
    let claims =
        verify_offline(&jwks, &token, (&auth.issuer(), &client_id), ACCESS_CLAIMS).unwrap();
    assert_eq!(claims["sub"], auth.default_user().id());
    assert_eq!(claims["client_id"], client_id.as_str());
    assert_eq!(
        decode_header(&token).unwrap().typ.as_deref(),
        Some("at+jwt")
    );
}

#[tokio::test]
async fn a_minted_token_is_signed_by_the_current_key_after_a_rotation() {
    // Arrange
    install_crypto();
    let auth = MockAuth::start().await;
    let new_kid = auth.rotate_keys();

    // Act
    let token = auth.issue_token().access_token();

    // Assert
    assert_eq!(decode_header(&token).unwrap().kid, Some(new_kid));
    let jwks = fetch_jwks(&auth).await;
    let audience = auth.default_client().client_id().to_owned();
    verify_offline(&jwks, &token, (&auth.issuer(), &audience), ACCESS_CLAIMS).unwrap();
}

#[tokio::test]
async fn a_minted_client_token_is_about_the_client_and_has_no_user_tokens() {
    // Arrange
    let auth = MockAuth::start().await;
    let service = auth.client("billing").scopes(["invoices:write"]).create();

    // Act
    let tokens = auth.issue_token().client("billing").tokens();

    // Assert
    assert_eq!(tokens.id_token(), None);
    assert_eq!(tokens.refresh_token(), None);
    assert_eq!(tokens.scope(), "invoices:write");
    let introspection = common::introspect(&auth, tokens.access_token()).await;
    assert_eq!(introspection["active"], true, "{introspection}");
    assert_eq!(introspection["sub"], service.client_id());
    assert_eq!(introspection["client_id"], service.client_id());
    let (status, body) = common::userinfo(&auth, tokens.access_token()).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "insufficient_scope");
}

#[tokio::test]
async fn minted_tokens_with_openid_include_an_id_token_bound_to_the_access_token() {
    // Arrange
    install_crypto();
    let auth = MockAuth::start().await;
    let jwks = fetch_jwks(&auth).await;
    let client_id = auth.default_client().client_id().to_owned();

    // Act
    let tokens = auth.issue_token().scopes(["openid", "email"]).tokens();

    // Assert
    let id_token = tokens.id_token().expect("an id_token with openid");
    let id = verify_offline(&jwks, id_token, (&auth.issuer(), &client_id), ID_CLAIMS).unwrap();
    assert_eq!(id["azp"], client_id.as_str());
    assert_eq!(id["email"], "testuser@example.test");
    assert!(id["at_hash"].is_string());
    assert_eq!(tokens.expires_in(), Duration::from_secs(3600));
}

#[tokio::test]
async fn revoking_a_minted_token_over_http_makes_it_inactive() {
    // Arrange
    let auth = MockAuth::start().await;
    let token = auth.issue_token().access_token();
    let client = auth.default_client();

    // Act
    let response = common::http()
        .post(auth.revocation_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 200);
    assert_eq!(common::introspect(&auth, &token).await["active"], false);
    let (status, body) = common::userinfo(&auth, &token).await;
    assert_eq!(status, 401);
    assert_eq!(body["error_description"], "the token has been revoked");
}

#[tokio::test]
async fn revoking_the_minted_refresh_token_revokes_the_minted_access_token_with_its_family() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = auth.issue_token().tokens();
    let refresh = tokens
        .refresh_token()
        .expect("the default client may refresh");

    // Act
    let response = common::http()
        .post(auth.revocation_url())
        .json(&serde_json::json!({ "token": refresh }))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 200);
    assert_eq!(
        common::introspect(&auth, tokens.access_token()).await["active"],
        false
    );
}

#[test]
#[should_panic(
    expected = "issue_token: no user \"bob\" on this server; create it with auth.user(\"bob\").create()"
)]
fn minting_for_an_unknown_user_panics_with_the_fix() {
    // Arrange
    let auth = MockAuth::start_blocking();

    // Act: the panic is the assertion
    let _ = auth.issue_token().user("bob").access_token();
}

#[test]
#[should_panic(
    expected = "issue_token: no client \"web\" on this server; create it with auth.client(\"web\").create()"
)]
fn minting_for_an_unknown_client_panics_with_the_fix() {
    // Arrange
    let auth = MockAuth::start_blocking();

    // Act: the panic is the assertion
    let _ = auth.issue_token().client("web").access_token();
}

#[test]
#[should_panic(
    expected = "claim \"iss\" is set by the server; to change it use .forge(Forgery::WrongIssuer) on auth.issue_token()"
)]
fn setting_a_server_claim_panics_with_the_method_that_changes_it() {
    // Arrange
    let auth = MockAuth::start_blocking();

    // Act: the panic is the assertion
    let _ = auth.issue_token().claim("iss", "https://elsewhere.test");
}

/// What `/userinfo` says about each forgery.
fn expected_rejection(forgery: Forgery) -> &'static str {
    match forgery {
        Forgery::Expired => "the token has expired",
        Forgery::NotYetValid => "the token is not valid yet",
        Forgery::WrongIssuer => "is not this issuer",
        Forgery::WrongAudience => "names no client of this server",
        Forgery::WrongKey | Forgery::TamperedPayload => "the token's signature does not verify",
        Forgery::UnknownKid | Forgery::AlgNone | Forgery::AlgorithmConfusion => {
            "the token's kid or alg does not match any key this server publishes"
        }
        Forgery::Revoked => "the token has been revoked",
        _ => unreachable!("a new forgery needs its expected rejection here"),
    }
}

#[tokio::test]
async fn userinfo_rejects_every_forgery_with_the_reason() {
    // Arrange
    let auth = MockAuth::start().await;

    for forgery in Forgery::ALL {
        // Act
        let token = auth.issue_token().forge(forgery);
        let (status, body) = common::userinfo(&auth, &token).await;

        // Assert
        assert_eq!(status, 401, "{forgery}: {body}");
        assert_eq!(body["error"], "invalid_token", "{forgery}: {body}");
        let description = body["error_description"].as_str().unwrap();
        assert!(
            description.contains(expected_rejection(forgery)),
            "{forgery}: {description}"
        );
    }
}

#[tokio::test]
async fn introspection_reports_every_forgery_inactive() {
    // Arrange
    let auth = MockAuth::start().await;

    for forgery in Forgery::ALL {
        // Act
        let token = auth.issue_token().forge(forgery);
        let introspection = common::introspect(&auth, &token).await;

        // Assert
        assert_eq!(
            introspection,
            serde_json::json!({ "active": false }),
            "{forgery}"
        );
    }
}

#[tokio::test]
async fn jsonwebtoken_rejects_every_forgery_but_revocation_which_only_introspection_sees() {
    // Arrange
    install_crypto();
    let auth = MockAuth::start().await;
    let jwks = fetch_jwks(&auth).await;
    let (issuer, audience) = (auth.issuer(), auth.default_client().client_id().to_owned());

    for forgery in Forgery::ALL {
        // Act
        let token = auth.issue_token().forge(forgery);
        let verdict = verify_offline(&jwks, &token, (&issuer, &audience), ACCESS_CLAIMS);

        // Assert
        let expected = match forgery {
            Forgery::Expired => "ExpiredSignature",
            Forgery::NotYetValid => "ImmatureSignature",
            Forgery::WrongIssuer => "InvalidIssuer",
            Forgery::WrongAudience => "InvalidAudience",
            Forgery::WrongKey | Forgery::TamperedPayload => "InvalidSignature",
            Forgery::UnknownKid => "is not in the JWKS",
            Forgery::AlgNone => "header:",
            Forgery::AlgorithmConfusion => "InvalidAlgorithm",
            Forgery::Revoked => {
                assert!(
                    verdict.is_ok(),
                    "a signature cannot show revocation: {verdict:?}"
                );
                assert_eq!(common::introspect(&auth, &token).await["active"], false);
                continue;
            }
            _ => unreachable!("a new forgery needs its expected verdict here"),
        };
        let error = verdict.expect_err(forgery.as_str());
        assert!(error.contains(expected), "{forgery}: {error}");
    }
}

#[tokio::test]
async fn forgeries_keep_the_builders_subject_and_break_only_their_own_part() {
    // Arrange
    let auth = MockAuth::start().await;
    let alice = auth.user("alice").create();
    let valid = auth.issue_token().user("alice").access_token();
    let server_kid = decode_header(&valid).unwrap().kid.unwrap();

    // Act
    let expired = auth.issue_token().user("alice").forge(Forgery::Expired);
    let wrong_key = auth.issue_token().user("alice").forge(Forgery::WrongKey);
    let unknown_kid = auth.issue_token().user("alice").forge(Forgery::UnknownKid);
    let tampered = auth
        .issue_token()
        .user("alice")
        .forge(Forgery::TamperedPayload);

    // Assert
    let now = auth
        .now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let expired_claims = common::jwt_payload(&expired);
    assert_eq!(expired_claims["sub"], alice.id());
    assert!(expired_claims["exp"].as_u64().unwrap() + 3600 <= now);
    assert_eq!(
        decode_header(&wrong_key).unwrap().kid,
        Some(server_kid.clone())
    );
    let forged_kid = decode_header(&unknown_kid).unwrap().kid.unwrap();
    assert_ne!(forged_kid, server_kid);
    assert_eq!(forged_kid.len(), server_kid.len());
    assert!(forged_kid.starts_with("rs256-"), "{forged_kid}");
    assert!(common::jwt_payload(&tampered)["scope"]
        .as_str()
        .unwrap()
        .ends_with(" admin"));
}

#[tokio::test]
async fn userinfo_rejects_forgeries_on_every_algorithm() {
    for algorithm in [Algorithm::ES256, Algorithm::EdDSA, Algorithm::HS256] {
        // Arrange
        let auth = MockAuth::builder().algorithm(algorithm).start().await;

        for forgery in Forgery::ALL {
            if (algorithm, forgery) == (Algorithm::HS256, Forgery::AlgorithmConfusion) {
                continue; // No public key to confuse with; see the test below.
            }
            // Act
            let token = auth.issue_token().forge(forgery);
            let (status, body) = common::userinfo(&auth, &token).await;

            // Assert
            assert_eq!(status, 401, "{algorithm:?} {forgery}: {body}");
            let description = body["error_description"].as_str().unwrap();
            assert!(
                description.contains(expected_rejection(forgery)),
                "{algorithm:?} {forgery}: {description}"
            );
        }
    }
}

#[test]
#[should_panic(
    expected = "Forgery::AlgorithmConfusion needs a server that signs with a public key"
)]
fn algorithm_confusion_on_an_hs256_server_panics_with_the_fix() {
    // Arrange
    let auth = MockAuth::builder()
        .algorithm(Algorithm::HS256)
        .start_blocking();

    // Act: the panic is the assertion
    let _ = auth.issue_token().forge(Forgery::AlgorithmConfusion);
}
