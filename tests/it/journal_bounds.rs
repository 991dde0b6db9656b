//! The journal's bounds and its redaction of bodies read the way the handlers read them: a
//! JSON login with leading whitespace and no Content-Type leaves no password behind on any
//! face; requests that reached no endpoint keep no parameters; values are cut, parameters
//! counted, names checked; the byte budget holds under a flood; the admin API pages.

use crate::common::{self, http, status_json};
use mockauth::{Endpoint, Face, MockAuth, RecordedRequest, RequestFilter};
use serde_json::Value;

/// A password distinctive enough that finding it anywhere in the journal is a leak.
const PASSWORD: &str = "Wh1tespace-Pa55word-7f3a";

/// `GET /api/auth-sandbox/requests{query}`: `(status, the answer's text)`.
async fn admin_requests(auth: &MockAuth, query: &str) -> (u16, String) {
    let response = http()
        .get(format!(
            "{}/api/auth-sandbox/requests{query}",
            auth.issuer()
        ))
        .bearer_auth(auth.admin_token())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Asserts that `secret` appears nowhere in the journal, read from Rust and over HTTP.
async fn assert_no_trace(auth: &MockAuth, secret: &str) {
    let recorded = format!("{:?}", auth.requests());
    assert!(
        !recorded.contains(secret),
        "{secret} leaked into {recorded}"
    );
    let (status, text) = admin_requests(auth, "?after=0&limit=10000").await;
    assert_eq!(status, 200, "{text}");
    assert!(!text.contains(secret), "{secret} leaked into {text}");
    // JSON escapes nothing in the password, but a form might have encoded it.
    assert!(
        !text.contains("Pa55word"),
        "part of the password leaked into {text}"
    );
}

fn only(mut requests: Vec<RecordedRequest>) -> RecordedRequest {
    assert_eq!(requests.len(), 1, "expected one request: {requests:#?}");
    requests.remove(0)
}

/// A JSON login body that starts with a line break, as some clients send it.
fn whitespace_json(fields: &[(&str, &str)]) -> String {
    let object: serde_json::Map<String, Value> = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
        .collect();
    format!("\n{}", Value::Object(object))
}

// ---- bodies read as the handlers read them ----------------------------------------------

#[tokio::test]
async fn a_json_login_after_whitespace_without_content_type_leaves_no_password_identity_face() {
    // Arrange
    let auth = MockAuth::builder().face(Face::identity()).start().await;
    auth.user("alice").password(PASSWORD).create();
    let body = whitespace_json(&[("username", "alice"), ("password", PASSWORD)]);

    // Act
    let response = http()
        .post(format!("{}/auth/login", auth.issuer()))
        .body(body)
        .send()
        .await
        .unwrap();

    // Assert
    let (status, answer) = status_json(response).await;
    assert_eq!(status, 200, "the face reads the body as JSON: {answer}");
    assert!(answer["token"].is_string(), "{answer}");
    let login = only(auth.requests_to(Endpoint::IdentityLogin));
    assert_eq!(login.param("password"), Some("[redacted]"));
    assert_eq!(login.param("username"), Some("alice"));
    assert_eq!(login.username.as_deref(), Some("alice"));
    assert_no_trace(&auth, PASSWORD).await;
}

#[tokio::test]
async fn a_json_login_after_whitespace_without_content_type_leaves_no_password_service_face() {
    // Arrange
    let auth = MockAuth::builder().face(Face::service()).start().await;
    let app = auth.application("billing").create();
    auth.user("alice").password(PASSWORD).create();
    let body = whitespace_json(&[("identifier", "alice"), ("password", PASSWORD)]);

    // Act
    let response = http()
        .post(auth.service_url("/auth/login"))
        .header("x-application-secret", app.secret())
        .body(body)
        .send()
        .await
        .unwrap();

    // Assert
    let (status, answer) = status_json(response).await;
    assert_eq!(status, 200, "the face reads the body as JSON: {answer}");
    assert!(answer["accessToken"].is_string(), "{answer}");
    let login = only(auth.requests_to(Endpoint::ServiceLogin));
    assert_eq!(login.param("password"), Some("[redacted]"));
    assert_eq!(login.param("identifier"), Some("alice"));
    assert_no_trace(&auth, PASSWORD).await;
    assert_no_trace(&auth, app.secret()).await;
}

#[tokio::test]
async fn a_json_token_request_after_whitespace_without_content_type_is_read_and_redacted_as_json() {
    // Arrange
    let auth = MockAuth::start().await;
    auth.user("alice").password(PASSWORD).create();
    let client = auth.default_client();
    let secret = client.client_secret().unwrap();
    let body = whitespace_json(&[
        ("grant_type", "password"),
        ("username", "alice"),
        ("password", PASSWORD),
        ("client_id", client.client_id()),
        ("client_secret", secret),
    ]);

    // Act
    let response = http()
        .post(auth.token_url())
        .body(body)
        .send()
        .await
        .unwrap();

    // Assert
    let (status, answer) = status_json(response).await;
    assert_eq!(status, 200, "the OIDC face reads it as JSON too: {answer}");
    let login = only(auth.requests_to(Endpoint::Token));
    assert_eq!(login.username.as_deref(), Some("alice"));
    assert_eq!(login.param("client_secret"), Some("[redacted]"));
    assert_no_trace(&auth, PASSWORD).await;
    assert_no_trace(&auth, secret).await;
}

#[tokio::test]
async fn a_json_login_sent_as_a_form_keeps_no_name_that_holds_the_password() {
    // Arrange
    let auth = MockAuth::builder().face(Face::identity()).start().await;
    auth.user("alice").password(PASSWORD).create();
    let json_body = format!(r#"{{"username":"alice","password":"{PASSWORD}"}}"#);

    // Act
    let identity = http()
        .post(format!("{}/auth/login", auth.issuer()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(json_body.clone())
        .send()
        .await
        .unwrap();
    let token = http()
        .post(auth.token_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("grant_type=password&{json_body}"))
        .send()
        .await
        .unwrap();
    let garbled = http()
        .post(auth.token_url())
        .body(format!("grant_type=password&\t{PASSWORD}=1"))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(identity.status(), 415, "the JSON face refuses a form");
    assert!(
        token.status().is_client_error() && garbled.status().is_client_error(),
        "the OIDC face reads a form with one odd name"
    );
    let recorded = auth.requests();
    assert_eq!(recorded.len(), 3);
    assert!(recorded[0].params.is_empty(), "{:?}", recorded[0]);
    assert_eq!(
        recorded[1].params,
        [("grant_type".into(), "password".into())]
    );
    assert_eq!(
        recorded[2].params,
        [("grant_type".into(), "password".into())]
    );
    assert_no_trace(&auth, PASSWORD).await;
}

#[tokio::test]
async fn a_body_that_reads_as_nothing_keeps_no_parameters() {
    // Arrange
    let auth = MockAuth::builder().face(Face::identity()).start().await;

    // Act
    let malformed = http()
        .post(format!("{}/auth/login", auth.issuer()))
        .body(format!(
            "\n{{\"username\":\"alice\",\"password\":\"{PASSWORD}\""
        ))
        .send()
        .await
        .unwrap();
    let not_an_object = http()
        .post(auth.token_url())
        .header("content-type", "application/json")
        .body(format!(r#"["password", "{PASSWORD}"]"#))
        .send()
        .await
        .unwrap();
    let other_type = http()
        .post(auth.token_url())
        .header("content-type", "text/plain")
        .body(format!("password={PASSWORD}"))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(
        (
            malformed.status().as_u16(),
            not_an_object.status().as_u16(),
            other_type.status().as_u16()
        ),
        (400, 400, 415)
    );
    let recorded = auth.requests();
    assert_eq!(recorded.len(), 3);
    assert!(
        recorded.iter().all(|r| r.params.is_empty()),
        "{recorded:#?}"
    );
    assert_no_trace(&auth, PASSWORD).await;
}

// ---- what a record keeps ----------------------------------------------------------------

#[tokio::test]
async fn a_large_request_to_an_unknown_path_records_no_body_and_a_cut_path() {
    // Arrange
    let auth = MockAuth::builder().body_limit(256 * 1024).start().await;
    let filler = "f".repeat(128 * 1024);
    let long_path = format!("/nowhere/{}", "p".repeat(1_000));

    // Act
    let response = http()
        .post(format!(
            "{}{long_path}?client_id=web&q={}",
            auth.issuer(),
            "q".repeat(2_000)
        ))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "username=alice&password={PASSWORD}&filler={filler}"
        ))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 404);
    let recorded = only(auth.requests());
    assert_eq!((recorded.endpoint, recorded.status), (None, 404));
    assert!(recorded.params.is_empty(), "{:?}", recorded.params);
    assert_eq!(
        (recorded.client_id, recorded.username, recorded.grant_type),
        (None, None, None)
    );
    assert!(
        recorded.path.starts_with("/nowhere/ppp"),
        "{}",
        recorded.path
    );
    assert!(
        recorded
            .path
            .ends_with(&format!("…[cut from {} bytes]", long_path.len())),
        "{}",
        recorded.path
    );
    assert!(recorded.path.len() < 300, "{}", recorded.path.len());
    let (_, text) = admin_requests(&auth, "").await;
    assert!(text.len() < 1_024, "{text}");
    assert!(!text.contains("fff"), "{text}");
    assert_no_trace(&auth, PASSWORD).await;
}

#[tokio::test]
async fn a_body_over_the_size_limit_records_no_parameters() {
    // Arrange
    let auth = MockAuth::start().await;
    let body = format!(
        "grant_type=password&password={PASSWORD}&filler={}",
        "f".repeat(128 * 1024)
    );

    // Act
    let response = http()
        .post(auth.token_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status(), 413);
    let recorded = only(auth.requests());
    assert_eq!(
        (
            recorded.method.as_str(),
            recorded.path.as_str(),
            recorded.status
        ),
        ("POST", "/token", 413)
    );
    assert_eq!(recorded.endpoint, None);
    assert!(recorded.params.is_empty(), "{:?}", recorded.params);
    assert_no_trace(&auth, PASSWORD).await;
}

#[tokio::test]
async fn an_oversized_value_is_cut_and_a_request_keeps_32_parameters() {
    // Arrange
    let auth = MockAuth::start().await;
    let scope = "s".repeat(1_000);
    let long_name = "n".repeat(65);
    let mut form: Vec<(String, String)> = vec![
        ("grant_type".into(), "client_credentials".into()),
        ("scope".into(), scope.clone()),
        (long_name.clone(), "dropped with its name".into()),
    ];
    form.extend((0..40).map(|i| (format!("extra{i}"), format!("value{i}"))));
    form.push(("client_id".into(), auth.default_client().client_id().into()));
    form.push((
        "client_secret".into(),
        auth.default_client().client_secret().unwrap().into(),
    ));

    // Act
    let response = http()
        .post(auth.token_url())
        .form(&form)
        .send()
        .await
        .unwrap();

    // Assert
    let (status, body) = status_json(response).await;
    assert_eq!(
        status, 400,
        "the long scope is no scope the client has: {body}"
    );
    let recorded = only(auth.requests());
    let kept = recorded.param("scope").unwrap();
    assert_eq!(
        kept,
        format!("{}…[cut from 1000 bytes]", &scope[..256]),
        "a value keeps 256 bytes and says it was cut"
    );
    assert_eq!(recorded.params.len(), 32);
    assert_eq!(
        recorded.param(&long_name),
        None,
        "a name over 64 bytes is dropped"
    );
    assert_eq!(recorded.param("extra29"), Some("value29"));
    assert_eq!(recorded.param("extra30"), None, "beyond the 32 kept");
    assert_eq!(
        recorded.client_id.as_deref(),
        Some(auth.default_client().client_id()),
        "the client is known even when its parameter is beyond the 32 kept"
    );
    assert_eq!(recorded.grant_type.as_deref(), Some("client_credentials"));
}

#[tokio::test]
async fn expectations_count_a_long_user_whole_while_the_record_keeps_it_cut() {
    // Arrange
    let auth = MockAuth::start().await;
    let long_user = "u".repeat(300);
    auth.expect(RequestFilter::to(Endpoint::Token).user(long_user.clone()))
        .times(1);

    // Act
    let (status, body) = common::token_request(
        &auth,
        &[
            ("grant_type", "password"),
            ("username", &long_user),
            ("password", PASSWORD),
        ],
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{body}");
    auth.verify_requests();
    let recorded = only(auth.requests());
    assert_eq!(
        recorded.username,
        Some(format!("{}…[cut from 300 bytes]", &long_user[..256]))
    );
}

// ---- the byte budget --------------------------------------------------------------------

/// What a record holds, as the journal counts it, give or take the fixed parts: the text
/// of its fields and parameters.
fn text_bytes(record: &RecordedRequest) -> usize {
    let optional = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    record.method.len()
        + record.path.len()
        + optional(&record.client_id)
        + optional(&record.grant_type)
        + optional(&record.username)
        + record
            .params
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>()
}

#[tokio::test]
async fn two_thousand_large_requests_keep_the_journal_within_its_default_byte_budget() {
    // Arrange
    const BUDGET: usize = 4 * 1024 * 1024;
    const REQUESTS: usize = 2_000;
    let auth = MockAuth::start().await;
    auth.expect(Endpoint::Token).times(REQUESTS as u64);
    let form: Vec<(String, String)> = (0..40)
        .map(|i| (format!("p{i:02}"), format!("{i:02}").repeat(150)))
        .chain([("grant_type".to_owned(), "client_credentials".to_owned())])
        .collect();
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&form)
        .finish();
    let http = http();

    // Act
    for _ in 0..REQUESTS {
        let response = http
            .post(format!("{}?q={}", auth.token_url(), "q".repeat(1_000)))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }

    // Assert
    auth.verify_requests();
    let kept = auth.requests();
    assert!(
        (100..REQUESTS).contains(&kept.len()),
        "the budget, not the count, let the oldest go: {} kept",
        kept.len()
    );
    let text: usize = kept.iter().map(text_bytes).sum();
    assert!(text <= BUDGET, "{text} bytes of text kept");
    assert!(kept.iter().all(|r| r.params.len() <= 32));
    let (status, answer) = admin_requests(&auth, "?after=0&limit=10000").await;
    assert_eq!(status, 200);
    assert!(
        answer.len() <= BUDGET,
        "the admin answer is {} bytes",
        answer.len()
    );
    let records: Vec<Value> = serde_json::from_str(&answer).unwrap();
    assert_eq!(records.len(), kept.len());
    assert_eq!(
        records.last().unwrap()["seq"],
        REQUESTS as u64,
        "the newest is kept"
    );
}

// ---- reading the journal in pages -------------------------------------------------------

fn seqs(answer: &str) -> Vec<u64> {
    let records: Vec<Value> = serde_json::from_str(answer).unwrap();
    records.iter().map(|r| r["seq"].as_u64().unwrap()).collect()
}

#[tokio::test]
async fn the_admin_api_pages_the_journal_with_limit_and_after() {
    // Arrange
    let auth = MockAuth::start().await;
    for _ in 0..25 {
        http().get(auth.jwks_url()).send().await.unwrap();
    }
    http().get(auth.discovery_url()).send().await.unwrap();

    // Act
    let (status, newest) = admin_requests(&auth, "?limit=10").await;
    let (_, first) = admin_requests(&auth, "?after=0&limit=10").await;
    let (_, second) = admin_requests(&auth, "?after=10&limit=10").await;
    let (_, last) = admin_requests(&auth, "?after=20&limit=10").await;
    let (_, past) = admin_requests(&auth, "?after=26").await;
    let (_, filtered) = admin_requests(&auth, "?endpoint=jwks&limit=3").await;
    let (_, everything) = admin_requests(&auth, "").await;
    let bad = admin_answers(
        &auth,
        &["?limit=0", "?limit=10001", "?limit=x", "?after=-1"],
    )
    .await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(
        seqs(&newest),
        (17..=26).collect::<Vec<_>>(),
        "the newest 10"
    );
    assert_eq!(seqs(&first), (1..=10).collect::<Vec<_>>());
    assert_eq!(seqs(&second), (11..=20).collect::<Vec<_>>());
    assert_eq!(seqs(&last), (21..=26).collect::<Vec<_>>());
    assert!(seqs(&past).is_empty());
    assert_eq!(seqs(&filtered), [23, 24, 25], "the newest 3 of the matches");
    assert_eq!(seqs(&everything), (1..=26).collect::<Vec<_>>());
    let records: Vec<Value> = serde_json::from_str(&everything).unwrap();
    assert_eq!(records[25]["endpoint"], "discovery");
    assert_eq!(records[0]["method"], "GET");
    for (status, text) in bad {
        assert_eq!(status, 400, "{text}");
    }
}

/// The admin answers to several queries, one after the other.
async fn admin_answers(auth: &MockAuth, queries: &[&str]) -> Vec<(u16, String)> {
    let mut answers = Vec::new();
    for query in queries {
        answers.push(admin_requests(auth, query).await);
    }
    answers
}

#[test]
fn a_zero_byte_budget_keeps_nothing_and_expectations_still_count() {
    // Arrange
    let auth = MockAuth::builder().journal_bytes(0).start_blocking();
    auth.expect(Endpoint::Jwks).times(2);
    let http = common::blocking_http();

    // Act
    let statuses: Vec<u16> = (0..2)
        .map(|_| http.get(auth.jwks_url()).send().unwrap().status().as_u16())
        .collect();

    // Assert
    assert_eq!(statuses, [200, 200]);
    assert!(auth.requests().is_empty());
    auth.verify_requests();
}
