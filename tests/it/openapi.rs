//! The OpenAPI document (docs/openapi.json) served at `/openapi.json`: the same document as
//! the repository's, OpenAPI 3.1, and in step with what the server answers in both
//! directions. Every documented operation is answered (no 404, no 405) by a server with the
//! layout the document describes; every path takes exactly the documented methods (a
//! method it does not document is 405 with an `Allow` naming the documented ones); every
//! endpoint the router knows (`Endpoint::ALL`) is reached by a documented operation; the
//! admin, identity and service paths the server lists in its 404 answers are documented; and
//! a segment below a documented path is 404. The OIDC and admin route tables are compared
//! with the document inside the crate (`server::router`'s unit tests).

use std::collections::{BTreeMap, BTreeSet};

use mockauth::{Endpoint, Face, IdentityRateLimits, MockAuth};
use serde_json::Value;

use crate::common;

/// The repository's document, as the test binary was built.
const FILE: &str = include_str!("../../docs/openapi.json");

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// A server with the layout the document describes: identity at `/id`, service at `/svc`,
/// apps at `/apps`.
async fn documented_layout() -> MockAuth {
    MockAuth::builder()
        .face(
            Face::identity()
                .at("/id")
                .rate_limits(IdentityRateLimits::off()),
        )
        .face(Face::service().at("/svc"))
        .face(Face::apps().at("/apps"))
        .start()
        .await
}

fn origin(auth: &MockAuth) -> String {
    format!("http://{}", auth.address())
}

fn document() -> Value {
    serde_json::from_str(FILE).expect("docs/openapi.json is JSON")
}

/// Every documented (path, methods) pair, methods upper-case.
fn documented(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(path, item)| {
            let methods = METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(|m| m.to_ascii_uppercase())
                .collect();
            (path.clone(), methods)
        })
        .collect()
}

/// Credentials and ids for the walk: the admin token, an application's secret, an access
/// token of `testuser`, an API key's id.
struct Fixtures {
    admin: String,
    app_secret: String,
    access_token: String,
    api_key_id: String,
}

async fn fixtures(auth: &MockAuth) -> Fixtures {
    let app = auth.application("openapi-walk").create();
    let tokens = common::password_login(auth, "openid profile email").await;
    let key = common::http()
        .post(format!("{}/id/apikeys", origin(auth)))
        .bearer_auth(auth.admin_token())
        .json(&serde_json::json!({ "name": "walk" }))
        .send()
        .await
        .unwrap();
    let (status, key) = common::status_json(key).await;
    assert_eq!(status, 201, "{key}");
    Fixtures {
        admin: auth.admin_token().to_owned(),
        app_secret: app.secret().to_owned(),
        access_token: tokens["access_token"].as_str().unwrap().to_owned(),
        api_key_id: key["id"].as_str().unwrap().to_owned(),
    }
}

/// `path` with `{id}` filled by a record that exists.
fn concrete(path: &str, fixtures: &Fixtures) -> String {
    let id = if path.starts_with("/id/users/") {
        "testuser"
    } else if path.starts_with("/id/roles/") {
        "user"
    } else if path.starts_with("/id/permissions/") {
        "perm_1"
    } else {
        &fixtures.api_key_id
    };
    path.replace("{id}", id).replace("{app_id}", "openapi-walk")
}

/// A request for `method path` with the credentials the operation's `security` names (the
/// first alternative) and an empty body of its media type.
fn request(
    auth: &MockAuth,
    fixtures: &Fixtures,
    method: &str,
    path: &str,
    operation: Option<&Value>,
) -> reqwest::RequestBuilder {
    let url = format!("{}{}", origin(auth), concrete(path, fixtures));
    let mut builder = common::http().request(method.parse().unwrap(), url);
    let scheme = operation
        .and_then(|op| op["security"].as_array())
        .and_then(|alternatives| alternatives.first())
        .and_then(|first| first.as_object())
        .and_then(|first| first.keys().next().cloned());
    let client = auth.default_client();
    builder = match scheme.as_deref() {
        None => builder.bearer_auth(&fixtures.admin),
        Some("adminToken" | "identityBearer") => builder.bearer_auth(&fixtures.admin),
        Some("identityApiKey") => builder.bearer_auth(&fixtures.admin),
        Some("applicationSecret") => builder.header("x-application-secret", &fixtures.app_secret),
        Some("clientBasic") => builder.basic_auth(client.client_id(), client.client_secret()),
        Some("accessToken") => builder.bearer_auth(&fixtures.access_token),
        Some("clientSecretKey") => builder.header("x-api-key", client.client_secret().unwrap()),
        Some("userBasic") => builder.basic_auth("testuser", Some("password123")),
        Some("appsBearer") => builder.bearer_auth(&fixtures.admin),
        Some(other) => panic!("a security scheme this test does not know: {other}"),
    };
    let media = operation
        .and_then(|op| op["requestBody"]["content"].as_object())
        .and_then(|content| content.keys().next().cloned());
    match media.as_deref() {
        Some("application/json") => builder
            .header("content-type", "application/json")
            .body("{}"),
        Some("application/x-www-form-urlencoded") => builder
            .header("content-type", "application/x-www-form-urlencoded")
            .body(""),
        _ => builder,
    }
}

