//! Who may call the management groups: `*:Manage` granted directly, through a role, or not at all.

use super::*;

#[tokio::test]
async fn a_user_without_users_manage_is_forbidden() {
    // Arrange
    let auth = server().await;
    let token = login(&auth, "testuser", "password123").await;

    // Act
    let answer = call(&auth, Caller::Bearer(&token), Method::GET, "/users", None).await;

    // Assert
    assert_error(&answer, 403, "Forbidden");
    assert_eq!(answer.1["details"]["requiredPermission"], "Users:Manage");
}

#[tokio::test]
async fn a_user_granted_users_manage_directly_may_manage_users() {
    // Arrange
    let auth = server().await;
    let mut body = jane();
    body["permissions"] = json!(["Users:Manage"]);
    create(&auth, "/users", body).await;
    let token = login(&auth, "jane.smith", "SecurePass123!").await;
    let new_user = json!({"username": "kim", "email": "kim@example.test", "password": "kimkimkim"});

    // Act
    let listed = call(&auth, Caller::Bearer(&token), Method::GET, "/users", None).await;
    let created = call(
        &auth,
        Caller::Bearer(&token),
        Method::POST,
        "/users",
        Some(new_user),
    )
    .await;
    let roles = call(&auth, Caller::Bearer(&token), Method::GET, "/roles", None).await;

    // Assert
    assert_eq!(listed.0, 200);
    assert_eq!(created.0, 201, "{}", created.1);
    assert_error(&roles, 403, "Forbidden");
}

#[tokio::test]
async fn a_user_granted_users_manage_through_a_role_may_manage_users() {
    // Arrange
    let auth = server().await;
    create(
        &auth,
        "/roles",
        json!({"name": "UserAdmin", "permissions": ["Users:Manage"]}),
    )
    .await;
    let mut body = jane();
    body["roles"] = json!(["UserAdmin"]);
    create(&auth, "/users", body).await;
    let token = login(&auth, "jane.smith", "SecurePass123!").await;

    // Act
    let answer = call(
        &auth,
        Caller::Bearer(&token),
        Method::GET,
        "/users/testuser",
        None,
    )
    .await;

    // Assert
    assert_eq!(answer.0, 200, "{}", answer.1);
    assert_eq!(answer.1["username"], "testuser");
}

#[tokio::test]
async fn no_or_garbage_credentials_are_unauthorized_on_every_group() {
    // Arrange
    let auth = server().await;

    for path in ["/users", "/roles", "/permissions", "/apikeys"] {
        // Act
        let nobody = call(&auth, Caller::Nobody, Method::GET, path, None).await;
        let garbage = call(&auth, Caller::Bearer("not.a.jwt"), Method::GET, path, None).await;
        let bad_key = call(&auth, Caller::Key("mka_nope"), Method::GET, path, None).await;

        // Assert
        assert_error(&nobody, 401, "Unauthorized");
        assert_error(&garbage, 401, "Unauthorized");
        assert_error(&bad_key, 401, "Unauthorized");
    }
}
