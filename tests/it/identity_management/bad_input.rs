//! Bad input in the face's own shape: malformed JSON, media types, unknown ids and methods, big bodies, limits, tenants.

use super::*;

#[tokio::test]
async fn malformed_json_and_non_objects_are_validation_errors_in_the_faces_shape() {
    // Arrange
    let auth = server().await;
    let send = |body: &'static str| {
        http()
            .post(format!("{}/roles", auth.issuer()))
            .bearer_auth(auth.admin_token())
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    // Act
    let malformed = common::status_json(send("{\"name\": ").await.unwrap()).await;
    let array = common::status_json(send("[1, 2]").await.unwrap()).await;

    // Assert
    assert_error(&malformed, 400, "ValidationError");
    assert!(malformed.1["details"]["body"].is_array());
    assert_error(&array, 400, "ValidationError");
    let (_, roles) = admin(&auth, Method::GET, "/roles", None).await;
    assert_eq!(
        names(&roles, "name"),
        ["user"],
        "only testuser's role, nothing created"
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    // Arrange
    let auth = server().await;

    // Act
    let response = http()
        .post(format!("{}/users", auth.issuer()))
        .bearer_auth(auth.admin_token())
        .form(&[("username", "kim")])
        .send()
        .await
        .unwrap();
    let answer = common::status_json(response).await;

    // Assert
    assert_error(&answer, 415, "UnsupportedMediaType");
}

#[tokio::test]
async fn unknown_ids_are_404_in_the_faces_shape_on_every_path() {
    // Arrange
    let auth = server().await;
    let paths = [
        (Method::GET, "/users/usr_nope"),
        (Method::PUT, "/users/usr_nope"),
        (Method::DELETE, "/users/usr_nope"),
        (Method::GET, "/users/usr_nope/roles"),
        (Method::GET, "/users/usr_nope/permissions"),
        (Method::GET, "/roles/nope"),
        (Method::PUT, "/roles/nope"),
        (Method::DELETE, "/roles/nope"),
        (Method::GET, "/roles/nope/permissions"),
        (Method::GET, "/roles/nope/users"),
        (Method::GET, "/permissions/nope"),
        (Method::PUT, "/permissions/nope"),
        (Method::DELETE, "/permissions/nope"),
        (Method::GET, "/apikeys/key_nope"),
        (Method::PUT, "/apikeys/key_nope"),
        (Method::DELETE, "/apikeys/key_nope"),
    ];

    for (method, path) in paths {
        // Act
        let answer = admin(&auth, method.clone(), path, Some(json!({"name": "x"}))).await;

        // Assert
        assert_error(&answer, 404, "NotFound");
        assert!(
            answer.1["message"].as_str().unwrap().contains("nope"),
            "{method} {path}"
        );
    }
}

#[tokio::test]
async fn a_wrong_method_is_405_with_the_allowed_ones() {
    // Arrange
    let auth = server().await;

    // Act
    let on_list = http()
        .delete(format!("{}/users", auth.issuer()))
        .bearer_auth(auth.admin_token())
        .send()
        .await
        .unwrap();
    let allow = on_list.headers()["allow"].to_str().unwrap().to_owned();
    let answer = common::status_json(on_list).await;
    let on_relation = admin(&auth, Method::POST, "/roles/user/users", None).await;

    // Assert
    assert_error(&answer, 405, "MethodNotAllowed");
    assert_eq!(allow, "GET, POST");
    assert_error(&on_relation, 405, "MethodNotAllowed");
}

#[tokio::test]
async fn management_answers_carry_the_security_headers() {
    // Arrange
    let auth = server().await;

    // Act
    let response = http()
        .get(format!("{}/permissions", auth.issuer()))
        .bearer_auth(auth.admin_token())
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-xss-protection"], "1; mode=block");
    assert_eq!(headers["strict-transport-security"], "max-age=31536000");
}

#[tokio::test]
async fn management_reads_and_writes_are_rate_limited_apart() {
    // Arrange
    let auth = MockAuth::builder()
        .face(
            Face::identity()
                .rate_limits(IdentityRateLimits::default().management(1, Duration::from_secs(60))),
        )
        .start()
        .await;
    create(&auth, "/roles", json!({"name": "A"})).await;

    // Act
    let second_write = admin(&auth, Method::POST, "/roles", Some(json!({"name": "B"}))).await;
    let read = admin(&auth, Method::GET, "/roles", None).await;

    // Assert
    assert_error(&second_write, 429, "RateLimitExceeded");
    assert_eq!(read.0, 200);
    assert_eq!(names(&read.1, "name"), ["user", "A"]);
}

#[tokio::test]
async fn each_tenant_has_its_own_roles_and_users_below_its_base_path() {
    // Arrange
    let auth = MockAuth::builder()
        .face(
            Face::identity()
                .at("/identity")
                .rate_limits(IdentityRateLimits::off()),
        )
        .tenant("acme", |t| t.issuer_path("/realms/acme"))
        .start()
        .await;
    let acme = |path: &str| format!("/realms/acme/identity{path}");
    create(&auth, &acme("/roles"), json!({"name": "AcmeOnly"})).await;

    // Act
    let (_, acme_roles) = admin(&auth, Method::GET, &acme("/roles"), None).await;
    let (_, default_roles) = admin(&auth, Method::GET, "/identity/roles", None).await;
    let mut body = jane();
    body["roles"] = json!(["AcmeOnly"]);
    let refused = admin(&auth, Method::POST, "/identity/users", Some(body.clone())).await;
    let accepted = admin(&auth, Method::POST, &acme("/users"), Some(body)).await;

    // Assert
    assert_eq!(names(&acme_roles, "name"), ["user", "AcmeOnly"]);
    assert_eq!(names(&default_roles, "name"), ["user"]);
    assert_error(&refused, 400, "ValidationError");
    assert_eq!(accepted.0, 201, "{}", accepted.1);
    let acme = auth.tenant("acme");
    let client = acme.default_client();
    let login = http()
        .post(acme.token_url())
        .basic_auth(client.client_id(), client.client_secret())
        .form(&[
            ("grant_type", "password"),
            ("username", "jane.smith"),
            ("password", "SecurePass123!"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        login.status(),
        200,
        "the user logs in through the tenant's OIDC face"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_in_the_faces_shape_and_creates_nothing() {
    // Arrange
    let auth = server().await;
    let mut body = jane();
    body["firstName"] = json!("x".repeat(100 * 1024));

    // Act
    let answer = admin(&auth, Method::POST, "/users", Some(body)).await;

    // Assert
    assert_error(&answer, 413, "PayloadTooLarge");
    let (_, list) = admin(&auth, Method::GET, "/users", None).await;
    assert_eq!(names(&list, "username"), ["testuser"]);
}
