//! The refresh token grant over HTTP: rotation, replay detection that revokes the whole
//! family, scope narrowing, client binding and expiry.

use std::time::Duration;

use crate::common::{
    http, introspect, jwt_payload, password_login, status_json, token_request, token_request_as,
    userinfo,
};
use mockauth::{GrantType, MockAuth};
use serde_json::{json, Value};

const ALL_SCOPES: &str = "openid profile email offline_access";

/// Refreshes with the default client, optionally asking for `scope`.
async fn refresh(auth: &MockAuth, refresh_token: &str, scope: Option<&str>) -> (u16, Value) {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    token_request(auth, &form).await
}

fn text<'v>(body: &'v Value, name: &str) -> &'v str {
    body[name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {body}"))
}

#[tokio::test]
async fn refresh_rotates_the_refresh_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let login = password_login(&auth, ALL_SCOPES).await;
    let old_refresh = text(&login, "refresh_token");

    // Act
    let (status, body) = refresh(&auth, old_refresh, None).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], ALL_SCOPES);
    assert_ne!(text(&body, "refresh_token"), old_refresh);
    assert_ne!(text(&body, "access_token"), text(&login, "access_token"));
    let (status, again) = refresh(&auth, old_refresh, None).await;
    assert_eq!(status, 400, "{again}");
    assert_eq!(again["error"], "invalid_grant");
}

#[tokio::test]
async fn refreshed_tokens_keep_the_user_and_the_session() {
    // Arrange
    let auth = MockAuth::start().await;
    let login = password_login(&auth, ALL_SCOPES).await;
    let first_id = jwt_payload(text(&login, "id_token"));
    auth.advance(Duration::from_secs(30));

    // Act
    let (status, body) = refresh(&auth, text(&login, "refresh_token"), None).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let id_token = jwt_payload(text(&body, "id_token"));
    assert_eq!(id_token["sub"], auth.default_user().id());
    assert_eq!(id_token["sid"], first_id["sid"]);
    assert_eq!(id_token["auth_time"], first_id["auth_time"]);
    assert!(id_token["iat"].as_u64().unwrap() >= first_id["iat"].as_u64().unwrap() + 30);
    let access = jwt_payload(text(&body, "access_token"));
    assert_eq!(access["sub"], auth.default_user().id());
}

#[tokio::test]
async fn replayed_refresh_token_revokes_the_whole_family() {
    // Arrange
    let auth = MockAuth::start().await;
    let login = password_login(&auth, ALL_SCOPES).await;
    let first_refresh = text(&login, "refresh_token");
    let (status, rotated) = refresh(&auth, first_refresh, None).await;
    assert_eq!(status, 200, "{rotated}");
    let newest_refresh = text(&rotated, "refresh_token");
    let newest_access = text(&rotated, "access_token");
    assert_eq!(introspect(&auth, newest_access).await["active"], true);

    // Act
    let (status, replay) = refresh(&auth, first_refresh, None).await;

    // Assert
    assert_eq!(status, 400, "{replay}");
    assert_eq!(replay["error"], "invalid_grant");
    assert!(
        text(&replay, "error_description").contains("replay"),
        "{replay}"
    );
    let (status, newest) = refresh(&auth, newest_refresh, None).await;
    assert_eq!(status, 400, "{newest}");
    assert_eq!(newest["error"], "invalid_grant");
    assert!(
        text(&newest, "error_description").contains("revoked"),
        "{newest}"
    );
    assert_eq!(
        introspect(&auth, newest_access).await,
        json!({ "active": false })
    );
    assert_eq!(
        introspect(&auth, text(&login, "access_token")).await,
        json!({ "active": false })
    );
    let (status, profile) = userinfo(&auth, newest_access).await;
    assert_eq!(status, 401, "{profile}");
    assert_eq!(profile["error"], "invalid_token");
}

