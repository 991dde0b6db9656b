//! `/users…`: create, read, replace, delete, relation reads, validation and conflicts.

use super::*;

#[tokio::test]
async fn creating_a_user_answers_201_with_its_id_and_the_server_clocks_creation_time() {
    // Arrange
    let auth = server().await;
    create(&auth, "/permissions", json!({"name": "read:data"})).await;
    create(&auth, "/roles", json!({"name": "User"})).await;
    let mut body = jane();
    body["roles"] = json!(["User"]);
    body["permissions"] = json!(["read:data"]);

    // Act
    let (status, user) = admin(&auth, Method::POST, "/users", Some(body)).await;

    // Assert
    assert_eq!(status, 201, "{user}");
    assert!(user["id"].as_str().unwrap().starts_with("usr_"), "{user}");
    let expected = json!({
        "id": user["id"], "username": "jane.smith", "email": "jane@example.test",
        "firstName": "Jane", "lastName": "Smith", "roles": ["User"],
        "permissions": ["read:data"], "createdAt": START_ISO,
    });
    assert_eq!(user, expected);
}

#[tokio::test]
async fn users_are_listed_and_read_by_id_or_username_and_no_answer_carries_a_password() {
    // Arrange
    let auth = server().await;
    let created = create(&auth, "/users", jane()).await;
    let id = created["id"].as_str().unwrap();

    // Act
    let (list_status, list) = admin(&auth, Method::GET, "/users", None).await;
    let by_id = admin(&auth, Method::GET, &format!("/users/{id}"), None).await;
    let by_name = admin(&auth, Method::GET, "/users/jane.smith", None).await;

    // Assert
    assert_eq!(list_status, 200);
    assert_eq!(names(&list, "username"), ["jane.smith", "testuser"]);
    assert_eq!(by_id, (200, created.clone()));
    assert_eq!(by_name, (200, created.clone()));
    let recorded = auth
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(recorded.param("password"), Some("[redacted]"));
    for answer in [&created, &list, &by_id.1] {
        let text = answer.to_string();
        assert!(
            !text.contains("SecurePass123!") && !text.contains("argon2"),
            "{text}"
        );
        assert!(!text.to_ascii_lowercase().contains("password\""), "{text}");
    }
}

