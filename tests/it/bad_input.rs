//! Bad request bodies and headers on every POST endpoint that reads parameters: each gets an
//! RFC 6749 error body with a 4xx status, never a 500, and the server keeps serving.

use std::time::Duration;

use crate::common::{http, status_json, token_request};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use mockauth::MockAuth;
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// The endpoints that parse a request body.
const ENDPOINTS: [&str; 5] = [
    "/token",
    "/introspect",
    "/revoke",
    "/mfa/verify",
    "/authorize",
];

/// The endpoints that authenticate clients with a Basic header.
const CLIENT_AUTH_ENDPOINTS: [&str; 3] = ["/token", "/introspect", "/revoke"];

const DEFAULT_LIMIT: usize = 64 * 1024;

/// Asserts an RFC 6749 error body: exactly `error` and `error_description`, both strings.
fn assert_oauth_error(what: &str, (status, body): &(u16, Value), want: u16, error: &str) {
    assert_eq!(*status, want, "{what}: {body}");
    assert_eq!(body["error"], error, "{what}: {body}");
    assert!(body["error_description"].is_string(), "{what}: {body}");
    assert_eq!(body.as_object().unwrap().len(), 2, "{what}: {body}");
}

/// POSTs raw bytes with a Content-Type.
async fn post(auth: &MockAuth, path: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let response = http()
        .post(format!("{}{path}", auth.issuer()))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    status_json(response).await
}

/// Sends a raw HTTP/1.1 request head, then `chunks` of body with `Transfer-Encoding:
/// chunked` (so no Content-Length), one write each, as a streaming client would. Write
/// errors are ignored: the server may answer and close before the body ends.
async fn post_streamed(auth: &MockAuth, path: &str, chunks: &[Vec<u8>]) -> (u16, Value) {
    let mut stream = TcpStream::connect(auth.address()).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        auth.address()
    );
    let (mut reader, mut writer) = stream.split();
    let write = async {
        writer.write_all(head.as_bytes()).await?;
        for chunk in chunks {
            writer
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            writer.write_all(chunk).await?;
            writer.write_all(b"\r\n").await?;
            writer.flush().await?;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        writer.write_all(b"0\r\n\r\n").await
    };
    let mut answer = Vec::new();
    let read = async {
        // A reset after the answer arrived still leaves the answer in `answer`.
        let _ = reader.read_to_end(&mut answer).await;
    };
    let (_, ()) = tokio::join!(write, read);
    let text = String::from_utf8_lossy(&answer);
    let status: u16 = text
        .split(' ')
        .nth(1)
        .unwrap_or_else(|| panic!("no status line in {text:?}"))
        .parse()
        .unwrap();
    let (_, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no body in {text:?}"));
    let body = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body:?}"));
    (status, body)
}

/// A form body of exactly `len` bytes: `pad=xxx…`.
fn form_of_len(len: usize) -> Vec<u8> {
    let mut body = b"pad=".to_vec();
    body.resize(len, b'x');
    body
}

/// After the bad requests, a normal token request still gets tokens.
async fn assert_still_serves(auth: &MockAuth) {
    let (status, body) = token_request(auth, &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, 200, "the server stopped serving: {body}");
    assert_eq!(body["token_type"], "Bearer");
}