#[tokio::test]
async fn the_served_document_is_the_repositorys_openapi_3_1_document() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let response = common::http()
        .get(format!("{}/openapi.json", origin(&auth)))
        .send()
        .await
        .unwrap();
    let content_type = response.headers()["content-type"].clone();
    let (status, served) = common::status_json(response).await;
    let head = common::http()
        .head(format!("{}/openapi.json", origin(&auth)))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/json");
    assert_eq!(
        served,
        document(),
        "the served document is docs/openapi.json"
    );
    let version = served["openapi"].as_str().unwrap();
    assert!(version.starts_with("3.1."), "OpenAPI {version}");
    assert!(served["info"]["title"].is_string());
    assert!(served["paths"].as_object().is_some_and(|p| !p.is_empty()));
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn the_document_is_served_at_the_origin_without_credentials_whatever_the_issuer_path() {
    // Arrange: the default tenant below a path, and the identity face without a prefix
    // (which answers every unknown path of its tenant).
    let auth = MockAuth::builder()
        .issuer_path("/realms/acme")
        .face(Face::identity())
        .start()
        .await;

    // Act
    let root = common::http()
        .get(format!("{}/openapi.json/", origin(&auth)))
        .send()
        .await
        .unwrap();
    let (status, served) = common::status_json(root).await;
    let posted = common::http()
        .post(format!("{}/openapi.json", origin(&auth)))
        .send()
        .await
        .unwrap();
    let allow = posted.headers().get("allow").cloned();
    let (posted_status, posted_body) = common::status_json(posted).await;
    let journal = auth.requests();

    // Assert
    assert_eq!(status, 200);
    assert_eq!(served, document());
    assert_eq!(posted_status, 405, "{posted_body}");
    assert_eq!(posted_body["error"], "invalid_request");
    assert_eq!(allow.unwrap(), "GET");
    assert!(
        journal.is_empty(),
        "the document, like the admin API, is not recorded: {journal:?}"
    );
}

#[tokio::test]
async fn every_documented_operation_is_answered_and_every_endpoint_is_documented() {
    // Arrange
    let auth = documented_layout().await;
    let fixtures = fixtures(&auth).await;
    let doc = document();
    let mut operations: Vec<(String, String)> = documented(&doc)
        .into_iter()
        .flat_map(|(path, methods)| methods.into_iter().map(move |m| (m, path.clone())))
        .collect();
    // Deletes last: they remove the records the other calls name.
    operations.sort_by_key(|(method, _)| method == "DELETE");

    // Act
    let mut answers = Vec::new();
    for (method, path) in &operations {
        let operation = &doc["paths"][path][method.to_ascii_lowercase()];
        let response = request(&auth, &fixtures, method, path, Some(operation))
            .send()
            .await
            .unwrap();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        answers.push((method, path, status, content_type, body));
    }
    let journal = auth.requests();

    // Assert
    for (method, path, status, content_type, body) in &answers {
        assert!(
            ![404, 405].contains(status) && *status < 500,
            "{method} {path}: {status} {body}"
        );
        let documented = doc["paths"][path.as_str()][method.to_ascii_lowercase()]["responses"]
            .as_object()
            .unwrap()
            .contains_key(&status.to_string());
        assert!(
            documented,
            "{method} {path}: {status} is not documented: {body}"
        );
        if ![204, 302].contains(status) {
            assert_eq!(
                content_type.as_deref(),
                Some("application/json"),
                "{method} {path}"
            );
        }
    }
    let reached: BTreeSet<&str> = journal
        .iter()
        .filter_map(|r| r.endpoint.map(Endpoint::as_str))
        .collect();
    let known: BTreeSet<&str> = Endpoint::ALL.iter().map(|e| e.as_str()).collect();
    assert_eq!(
        reached, known,
        "every endpoint the router knows is reached by a documented operation"
    );
}