#[tokio::test]
async fn a_bad_user_lists_every_bad_field_at_once_and_creates_nothing() {
    // Arrange
    let auth = server().await;
    let body = json!({
        "username": "", "email": "not-an-email", "password": "short",
        "roles": ["Ghost"], "permissions": ["ghost:read"], "nickname": "J",
    });

    // Act
    let answer = admin(&auth, Method::POST, "/users", Some(body)).await;

    // Assert
    assert_error(&answer, 400, "ValidationError");
    let details = &answer.1["details"];
    assert_eq!(details["email"], json!(["Invalid email format"]));
    assert_eq!(
        details["password"],
        json!(["Password must be at least 8 characters"])
    );
    assert_eq!(details["username"], json!(["username must not be empty"]));
    assert!(
        details["roles"][0]
            .as_str()
            .unwrap()
            .contains(r#"["Ghost"]"#),
        "{details}"
    );
    assert!(details["permissions"][0]
        .as_str()
        .unwrap()
        .contains(r#"["ghost:read"]"#));
    assert!(details["nickname"][0]
        .as_str()
        .unwrap()
        .starts_with("Unknown field"));
    assert_eq!(
        answer.1["message"],
        "Invalid user data: email, nickname, password, permissions, roles, username"
    );
    let (_, list) = admin(&auth, Method::GET, "/users", None).await;
    assert_eq!(names(&list, "username"), ["testuser"]);
}

#[tokio::test]
async fn missing_required_user_fields_and_wrong_types_are_each_named() {
    // Arrange
    let auth = server().await;
    let body = json!({"firstName": 7, "roles": "admin"});

    // Act
    let answer = admin(&auth, Method::POST, "/users", Some(body)).await;

    // Assert
    assert_error(&answer, 400, "ValidationError");
    let details = &answer.1["details"];
    assert_eq!(details["username"], json!(["username is required"]));
    assert_eq!(details["email"], json!(["email is required"]));
    assert_eq!(details["password"], json!(["password is required"]));
    assert_eq!(details["firstName"], json!(["firstName must be a string"]));
    assert_eq!(details["roles"], json!(["roles must be an array of names"]));
}

#[tokio::test]
async fn a_taken_username_or_email_is_a_conflict_and_creates_nothing() {
    // Arrange
    let auth = server().await;
    create(&auth, "/users", jane()).await;
    let mut same_email = jane();
    same_email["username"] = json!("jane2");
    same_email["email"] = json!("JANE@example.test");

    // Act
    let same_name = admin(&auth, Method::POST, "/users", Some(jane())).await;
    let same_mail = admin(&auth, Method::POST, "/users", Some(same_email)).await;

    // Assert
    assert_error(&same_name, 409, "Conflict");
    assert!(
        same_name.1["details"]["username"].is_array(),
        "{}",
        same_name.1
    );
    assert_error(&same_mail, 409, "Conflict");
    assert!(
        same_mail.1["details"]["email"].is_array(),
        "{}",
        same_mail.1
    );
    assert!(same_mail.1["details"].get("username").is_none());
    let (_, list) = admin(&auth, Method::GET, "/users", None).await;
    assert_eq!(names(&list, "username"), ["jane.smith", "testuser"]);
}

#[tokio::test]
async fn put_replaces_the_whole_user_and_keeps_the_password_when_none_is_given() {
    // Arrange
    let auth = server().await;
    let id = create(&auth, "/users", jane()).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let replacement =
        json!({"username": "jane.doe", "email": "doe@example.test", "lastName": "Doe"});

    // Act
    let (status, user) = admin(
        &auth,
        Method::PUT,
        &format!("/users/{id}"),
        Some(replacement),
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{user}");
    let expected = json!({
        "id": id, "username": "jane.doe", "email": "doe@example.test", "firstName": null,
        "lastName": "Doe", "roles": [], "permissions": [], "createdAt": START_ISO,
    });
    assert_eq!(user, expected);
    login(&auth, "jane.doe", "SecurePass123!").await;
}

#[tokio::test]
async fn put_with_a_password_changes_it() {
    // Arrange
    let auth = server().await;
    let id = create(&auth, "/users", jane()).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut replacement = jane();
    replacement["password"] = json!("AnotherPass456!");

    // Act
    let (status, _) = admin(
        &auth,
        Method::PUT,
        &format!("/users/{id}"),
        Some(replacement),
    )
    .await;

    // Assert
    assert_eq!(status, 200);
    let old = call(
        &auth,
        Caller::Nobody,
        Method::POST,
        "/auth/login",
        Some(json!({"username": "jane.smith", "password": "SecurePass123!"})),
    )
    .await;
    assert_error(&old, 401, "InvalidCredentials");
    login(&auth, "jane.smith", "AnotherPass456!").await;
}

#[tokio::test]
async fn a_failed_user_update_changes_nothing() {
    // Arrange
    let auth = server().await;
    let created = create(&auth, "/users", jane()).await;
    let path = format!("/users/{}", created["id"].as_str().unwrap());
    let without_email = json!({"username": "renamed", "firstName": "X", "password": "pw"});

    // Act
    let refused = admin(&auth, Method::PUT, &path, Some(without_email)).await;

    // Assert
    assert_error(&refused, 400, "ValidationError");
    assert_eq!(refused.1["details"]["email"], json!(["email is required"]));
    assert_eq!(
        refused.1["details"]["password"],
        json!(["Password must be at least 8 characters"])
    );
    assert_eq!(admin(&auth, Method::GET, &path, None).await, (200, created));
    login(&auth, "jane.smith", "SecurePass123!").await;
}

#[tokio::test]
async fn deleting_a_user_answers_204_and_then_404() {
    // Arrange
    let auth = server().await;
    let id = create(&auth, "/users", jane()).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/users/{id}");

    // Act
    let deleted = admin(&auth, Method::DELETE, &path, None).await;

    // Assert
    assert_eq!(deleted, (204, Value::Null));
    assert_error(
        &admin(&auth, Method::GET, &path, None).await,
        404,
        "NotFound",
    );
    assert_error(
        &admin(&auth, Method::DELETE, &path, None).await,
        404,
        "NotFound",
    );
    let (status, _) = token_request(
        &auth,
        &[
            ("grant_type", "password"),
            ("username", "jane.smith"),
            ("password", "SecurePass123!"),
        ],
    )
    .await;
    assert_eq!(status, 400, "a deleted user no longer logs in");
}

#[tokio::test]
async fn the_default_user_cannot_be_deleted() {
    // Arrange
    let auth = server().await;

    // Act
    let answer = admin(&auth, Method::DELETE, "/users/testuser", None).await;

    // Assert
    assert_error(&answer, 409, "Conflict");
    assert!(answer.1["message"]
        .as_str()
        .unwrap()
        .contains("default user"));
    assert_eq!(
        admin(&auth, Method::GET, "/users/testuser", None).await.0,
        200
    );
}

#[tokio::test]
async fn a_user_created_over_the_api_logs_in_through_the_oidc_password_grant() {
    // Arrange
    let auth = server().await;
    create(&auth, "/users", jane()).await;

    // Act
    let (status, tokens) = token_request(
        &auth,
        &[
            ("grant_type", "password"),
            ("username", "jane.smith"),
            ("password", "SecurePass123!"),
            ("scope", "openid email"),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 200, "{tokens}");
    let claims = common::jwt_payload(tokens["id_token"].as_str().unwrap());
    assert_eq!(claims["email"], "jane@example.test");
}

#[tokio::test]
async fn a_users_roles_and_effective_permissions_are_its_own_plus_its_roles() {
    // Arrange
    let auth = server().await;
    create(
        &auth,
        "/permissions",
        json!({"name": "content:read", "category": "Content"}),
    )
    .await;
    create(&auth, "/permissions", json!({"name": "content:write"})).await;
    create(&auth, "/permissions", json!({"name": "billing:read"})).await;
    create(
        &auth,
        "/roles",
        json!({"name": "Reader", "permissions": ["content:read"]}),
    )
    .await;
    create(
        &auth,
        "/roles",
        json!({"name": "Writer", "permissions": ["content:read", "content:write"]}),
    )
    .await;
    let mut body = jane();
    body["roles"] = json!(["Reader", "Writer"]);
    body["permissions"] = json!(["billing:read"]);
    let id = create(&auth, "/users", body).await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Act
    let (roles_status, roles) =
        admin(&auth, Method::GET, &format!("/users/{id}/roles"), None).await;
    let (perms_status, permissions) = admin(
        &auth,
        Method::GET,
        &format!("/users/{id}/permissions"),
        None,
    )
    .await;

    // Assert
    assert_eq!((roles_status, perms_status), (200, 200));
    assert_eq!(names(&roles, "name"), ["Reader", "Writer"]);
    assert_eq!(roles[0]["permissions"], json!(["content:read"]));
    assert_eq!(
        names(&permissions, "name"),
        ["billing:read", "content:read", "content:write"]
    );
    assert_eq!(permissions[1]["category"], "Content");
}

#[tokio::test]
async fn fixture_users_roles_are_roles_of_the_face_and_the_user_round_trips_through_put() {
    // Arrange
    let auth = server().await;
    auth.user("alice").roles(["admin", "user"]).create();
    let (_, alice) = admin(&auth, Method::GET, "/users/alice", None).await;

    // Act
    let (put_status, replaced) =
        admin(&auth, Method::PUT, "/users/alice", Some(alice.clone())).await;
    let (_, roles) = admin(&auth, Method::GET, "/roles", None).await;
    let (_, alice_roles) = admin(&auth, Method::GET, "/users/alice/roles", None).await;

    // Assert
    assert_eq!((put_status, &replaced), (200, &alice));
    assert_eq!(alice["roles"], json!(["admin", "user"]));
    assert_eq!(alice["createdAt"], START_ISO);
    // testuser's "user" was recorded when the server started, alice's "admin" after it.
    assert_eq!(names(&roles, "name"), ["user", "admin"]);
    assert_eq!(names(&alice_roles, "name"), ["admin", "user"]);
}
