//! `/permissions…`: the built-ins, create, read, rename and delete with their cascades.

use super::*;

#[tokio::test]
async fn the_four_manage_permissions_exist_from_the_start() {
    // Arrange
    let auth = server().await;

    // Act
    let (status, list) = admin(&auth, Method::GET, "/permissions", None).await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(
        names(&list, "name"),
        [
            "Users:Manage",
            "Roles:Manage",
            "Permissions:Manage",
            "ApiKeys:Manage"
        ]
    );
    assert_eq!(list[0]["category"], "Identity");
    assert_eq!(list[0]["createdAt"], START_ISO);
}

#[tokio::test]
async fn permissions_are_created_read_by_id_or_name_and_replaced() {
    // Arrange
    let auth = server().await;
    let body =
        json!({"name": "content:write", "description": "Can write content", "category": "Content"});

    // Act
    let (status, permission) = admin(&auth, Method::POST, "/permissions", Some(body)).await;
    let id = permission["id"].as_str().unwrap().to_owned();
    let by_name = admin(&auth, Method::GET, "/permissions/content:write", None).await;
    let by_id = admin(&auth, Method::GET, &format!("/permissions/{id}"), None).await;
    let (put_status, replaced) = admin(
        &auth,
        Method::PUT,
        &format!("/permissions/{id}"),
        Some(json!({"name": "content:write"})),
    )
    .await;

    // Assert
    assert_eq!(status, 201, "{permission}");
    let expected = json!({
        "id": id, "name": "content:write", "description": "Can write content",
        "category": "Content", "createdAt": START_ISO,
    });
    assert_eq!(permission, expected);
    assert_eq!(by_name, (200, expected.clone()));
    assert_eq!(by_id, (200, expected));
    assert_eq!(put_status, 200);
    assert_eq!(
        (&replaced["description"], &replaced["category"]),
        (&Value::Null, &Value::Null)
    );
}

#[tokio::test]
async fn renaming_a_permission_follows_through_to_roles_users_and_api_keys() {
    // Arrange
    let auth = server().await;
    create(&auth, "/permissions", json!({"name": "docs:read"})).await;
    create(
        &auth,
        "/roles",
        json!({"name": "Reader", "permissions": ["docs:read"]}),
    )
    .await;
    let mut body = jane();
    body["permissions"] = json!(["docs:read"]);
    create(&auth, "/users", body).await;
    let key = create(
        &auth,
        "/apikeys",
        json!({"name": "ci", "permissions": ["docs:read"]}),
    )
    .await;
    let key_path = format!("/apikeys/{}", key["id"].as_str().unwrap());

    // Act
    let (status, _) = admin(
        &auth,
        Method::PUT,
        "/permissions/docs:read",
        Some(json!({"name": "documents:read"})),
    )
    .await;

    // Assert
    assert_eq!(status, 200);
    let (_, role) = admin(&auth, Method::GET, "/roles/Reader", None).await;
    let (_, jane) = admin(&auth, Method::GET, "/users/jane.smith", None).await;
    let (_, key) = admin(&auth, Method::GET, &key_path, None).await;
    for holder in [&role, &jane, &key] {
        assert_eq!(holder["permissions"], json!(["documents:read"]), "{holder}");
    }
}

#[tokio::test]
async fn deleting_a_permission_takes_it_from_roles_users_and_api_keys() {
    // Arrange
    let auth = server().await;
    create(&auth, "/permissions", json!({"name": "docs:read"})).await;
    create(
        &auth,
        "/roles",
        json!({"name": "Reader", "permissions": ["docs:read", "Users:Manage"]}),
    )
    .await;
    let mut body = jane();
    body["permissions"] = json!(["docs:read"]);
    create(&auth, "/users", body).await;
    let key = create(
        &auth,
        "/apikeys",
        json!({"name": "ci", "permissions": ["docs:read"]}),
    )
    .await;
    let key_path = format!("/apikeys/{}", key["id"].as_str().unwrap());

    // Act
    let deleted = admin(&auth, Method::DELETE, "/permissions/docs:read", None).await;

    // Assert
    assert_eq!(deleted, (204, Value::Null));
    let (_, role) = admin(&auth, Method::GET, "/roles/Reader", None).await;
    assert_eq!(role["permissions"], json!(["Users:Manage"]));
    let (_, jane) = admin(&auth, Method::GET, "/users/jane.smith", None).await;
    assert_eq!(jane["permissions"], json!([]));
    let (_, key) = admin(&auth, Method::GET, &key_path, None).await;
    assert_eq!(key["permissions"], json!([]));
    let gone = admin(&auth, Method::GET, "/permissions/docs:read", None).await;
    assert_error(&gone, 404, "NotFound");
}

#[tokio::test]
async fn the_manage_permissions_cannot_be_deleted_or_renamed_but_can_be_described() {
    // Arrange
    let auth = server().await;

    // Act
    let delete = admin(&auth, Method::DELETE, "/permissions/Users:Manage", None).await;
    let rename = admin(
        &auth,
        Method::PUT,
        "/permissions/Users:Manage",
        Some(json!({"name": "Users:All"})),
    )
    .await;
    let describe = admin(
        &auth,
        Method::PUT,
        "/permissions/Users:Manage",
        Some(json!({"name": "Users:Manage", "description": "People admin"})),
    )
    .await;

    // Assert
    assert_error(&delete, 409, "Conflict");
    assert_error(&rename, 409, "Conflict");
    assert_eq!(describe.0, 200, "{}", describe.1);
    assert_eq!(describe.1["description"], "People admin");
}

#[tokio::test]
async fn a_bad_or_taken_permission_is_refused_and_creates_nothing() {
    // Arrange
    let auth = server().await;

    // Act
    let bad = admin(
        &auth,
        Method::POST,
        "/permissions",
        Some(json!({"name": "a/b", "description": ["x"], "category": 3})),
    )
    .await;
    let taken = admin(
        &auth,
        Method::POST,
        "/permissions",
        Some(json!({"name": "Roles:Manage"})),
    )
    .await;

    // Assert
    assert_error(&bad, 400, "ValidationError");
    let details = &bad.1["details"];
    assert!(
        details["name"][0].as_str().unwrap().contains("'/'"),
        "{details}"
    );
    assert_eq!(
        details["description"],
        json!(["description must be a string"])
    );
    assert_eq!(details["category"], json!(["category must be a string"]));
    assert_error(&taken, 409, "Conflict");
    let (_, list) = admin(&auth, Method::GET, "/permissions", None).await;
    assert_eq!(list.as_array().unwrap().len(), 4);
}
