//! Where a server can live: both tokio test flavours, plain `#[test]`s, beside blocking
//! clients, after its runtime is gone, by the hundred; and what dropping it does to its port.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};

use crate::common::{blocking_http, http, status_json};
use mockauth::MockAuth;
use serde_json::Value;

/// GETs the discovery document with the async client.
async fn discovery(auth: &MockAuth) -> (u16, Value) {
    status_json(http().get(auth.discovery_url()).send().await.unwrap()).await
}

/// GETs the discovery document with the blocking client, on the calling thread.
fn blocking_discovery(client: &reqwest::blocking::Client, url: &str) -> (u16, Value) {
    let response = client.get(url).send().unwrap();
    let status = response.status().as_u16();
    (status, response.json().unwrap())
}

/// A password-grant login with the blocking client.
fn blocking_login(client: &reqwest::blocking::Client, auth: &MockAuth) -> (u16, Value) {
    let credentials = auth.default_client();
    let response = client
        .post(auth.token_url())
        .basic_auth(credentials.client_id(), credentials.client_secret())
        .form(&[
            ("grant_type", "password"),
            ("username", "testuser"),
            ("password", "password123"),
            ("scope", "openid"),
        ])
        .send()
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().unwrap())
}

/// A blocking HTTP/1.1 exchange over `std::net`: `request_line` is e.g. `GET /path`.
fn std_http(addr: SocketAddr, request_line: &str, content_type: &str, body: &str) -> (u16, Value) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let content_type = if content_type.is_empty() {
        String::new()
    } else {
        format!("Content-Type: {content_type}\r\n")
    };
    write!(
        stream,
        "{request_line} HTTP/1.1\r\nHost: {addr}\r\n{content_type}Content-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.split(' ').nth(1).unwrap().parse().unwrap();
    let (_, body) = answer.split_once("\r\n\r\n").unwrap();
    (status, serde_json::from_str(body).unwrap())
}

fn refused(addr: SocketAddr) -> bool {
    TcpStream::connect(addr).is_err()
}

#[tokio::test]
async fn a_server_started_from_a_current_thread_test_answers() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, doc) = discovery(&auth).await;

    // Assert
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["issuer"], auth.issuer());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_started_from_a_multi_thread_test_answers() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let (status, doc) = discovery(&auth).await;

    // Assert
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["issuer"], auth.issuer());
}

#[test]
fn a_server_started_blocking_from_a_plain_test_answers_a_blocking_client() {
    // Arrange
    let auth = MockAuth::start_blocking();
    let client = blocking_http();

    // Act
    let (status, doc) = blocking_discovery(&client, &auth.discovery_url());
    let (login_status, tokens) = blocking_login(&client, &auth);

    // Assert
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["issuer"], auth.issuer());
    assert_eq!(login_status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["id_token"].is_string(), "{tokens}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocking_client_in_block_in_place_on_a_multi_thread_test_gets_answers() {
    // Arrange
    let auth = MockAuth::start().await;

    // Act
    let ((status, doc), (login_status, tokens)) = tokio::task::block_in_place(|| {
        let client = blocking_http();
        (
            blocking_discovery(&client, &auth.discovery_url()),
            blocking_login(&client, &auth),
        )
    });

    // Assert
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["issuer"], auth.issuer());
    assert_eq!(login_status, 200, "{tokens}");
    assert!(tokens["access_token"].is_string(), "{tokens}");
}

#[tokio::test]
async fn a_blocking_client_that_blocks_a_current_thread_test_still_gets_answers() {
    // Arrange
    let auth = MockAuth::start().await;
    let credentials = auth.default_client();
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        credentials.client_id(),
        credentials.client_secret().unwrap()
    );

    // Act: the test's only runtime thread blocks in std I/O; the server has its own thread.
    // (reqwest::blocking refuses to run inside any runtime, and block_in_place needs a
    // multi-thread one, so this blocking client is std::net.)
    let (status, doc) = std_http(
        auth.address(),
        "GET /.well-known/openid-configuration",
        "",
        "",
    );
    let (token_status, tokens) = std_http(
        auth.address(),
        "POST /token",
        "application/x-www-form-urlencoded",
        &form,
    );

    // Assert
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["issuer"], auth.issuer());
    assert_eq!(token_status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
}

#[test]
fn a_server_keeps_serving_after_the_runtime_that_started_it_is_dropped() {
    // Arrange
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let auth = runtime.block_on(async {
        let auth = MockAuth::start().await;
        let (status, doc) = discovery(&auth).await;
        assert_eq!(status, 200, "{doc}");
        auth
    });
    drop(runtime);

    // Act
    let client = blocking_http();
    let (status, doc) = blocking_discovery(&client, &auth.discovery_url());
    let (login_status, tokens) = blocking_login(&client, &auth);

    // Assert
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["issuer"], auth.issuer());
    assert_eq!(login_status, 200, "{tokens}");
}