#[tokio::test]
async fn replay_leaves_other_sessions_of_the_same_user_alone() {
    // Arrange
    let auth = MockAuth::start().await;
    let victim = password_login(&auth, ALL_SCOPES).await;
    let bystander = password_login(&auth, ALL_SCOPES).await;
    let (status, _) = refresh(&auth, text(&victim, "refresh_token"), None).await;
    assert_eq!(status, 200);

    // Act
    let (status, replay) = refresh(&auth, text(&victim, "refresh_token"), None).await;

    // Assert
    assert_eq!(status, 400, "{replay}");
    assert_eq!(replay["error"], "invalid_grant");
    assert_eq!(
        introspect(&auth, text(&bystander, "access_token")).await["active"],
        true
    );
    let (status, body) = refresh(&auth, text(&bystander, "refresh_token"), None).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn narrower_scope_on_refresh_is_granted() {
    // Arrange
    let auth = MockAuth::start().await;
    let login = password_login(&auth, ALL_SCOPES).await;

    // Act
    let (status, body) = refresh(&auth, text(&login, "refresh_token"), Some("openid email")).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], "openid email");
    assert_eq!(
        jwt_payload(text(&body, "access_token"))["scope"],
        "openid email"
    );
}

#[tokio::test]
async fn narrowing_does_not_shrink_the_scope_of_the_new_refresh_token() {
    // Arrange: RFC 6749 §6, the new refresh token's scope is that of the one it replaces.
    let auth = MockAuth::start().await;
    let login = password_login(&auth, ALL_SCOPES).await;
    let (status, narrowed) = refresh(&auth, text(&login, "refresh_token"), Some("openid")).await;
    assert_eq!(status, 200, "{narrowed}");
    assert_eq!(narrowed["scope"], "openid");

    // Act
    let (status, body) = refresh(&auth, text(&narrowed, "refresh_token"), None).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["scope"], ALL_SCOPES);
}

#[tokio::test]
async fn wider_scope_on_refresh_is_invalid_scope() {
    // Arrange
    let auth = MockAuth::start().await;
    let login = password_login(&auth, "openid profile").await;
    let refresh_token = text(&login, "refresh_token");

    // Act
    let (status, body) = refresh(&auth, refresh_token, Some("openid profile email")).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_scope");
    assert!(text(&body, "error_description").contains("email"), "{body}");
    let (status, retry) = refresh(&auth, refresh_token, None).await;
    assert_eq!(
        status, 200,
        "a refused widening must not burn the token: {retry}"
    );
    assert_eq!(retry["scope"], "openid profile");
}

#[tokio::test]
async fn refresh_token_of_one_client_is_refused_to_another() {
    // Arrange
    let auth = MockAuth::start().await;
    let other = auth.client("other").create();
    let login = password_login(&auth, ALL_SCOPES).await;

    // Act
    let (status, body) = token_request_as(
        &auth,
        &other,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", text(&login, "refresh_token")),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(text(&body, "error_description").contains("other"), "{body}");
}

#[tokio::test]
async fn refresh_token_expires_with_the_refresh_token_ttl() {
    // Arrange
    let auth = MockAuth::builder()
        .refresh_token_ttl(Duration::from_secs(120))
        .start()
        .await;
    let login = password_login(&auth, ALL_SCOPES).await;
    auth.advance(Duration::from_secs(121));

    // Act
    let (status, body) = refresh(&auth, text(&login, "refresh_token"), None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        text(&body, "error_description").contains("expired"),
        "{body}"
    );
}

#[tokio::test]
async fn refresh_token_works_until_its_ttl_runs_out() {
    // Arrange
    let auth = MockAuth::builder()
        .refresh_token_ttl(Duration::from_secs(120))
        .start()
        .await;
    let login = password_login(&auth, ALL_SCOPES).await;
    auth.advance(Duration::from_secs(110));

    // Act
    let (status, body) = refresh(&auth, text(&login, "refresh_token"), None).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert!(body["refresh_token"].is_string());
}

#[tokio::test]
async fn expired_access_token_is_rejected_and_refreshing_replaces_it() {
    // Arrange
    let auth = MockAuth::builder()
        .access_token_ttl(Duration::from_secs(10))
        .start()
        .await;
    let login = password_login(&auth, ALL_SCOPES).await;
    auth.advance(Duration::from_secs(11));
    let (status, expired) = userinfo(&auth, text(&login, "access_token")).await;
    assert_eq!(status, 401, "{expired}");
    assert_eq!(expired["error"], "invalid_token");

    // Act
    let (status, body) = refresh(&auth, text(&login, "refresh_token"), None).await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["expires_in"], 10);
    let (status, profile) = userinfo(&auth, text(&body, "access_token")).await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["sub"], auth.default_user().id());
}

