//! `/roles…`: create, read, rename and delete with their cascades to users.

use super::*;

#[tokio::test]
async fn roles_are_created_listed_and_read_by_id_or_name() {
    // Arrange
    let auth = server().await;
    create(&auth, "/permissions", json!({"name": "content:read"})).await;
    create(&auth, "/permissions", json!({"name": "content:write"})).await;
    let body = json!({
        "name": "Content Editor", "description": "Content editor role",
        "permissions": ["content:read", "content:write"],
    });

    // Act
    let (status, role) = admin(&auth, Method::POST, "/roles", Some(body)).await;
    let id = role["id"].as_str().unwrap();
    let by_id = admin(&auth, Method::GET, &format!("/roles/{id}"), None).await;
    let by_name = admin(&auth, Method::GET, "/roles/Content%20Editor", None).await;
    let (_, list) = admin(&auth, Method::GET, "/roles", None).await;

    // Assert
    assert_eq!(status, 201, "{role}");
    assert!(id.starts_with("role_"), "{role}");
    let expected = json!({
        "id": id, "name": "Content Editor", "description": "Content editor role",
        "permissions": ["content:read", "content:write"], "createdAt": START_ISO,
    });
    assert_eq!(role, expected);
    assert_eq!(by_id, (200, expected.clone()));
    assert_eq!(by_name, (200, expected.clone()));
    assert_eq!(names(&list, "name"), ["user", "Content Editor"]);
}

#[tokio::test]
async fn a_roles_permissions_and_users_are_read_through_the_role() {
    // Arrange
    let auth = server().await;
    create(&auth, "/permissions", json!({"name": "content:read"})).await;
    create(
        &auth,
        "/roles",
        json!({"name": "Reader", "permissions": ["content:read"]}),
    )
    .await;
    let mut body = jane();
    body["roles"] = json!(["Reader"]);
    create(&auth, "/users", body).await;
    auth.user("bob").roles(["Reader"]).create();

    // Act
    let (p_status, permissions) =
        admin(&auth, Method::GET, "/roles/Reader/permissions", None).await;
    let (u_status, users) = admin(&auth, Method::GET, "/roles/Reader/users", None).await;

    // Assert
    assert_eq!((p_status, u_status), (200, 200));
    assert_eq!(names(&permissions, "name"), ["content:read"]);
    assert_eq!(names(&users, "username"), ["bob", "jane.smith"]);
    assert!(!users.to_string().contains("argon2"));
}

#[tokio::test]
async fn renaming_a_role_follows_through_to_its_users() {
    // Arrange
    let auth = server().await;
    create(&auth, "/roles", json!({"name": "Editor"})).await;
    let mut body = jane();
    body["roles"] = json!(["Editor"]);
    create(&auth, "/users", body).await;

    // Act
    let (status, role) = admin(
        &auth,
        Method::PUT,
        "/roles/Editor",
        Some(json!({"name": "Author", "description": "Writes"})),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{role}");
    assert_eq!(
        (role["name"].clone(), role["permissions"].clone()),
        (json!("Author"), json!([]))
    );
    let (_, jane) = admin(&auth, Method::GET, "/users/jane.smith", None).await;
    assert_eq!(jane["roles"], json!(["Author"]));
    assert_error(
        &admin(&auth, Method::GET, "/roles/Editor", None).await,
        404,
        "NotFound",
    );
}

#[tokio::test]
async fn deleting_a_role_takes_it_and_its_permissions_from_every_user() {
    // Arrange
    let auth = server().await;
    create(
        &auth,
        "/roles",
        json!({"name": "Managers", "permissions": ["Users:Manage"]}),
    )
    .await;
    let mut body = jane();
    body["roles"] = json!(["Managers"]);
    create(&auth, "/users", body).await;
    let token = login(&auth, "jane.smith", "SecurePass123!").await;
    assert_eq!(
        call(&auth, Caller::Bearer(&token), Method::GET, "/users", None)
            .await
            .0,
        200
    );

    // Act
    let deleted = admin(&auth, Method::DELETE, "/roles/Managers", None).await;

    // Assert
    assert_eq!(deleted, (204, Value::Null));
    let (_, jane) = admin(&auth, Method::GET, "/users/jane.smith", None).await;
    assert_eq!(jane["roles"], json!([]));
    let (_, effective) = admin(&auth, Method::GET, "/users/jane.smith/permissions", None).await;
    assert_eq!(effective, json!([]));
    let forbidden = call(&auth, Caller::Bearer(&token), Method::GET, "/users", None).await;
    assert_error(&forbidden, 403, "Forbidden");
    assert_error(
        &admin(&auth, Method::DELETE, "/roles/Managers", None).await,
        404,
        "NotFound",
    );
}

#[tokio::test]
async fn a_failed_role_update_changes_nothing() {
    // Arrange
    let auth = server().await;
    let editor = create(
        &auth,
        "/roles",
        json!({"name": "Editor", "description": "Edits"}),
    )
    .await;
    create(&auth, "/roles", json!({"name": "Viewer"})).await;

    // Act
    let unknown_permission = admin(
        &auth,
        Method::PUT,
        "/roles/Editor",
        Some(json!({"name": "Editor2", "permissions": ["content:nope"]})),
    )
    .await;
    let taken_name = admin(
        &auth,
        Method::PUT,
        "/roles/Editor",
        Some(json!({"name": "Viewer"})),
    )
    .await;
    let no_name = admin(
        &auth,
        Method::PUT,
        "/roles/Editor",
        Some(json!({"description": "x"})),
    )
    .await;

    // Assert
    assert_error(&unknown_permission, 400, "ValidationError");
    assert!(unknown_permission.1["details"]["permissions"][0]
        .as_str()
        .unwrap()
        .contains("content:nope"));
    assert_error(&taken_name, 409, "Conflict");
    assert_error(&no_name, 400, "ValidationError");
    assert_eq!(no_name.1["details"]["name"], json!(["name is required"]));
    assert_eq!(
        admin(&auth, Method::GET, "/roles/Editor", None).await,
        (200, editor)
    );
}

#[tokio::test]
async fn a_taken_role_name_is_a_conflict() {
    // Arrange
    let auth = server().await;
    create(&auth, "/roles", json!({"name": "Editor"})).await;

    // Act
    let answer = admin(
        &auth,
        Method::POST,
        "/roles",
        Some(json!({"name": "Editor"})),
    )
    .await;

    // Assert
    assert_error(&answer, 409, "Conflict");
    assert!(answer.1["details"]["name"].is_array());
    let (_, list) = admin(&auth, Method::GET, "/roles", None).await;
    assert_eq!(names(&list, "name"), ["user", "Editor"]);
}