#[tokio::test]
async fn every_documented_path_takes_exactly_its_documented_methods() {
    // Arrange
    let auth = documented_layout().await;
    let fixtures = fixtures(&auth).await;
    let doc = document();

    // Act: PATCH is documented nowhere, so every path answers it 405 with its `Allow`.
    let mut allowed = BTreeMap::new();
    for path in documented(&doc).keys() {
        let response = request(&auth, &fixtures, "PATCH", path, None)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let allow = response
            .headers()
            .get("allow")
            .map(|v| v.to_str().unwrap().to_owned());
        allowed.insert(path.clone(), (status, allow));
    }

    // Assert
    for (path, methods) in documented(&doc) {
        let (status, allow) = &allowed[&path];
        assert_eq!(*status, 405, "PATCH {path}");
        let allow: BTreeSet<String> = allow
            .as_deref()
            .unwrap_or_else(|| panic!("PATCH {path}: 405 without Allow"))
            .split(',')
            .map(|m| m.trim().to_owned())
            .collect();
        assert_eq!(allow, methods, "{path}: the server's Allow vs the document");
    }
}

#[tokio::test]
async fn the_paths_the_server_lists_are_documented_and_nothing_lies_below_a_documented_path() {
    // Arrange
    let auth = documented_layout().await;
    let fixtures = fixtures(&auth).await;
    let doc = document();
    let paths = documented(&doc);
    let unknown = |path: &str| {
        common::http()
            .get(format!("{}{path}", origin(&auth)))
            .bearer_auth(auth.admin_token())
            .send()
    };

    // Act: each face's 404 names the paths it serves.
    let (_, admin) = common::status_json(unknown("/api/auth-sandbox/nope").await.unwrap()).await;
    let (_, identity) = common::status_json(unknown("/id/nope").await.unwrap()).await;
    let (_, service) = common::status_json(unknown("/svc/nope").await.unwrap()).await;
    let mut below = Vec::new();
    for path in paths.keys() {
        let probe = format!("{}/probe", concrete(path, &fixtures));
        let status = unknown(&probe).await.unwrap().status().as_u16();
        below.push((probe, status));
    }

    // Assert
    let admin_listed = admin["error_description"]
        .as_str()
        .unwrap()
        .rsplit_once(" are ")
        .unwrap()
        .1
        .split(", ")
        .map(|name| format!("/api/auth-sandbox/{name}"))
        .collect::<BTreeSet<_>>();
    let admin_documented: BTreeSet<String> = paths
        .keys()
        .filter(|p| p.starts_with("/api/auth-sandbox/"))
        .cloned()
        .collect();
    assert_eq!(admin_listed, admin_documented);
    let identity_listed = listed_paths(identity["message"].as_str().unwrap(), "/id");
    let identity_documented: BTreeSet<String> = paths
        .keys()
        .filter_map(|p| p.strip_prefix("/id/"))
        .map(|p| {
            let top: Vec<&str> = p.split('/').collect();
            match top[0] {
                "auth" => format!("/id/auth/{}", top[1]),
                resource => format!("/id/{resource}"),
            }
        })
        .collect();
    assert_eq!(identity_listed, identity_documented);
    let service_listed = listed_paths(service["message"].as_str().unwrap(), "/svc");
    let service_documented: BTreeSet<String> = paths
        .keys()
        .filter(|p| p.starts_with("/svc/"))
        .cloned()
        .collect();
    assert_eq!(service_listed, service_documented);
    for (probe, status) in below {
        assert_eq!(status, 404, "{probe}");
    }
}

/// The `/auth/login`-like paths a face's 404 message lists, below `prefix`.
fn listed_paths(message: &str, prefix: &str) -> BTreeSet<String> {
    message
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|word| word.starts_with('/') && !word.contains("nope"))
        .map(|word| format!("{prefix}{word}"))
        .collect()
}