#[tokio::test]
async fn malformed_json_answers_400_invalid_request_on_every_endpoint() {
    // Arrange
    let auth = MockAuth::start().await;

    for path in ENDPOINTS {
        for body in [
            &b"{\"grant_type\":"[..],
            b"{token}",
            b"not json",
            b"{\"a\":1}}",
        ] {
            // Act
            let answer = post(&auth, path, "application/json", body.to_vec()).await;

            // Assert
            assert_oauth_error(path, &answer, 400, "invalid_request");
        }
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn a_json_array_or_scalar_answers_400_invalid_request_on_every_endpoint() {
    // Arrange
    let auth = MockAuth::start().await;

    for path in ENDPOINTS {
        for body in [r#"[{"token":"x"}]"#, "[]", r#""token""#, "42", "null"] {
            // Act
            let answer = post(&auth, path, "application/json", body.into()).await;

            // Assert
            assert_oauth_error(&format!("{path} {body}"), &answer, 400, "invalid_request");
            assert!(
                answer.1["error_description"]
                    .as_str()
                    .unwrap()
                    .contains("object"),
                "{}",
                answer.1
            );
        }
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn nested_json_objects_answer_400_invalid_request_on_every_endpoint() {
    // Arrange
    let auth = MockAuth::start().await;

    for path in ENDPOINTS {
        for body in [
            r#"{"grant_type":{"nested":"client_credentials"},"token":"x"}"#,
            r#"{"token":{"a":{"b":{"c":1}}}}"#,
            r#"{"mfa_token":[1,2],"token":[{"x":1}]}"#,
        ] {
            // Act
            let answer = post(&auth, path, "application/json", body.into()).await;

            // Assert
            assert_oauth_error(&format!("{path} {body}"), &answer, 400, "invalid_request");
        }
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn a_deeply_nested_json_body_answers_400_not_a_crash() {
    // Arrange
    let auth = MockAuth::start().await;
    let deep = format!("{{\"a\":{}1{}}}", "[".repeat(5000), "]".repeat(5000));

    for path in ENDPOINTS {
        // Act
        let answer = post(&auth, path, "application/json", deep.clone().into()).await;

        // Assert
        assert_oauth_error(path, &answer, 400, "invalid_request");
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn a_text_plain_body_answers_415_on_every_endpoint() {
    // Arrange
    let auth = MockAuth::start().await;

    for path in ENDPOINTS {
        for content_type in ["text/plain", "text/plain; charset=utf-8", "application/xml"] {
            // Act
            let answer = post(&auth, path, content_type, b"token=x".to_vec()).await;

            // Assert
            assert_oauth_error(
                &format!("{path} {content_type}"),
                &answer,
                415,
                "invalid_request",
            );
        }
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn a_body_over_the_default_64_kib_limit_answers_413_on_every_endpoint() {
    // Arrange
    let auth = MockAuth::start().await;

    for path in ENDPOINTS {
        // Act
        let answer = post(
            &auth,
            path,
            "application/x-www-form-urlencoded",
            form_of_len(DEFAULT_LIMIT + 1),
        )
        .await;

        // Assert
        assert_oauth_error(path, &answer, 413, "invalid_request");
        assert!(
            answer.1["error_description"]
                .as_str()
                .unwrap()
                .contains("65536"),
            "{}",
            answer.1
        );
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn a_streamed_body_without_content_length_over_the_limit_answers_413() {
    // Arrange
    let auth = MockAuth::start().await;
    let chunks = vec![vec![b'x'; 8 * 1024]; 9];

    for path in ENDPOINTS {
        // Act
        let answer = post_streamed(&auth, path, &chunks).await;

        // Assert
        assert_oauth_error(path, &answer, 413, "invalid_request");
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read_with_and_without_content_length() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let prefix = format!(
        "client_id={}&client_secret={}&token=",
        client.client_id(),
        client.client_secret().unwrap()
    );
    let mut body = prefix.into_bytes();
    body.resize(DEFAULT_LIMIT, b'x');

    // Act
    let with_length = post(
        &auth,
        "/revoke",
        "application/x-www-form-urlencoded",
        body.clone(),
    )
    .await;
    let streamed = post_streamed(
        &auth,
        "/revoke",
        &[body[..1000].to_vec(), body[1000..].to_vec()],
    )
    .await;

    // Assert
    assert_eq!(with_length, (200, serde_json::json!({})));
    assert_eq!(streamed, (200, serde_json::json!({})));
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn a_configured_body_limit_of_1024_refuses_1025_bytes_and_reads_1024() {
    // Arrange
    let auth = MockAuth::builder().body_limit(1024).start().await;

    for path in ENDPOINTS {
        // Act
        let over = post(
            &auth,
            path,
            "application/x-www-form-urlencoded",
            form_of_len(1025),
        )
        .await;
        let over_streamed = post_streamed(&auth, path, &[form_of_len(600), vec![b'x'; 425]]).await;
        let at = post(
            &auth,
            path,
            "application/x-www-form-urlencoded",
            form_of_len(1024),
        )
        .await;

        // Assert
        assert_oauth_error(path, &over, 413, "invalid_request");
        assert!(
            over.1["error_description"]
                .as_str()
                .unwrap()
                .contains("1024"),
            "{}",
            over.1
        );
        assert_oauth_error(path, &over_streamed, 413, "invalid_request");
        assert_ne!(at.0, 413, "{path}: {}", at.1);
        assert!(at.1["error"].is_string(), "{path}: {}", at.1);
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn broken_basic_credentials_answer_401_invalid_client() {
    // Arrange
    let auth = MockAuth::start().await;
    let headers = [
        "Basic !!!not-base64***".to_owned(),
        format!("Basic {}", STANDARD.encode("no-colon-here")),
        format!("Basic {}", STANDARD.encode([0xff, b':', 0xfe])),
        "Basic ".to_owned(),
    ];

    for path in CLIENT_AUTH_ENDPOINTS {
        for header in &headers {
            // Act
            let response = http()
                .post(format!("{}{path}", auth.issuer()))
                .header("authorization", header)
                .form(&[("grant_type", "client_credentials"), ("token", "x")])
                .send()
                .await
                .unwrap();
            let challenge = response.headers().get("www-authenticate").cloned();
            let answer = status_json(response).await;

            // Assert
            assert_oauth_error(
                &format!("{path} {header:?}"),
                &answer,
                401,
                "invalid_client",
            );
            assert!(
                challenge.is_some_and(|c| c.to_str().unwrap().starts_with("Basic")),
                "{path} {header:?}"
            );
        }
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn duplicate_form_parameters_answer_400_invalid_request_on_every_endpoint() {
    // Arrange
    let auth = MockAuth::start().await;
    let client = auth.default_client();
    let body = format!(
        "client_id={id}&client_secret={secret}&grant_type=client_credentials&token=a&mfa_token=m&code=1\
         &response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&scope=openid&scope=email&token=b\
         &mfa_token=n&response_type=code",
        id = client.client_id(),
        secret = client.client_secret().unwrap()
    );

    for path in ENDPOINTS {
        // Act
        let answer = post(
            &auth,
            path,
            "application/x-www-form-urlencoded",
            body.clone().into(),
        )
        .await;

        // Assert
        assert_oauth_error(path, &answer, 400, "invalid_request");
        assert!(
            answer.1["error_description"]
                .as_str()
                .unwrap()
                .contains("more than once"),
            "{path}: {}",
            answer.1
        );
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn non_utf8_json_answers_400_invalid_request_on_every_endpoint() {
    // Arrange
    let auth = MockAuth::start().await;
    let body = b"{\"token\":\"\xff\xfe\",\"grant_type\":\"\xc3\x28\"}".to_vec();

    for path in ENDPOINTS {
        // Act
        let answer = post(&auth, path, "application/json", body.clone()).await;

        // Assert
        assert_oauth_error(path, &answer, 400, "invalid_request");
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn non_utf8_form_bytes_answer_a_4xx_oauth_error_never_500() {
    // Arrange
    let auth = MockAuth::start().await;
    let bodies: [&[u8]; 3] = [
        b"grant_type=\xff\xfe&token=\xc3\x28&mfa_token=\xff&code=\xff&client_id=\xff",
        b"grant_type=%FF%FE&token=%C3%28&mfa_token=%FF&code=%FF&client_id=%FF",
        b"\xff\xfe\xfd=\x80",
    ];

    for path in ENDPOINTS {
        for body in bodies {
            // Act
            let (status, answer) = post(
                &auth,
                path,
                "application/x-www-form-urlencoded",
                body.to_vec(),
            )
            .await;

            // Assert
            assert!(
                (400..500).contains(&status),
                "{path} {body:?}: {status} {answer}"
            );
            assert!(answer["error"].is_string(), "{path}: {answer}");
            assert!(answer["error_description"].is_string(), "{path}: {answer}");
        }
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn an_empty_form_body_answers_the_error_each_endpoint_owes() {
    // Arrange
    let auth = MockAuth::start().await;
    let expected = [
        ("/token", 400, "invalid_request"),
        ("/introspect", 401, "invalid_client"),
        ("/revoke", 400, "invalid_request"),
        ("/mfa/verify", 400, "invalid_request"),
        ("/authorize", 400, "invalid_request"),
    ];

    for (path, status, error) in expected {
        // Act
        let answer = post(&auth, path, "application/x-www-form-urlencoded", Vec::new()).await;
        let bare = status_json(
            http()
                .post(format!("{}{path}", auth.issuer()))
                .send()
                .await
                .unwrap(),
        )
        .await;

        // Assert
        assert_oauth_error(path, &answer, status, error);
        assert_oauth_error(
            &format!("{path} without Content-Type"),
            &bare,
            status,
            error,
        );
    }
    assert_still_serves(&auth).await;
}

#[tokio::test]
async fn an_empty_json_body_answers_400_invalid_request_on_every_endpoint() {
    // Arrange
    let auth = MockAuth::start().await;

    for path in ENDPOINTS {
        // Act
        let answer = post(&auth, path, "application/json", Vec::new()).await;

        // Assert
        assert_oauth_error(path, &answer, 400, "invalid_request");
    }
    assert_still_serves(&auth).await;
}