#[test]
fn a_server_started_in_one_runtime_answers_requests_from_another() {
    // Arrange
    let first = tokio::runtime::Runtime::new().unwrap();
    let auth = first.block_on(MockAuth::start());
    drop(first);
    let second = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    // Act
    let (status, doc) = second.block_on(discovery(&auth));

    // Assert
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["issuer"], auth.issuer());
}

#[tokio::test]
async fn dropping_the_server_frees_its_port_at_once() {
    // Arrange: a request leaves a kept-alive connection open.
    let auth = MockAuth::start().await;
    let client = http();
    let response = client.get(auth.discovery_url()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let addr = auth.address();

    // Act
    drop(auth);

    // Assert
    assert!(refused(addr), "{addr} still accepts connections");
    let listener = TcpListener::bind(addr);
    assert!(listener.is_ok(), "{addr}: {listener:?}");
    drop(listener);
    let again = MockAuth::builder().port(addr.port()).try_start().unwrap();
    assert_eq!(again.address(), addr);
    let (status, doc) = discovery(&again).await;
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["issuer"], format!("http://{addr}"));
    let stale = client.get(again.discovery_url()).send().await.unwrap();
    assert_eq!(stale.status(), 200);
    assert_eq!(
        stale.json::<Value>().await.unwrap()["issuer"],
        again.issuer()
    );
}

#[test]
fn dropping_a_blocking_server_frees_its_port_at_once() {
    // Arrange
    let auth = MockAuth::start_blocking();
    let client = blocking_http();
    let (status, _) = blocking_discovery(&client, &auth.discovery_url());
    assert_eq!(status, 200);
    let addr = auth.address();

    // Act
    drop(auth);

    // Assert
    assert!(refused(addr), "{addr} still accepts connections");
    let again = MockAuth::builder().port(addr.port()).start_blocking();
    let (status, doc) = blocking_discovery(&blocking_http(), &again.discovery_url());
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["issuer"], format!("http://{addr}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_servers_run_at_once_and_each_answers_discovery() {
    // Arrange
    let servers: Vec<MockAuth> = (0..500).map(|_| MockAuth::start_blocking()).collect();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();

    // Act
    let mut requests = tokio::task::JoinSet::new();
    for auth in &servers {
        let (client, url) = (client.clone(), auth.discovery_url());
        requests.spawn(async move {
            let response = client.get(&url).send().await.unwrap();
            let status = response.status().as_u16();
            (url, status, response.json::<Value>().await.unwrap())
        });
    }
    let answers = requests.join_all().await;

    // Assert
    assert_eq!(answers.len(), 500);
    for (url, status, doc) in &answers {
        assert_eq!(*status, 200, "{url}: {doc}");
        let issuer = doc["issuer"].as_str().unwrap();
        assert_eq!(url, &format!("{issuer}/.well-known/openid-configuration"));
    }
    let mut ports: Vec<u16> = servers.iter().map(|s| s.address().port()).collect();
    ports.sort_unstable();
    ports.dedup();
    assert_eq!(ports.len(), 500);
}

#[test]
fn try_start_on_a_port_held_by_another_listener_returns_an_error() {
    // Arrange
    let holder = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();

    // Act
    let result = MockAuth::builder().port(port).try_start();

    // Assert
    let err = result.expect_err("the port is taken");
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse, "{err}");
    assert!(TcpStream::connect(("127.0.0.1", port)).is_ok());
}

#[tokio::test]
async fn try_start_on_a_port_held_by_another_server_returns_an_error_and_leaves_it_serving() {
    // Arrange
    let first = MockAuth::start().await;

    // Act
    let result = MockAuth::builder().port(first.address().port()).try_start();

    // Assert
    let err = result.expect_err("the port is taken");
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse, "{err}");
    let (status, doc) = discovery(&first).await;
    assert_eq!(status, 200, "{doc}");
}

#[test]
#[should_panic(expected = "mockauth could not bind 127.0.0.1:")]
fn start_blocking_on_a_taken_port_panics_with_the_address() {
    // Arrange
    let holder = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();

    // Act
    let _auth = MockAuth::builder().port(port).start_blocking();

    // Assert: the panic above.
}

#[test]
fn one_server_answers_blocking_clients_on_many_threads_at_once() {
    // Arrange
    let auth = MockAuth::start_blocking();

    // Act
    let answers: Vec<(u16, Value)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| blocking_login(&blocking_http(), &auth)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    // Assert
    assert_eq!(answers.len(), 8);
    for (status, tokens) in answers {
        assert_eq!(status, 200, "{tokens}");
        assert_eq!(tokens["token_type"], "Bearer");
    }
}
