//! `/apikeys…`: the key shown once, its use as `X-API-Key`, expiry, replacement, deletion.

use super::*;

#[tokio::test]
async fn an_api_key_is_shown_once_at_creation_and_never_again() {
    // Arrange
    let auth = server().await;
    let body = json!({
        "name": "Service Integration", "description": "Key for service integration",
        "expiresAt": "2025-03-09T16:13:13Z", "permissions": ["Users:Manage"],
    });

    // Act
    let (status, created) = admin(&auth, Method::POST, "/apikeys", Some(body)).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let (_, shown) = admin(&auth, Method::GET, &format!("/apikeys/{id}"), None).await;
    let (_, list) = admin(&auth, Method::GET, "/apikeys", None).await;

    // Assert
    assert_eq!(status, 201, "{created}");
    let key = created["key"].as_str().unwrap();
    assert!(key.starts_with("mka_") && key.len() > 40, "{key}");
    let mut expected = json!({
        "id": id, "name": "Service Integration", "description": "Key for service integration",
        "expiresAt": "2025-03-09T16:13:13Z", "permissions": ["Users:Manage"],
        "createdAt": START_ISO,
    });
    assert_eq!(shown, expected);
    assert_eq!(list, json!([expected.clone()]));
    expected["key"] = json!(key);
    assert_eq!(created, expected);
    assert!(
        !list.to_string().contains(&key[4..]),
        "the key is never shown again"
    );
}

#[tokio::test]
async fn an_api_key_passes_the_guard_for_its_own_permissions_only() {
    // Arrange
    let auth = server().await;
    let created = create(
        &auth,
        "/apikeys",
        json!({"name": "ci", "permissions": ["Users:Manage"]}),
    )
    .await;
    let key = created["key"].as_str().unwrap();

    // Act
    let users = call(&auth, Caller::Key(key), Method::GET, "/users", None).await;
    let roles = call(
        &auth,
        Caller::Key(key),
        Method::POST,
        "/roles",
        Some(json!({"name": "X"})),
    )
    .await;

    // Assert
    assert_eq!(users.0, 200, "{}", users.1);
    assert_error(&roles, 403, "Forbidden");
    let (_, list) = admin(&auth, Method::GET, "/roles", None).await;
    assert_eq!(
        names(&list, "name"),
        ["user"],
        "a refused call creates nothing"
    );
}

#[tokio::test]
async fn an_api_key_stops_working_at_its_expiry_on_the_server_clock() {
    // Arrange
    let auth = server().await;
    let body = json!({
        "name": "short-lived", "expiresAt": "2024-03-09T17:13:13Z", "permissions": ["Users:Manage"],
    });
    let key = create(&auth, "/apikeys", body).await["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = call(&auth, Caller::Key(&key), Method::GET, "/users", None).await;

    // Act
    auth.advance(Duration::from_secs(3600));
    let after = call(&auth, Caller::Key(&key), Method::GET, "/users", None).await;

    // Assert
    assert_eq!(before.0, 200);
    assert_error(&after, 401, "Unauthorized");
    assert!(
        after.1["message"].as_str().unwrap().contains("expired"),
        "{}",
        after.1
    );
}

#[tokio::test]
async fn a_deleted_api_key_stops_working_at_once() {
    // Arrange
    let auth = server().await;
    let created = create(
        &auth,
        "/apikeys",
        json!({"name": "ci", "permissions": ["Users:Manage"]}),
    )
    .await;
    let (id, key) = (
        created["id"].as_str().unwrap(),
        created["key"].as_str().unwrap(),
    );

    // Act
    let deleted = admin(&auth, Method::DELETE, &format!("/apikeys/{id}"), None).await;

    // Assert
    assert_eq!(deleted, (204, Value::Null));
    assert_error(
        &call(&auth, Caller::Key(key), Method::GET, "/users", None).await,
        401,
        "Unauthorized",
    );
    assert_error(
        &admin(&auth, Method::GET, &format!("/apikeys/{id}"), None).await,
        404,
        "NotFound",
    );
}

#[tokio::test]
async fn replacing_an_api_key_changes_its_permissions_but_not_the_key() {
    // Arrange
    let auth = server().await;
    let created = create(
        &auth,
        "/apikeys",
        json!({"name": "ci", "permissions": ["Users:Manage"]}),
    )
    .await;
    let (id, key) = (
        created["id"].as_str().unwrap(),
        created["key"].as_str().unwrap(),
    );

    // Act
    let (status, replaced) = admin(
        &auth,
        Method::PUT,
        &format!("/apikeys/{id}"),
        Some(json!({"name": "ci-roles", "permissions": ["Roles:Manage"]})),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{replaced}");
    assert_eq!(replaced["name"], "ci-roles");
    assert!(replaced.get("key").is_none());
    assert_error(
        &call(&auth, Caller::Key(key), Method::GET, "/users", None).await,
        403,
        "Forbidden",
    );
    assert_eq!(
        call(&auth, Caller::Key(key), Method::GET, "/roles", None)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn a_bad_api_key_lists_every_bad_field_and_creates_nothing() {
    // Arrange
    let auth = server().await;
    let past = json!({"expiresAt": "2020-01-01T00:00:00Z", "permissions": ["nope"]});
    let garbled = json!({"name": "x", "expiresAt": "next tuesday"});

    // Act
    let refused_past = admin(&auth, Method::POST, "/apikeys", Some(past)).await;
    let refused_garbled = admin(&auth, Method::POST, "/apikeys", Some(garbled)).await;

    // Assert
    assert_error(&refused_past, 400, "ValidationError");
    let details = &refused_past.1["details"];
    assert_eq!(details["name"], json!(["name is required"]));
    assert!(details["expiresAt"][0]
        .as_str()
        .unwrap()
        .starts_with("Must be later"));
    assert!(details["permissions"][0].as_str().unwrap().contains("nope"));
    assert_error(&refused_garbled, 400, "ValidationError");
    assert!(refused_garbled.1["details"]["expiresAt"][0]
        .as_str()
        .unwrap()
        .contains("ISO 8601"));
    assert_eq!(
        admin(&auth, Method::GET, "/apikeys", None).await,
        (200, json!([]))
    );
}