#[tokio::test]
async fn client_without_the_refresh_token_grant_gets_no_refresh_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let kiosk = auth
        .client("kiosk")
        .grant_types([GrantType::Password])
        .create();

    // Act
    let (status, body) = token_request_as(
        &auth,
        &kiosk,
        &[
            ("grant_type", "password"),
            ("username", "testuser"),
            ("password", "password123"),
            ("scope", ALL_SCOPES),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string());
    assert!(body.get("refresh_token").is_none(), "{body}");
}

#[tokio::test]
async fn unknown_refresh_token_is_invalid_grant() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, body) = refresh(&auth, "rt_made_up", None).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "unknown refresh token");
}

#[tokio::test]
async fn a_tampered_refresh_token_is_unknown_and_revokes_nothing() {
    // Arrange: a token that names its session and generation; forge the next generation,
    // the previous one, and the MAC.
    let auth = MockAuth::start().await;
    let login = password_login(&auth, ALL_SCOPES).await;
    let (status, first) = refresh(&auth, text(&login, "refresh_token"), None).await;
    assert_eq!(status, 200, "{first}");
    let live = text(&first, "refresh_token").to_owned();
    let (body, mac) = live.rsplit_once('.').expect("{sid}.{generation}.{mac}");
    let (session, generation) = body.rsplit_once('.').expect("{sid}.{generation}");
    assert_eq!(generation, "1", "{live}");
    let flipped = if mac.starts_with('A') { "B" } else { "A" };
    let forgeries = [
        format!("{session}.2.{mac}"),
        format!("{session}.0.{mac}"),
        format!("{body}.{flipped}{}", &mac[1..]),
        format!("{body}.{mac}x"),
        format!("{session}.1"),
    ];

    for forged in &forgeries {
        // Act
        let (status, answer) = refresh(&auth, forged, None).await;

        // Assert
        assert_eq!(status, 400, "{forged}: {answer}");
        assert_eq!(
            answer["error_description"], "unknown refresh token",
            "{forged}"
        );
    }
    let (status, answer) = refresh(&auth, &live, None).await;
    assert_eq!(status, 200, "no forgery revoked the session: {answer}");
}

#[tokio::test]
async fn a_session_rotated_many_times_still_detects_the_replay_of_its_first_token() {
    // Arrange
    let auth = MockAuth::start().await;
    let login = password_login(&auth, ALL_SCOPES).await;
    let first = text(&login, "refresh_token").to_owned();
    let mut newest = first.clone();
    for _ in 0..200 {
        let (status, answer) = refresh(&auth, &newest, None).await;
        assert_eq!(status, 200, "{answer}");
        newest = text(&answer, "refresh_token").to_owned();
    }

    // Act
    let (replay_status, replay) = refresh(&auth, &first, None).await;
    let (status, after) = refresh(&auth, &newest, None).await;

    // Assert
    assert_eq!(replay_status, 400, "{replay}");
    assert!(
        text(&replay, "error_description").contains("replay detected"),
        "{replay}"
    );
    assert_eq!(status, 400, "{after}");
    assert_eq!(after["error_description"], "refresh token has been revoked");
}

#[tokio::test]
async fn refresh_takes_a_json_body() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let login = password_login(&auth, ALL_SCOPES).await;

    // Act
    let response = http()
        .post(auth.token_url())
        .json(&json!({
            "grant_type": "refresh_token",
            "refresh_token": text(&login, "refresh_token"),
            "client_id": client.client_id(),
            "client_secret": client.client_secret(),
        }))
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(status, 200, "{body}");
    assert_ne!(text(&body, "refresh_token"), text(&login, "refresh_token"));
}

#[tokio::test]
async fn expired_refresh_tokens_are_forgotten_by_the_servers_upkeep() {
    // Arrange
    let auth = MockAuth::start().await;
    let tokens = password_login(&auth, "openid offline_access").await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap().to_owned();

    // Act: past the refresh token's 30 days and the day an expired record is kept; the
    // upkeep runs every few seconds.
    auth.advance(Duration::from_secs(32 * 24 * 3600));
    let mut description = String::new();
    for _ in 0..40 {
        let (status, body) = token_request(
            &auth,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token.as_str()),
            ],
        )
        .await;
        assert_eq!(status, 400, "{body}");
        description = body["error_description"].as_str().unwrap().to_owned();
        if description.contains("unknown") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // Assert: first "has expired" (still remembered), then forgotten ("unknown").
    assert_eq!(description, "unknown refresh token");
}
