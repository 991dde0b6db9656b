//! The standalone binary: ready line, flags, exit codes, signals (docs/binary.md).

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

fn mockauth(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mockauth"));
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Starts the binary and reads its ready line.
fn start(args: &[&str]) -> (Child, Value) {
    let mut child = mockauth(args).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ready: Value = serde_json::from_str(&line)
        .unwrap_or_else(|e| panic!("ready line {line:?} is not JSON: {e}"));
    (child, ready)
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn wait_with_timeout(child: &mut Child) -> std::process::ExitStatus {
    for _ in 0..100 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    panic!("mockauth did not stop within 5 s");
}

#[test]
fn ready_line_is_one_json_object_with_working_credentials() {
    // Arrange
    let (mut child, ready) = start(&["--port", "0"]);

    // Act
    let issuer = ready["issuer"].as_str().unwrap();
    let token: Value = reqwest::blocking::Client::new()
        .post(format!("{issuer}/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", ready["client_id"].as_str().unwrap()),
            ("client_secret", ready["client_secret"].as_str().unwrap()),
        ])
        .send()
        .unwrap()
        .json()
        .unwrap();

    // Assert
    assert_eq!(ready["event"], "ready");
    assert!(issuer.starts_with("http://127.0.0.1:"), "{issuer}");
    assert_eq!(ready["username"], "testuser");
    assert_eq!(ready["password"], "password123");
    assert!(ready["admin_token"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(token["token_type"], "Bearer", "{token}");
    signal(&child, "TERM");
    assert_eq!(wait_with_timeout(&mut child).code(), Some(0));
}

#[test]
fn client_flags_fix_the_default_client_credentials() {
    // Arrange / Act
    let (mut child, ready) = start(&[
        "--port",
        "0",
        "--client-id",
        "bench-client",
        "--client-secret=bench-secret",
    ]);

    // Assert
    assert_eq!(ready["client_id"], "bench-client");
    assert_eq!(ready["client_secret"], "bench-secret");
    signal(&child, "INT");
    assert_eq!(wait_with_timeout(&mut child).code(), Some(0));
}

#[test]
fn the_same_seed_gives_the_same_credentials() {
    // Arrange / Act
    let (mut first, a) = start(&["--port", "0", "--seed", "7"]);
    let (mut second, b) = start(&["--port", "0", "--seed", "7"]);

    // Assert: the credentials repeat; the admin token never comes from the seed.
    assert_eq!(a["client_id"], b["client_id"]);
    assert_eq!(a["client_secret"], b["client_secret"]);
    assert_ne!(a["admin_token"], b["admin_token"]);
    for child in [&mut first, &mut second] {
        signal(child, "TERM");
        assert_eq!(wait_with_timeout(child).code(), Some(0));
    }
}

#[test]
fn bad_flags_exit_2_with_one_line_naming_the_problem() {
    for (args, expected) in [
        (
            &["--port", "eighty"][..],
            "--port \"eighty\" is not a port number",
        ),
        (
            &["--host", "localhost.example"][..],
            "--host \"localhost.example\" is not an IP address",
        ),
        (
            &["--seed", "-1"][..],
            "--seed \"-1\" is not a non-negative integer",
        ),
        (&["--port"][..], "--port needs a port number"),
        (
            &["--journal-bytes", "4MiB"][..],
            "--journal-bytes \"4MiB\" is not a non-negative integer",
        ),
        (&["--client-id", ""][..], "--client-id must not be empty"),
        (&["--frobnicate"][..], "unknown flag \"--frobnicate\""),
    ] {
        // Act
        let output = mockauth(args).output().unwrap();

        // Assert
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?} printed to stdout");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("mockauth: ") && stderr.contains(expected),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn journal_bytes_bounds_what_the_journal_keeps() {
    // Arrange
    let (mut kept_none, none) = start(&["--port", "0", "--journal-bytes", "0"]);
    let (mut kept_some, some) = start(&["--port", "0", "--journal-bytes=65536"]);
    let http = reqwest::blocking::Client::new();
    let recorded = |ready: &Value| -> Vec<Value> {
        let issuer = ready["issuer"].as_str().unwrap();
        http.get(format!("{issuer}/.well-known/jwks.json"))
            .send()
            .unwrap();
        http.get(format!("{issuer}/api/auth-sandbox/requests"))
            .bearer_auth(ready["admin_token"].as_str().unwrap())
            .send()
            .unwrap()
            .json()
            .unwrap()
    };

    // Act
    let none = recorded(&none);
    let some = recorded(&some);

    // Assert
    assert!(none.is_empty(), "{none:?}");
    assert_eq!(some.len(), 1, "{some:?}");
    assert_eq!(some[0]["endpoint"], "jwks");
    for child in [&mut kept_none, &mut kept_some] {
        signal(child, "TERM");
        assert_eq!(wait_with_timeout(child).code(), Some(0));
    }
}

#[test]
fn a_taken_port_exits_2_without_a_ready_line() {
    // Arrange
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();

    // Act
    let output = mockauth(&["--port", &port]).output().unwrap();

    // Assert
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8(output.stderr)
        .unwrap()
        .starts_with("mockauth: cannot listen"));
}

#[test]
fn help_prints_usage_and_exits_0() {
    let output = mockauth(&["--help"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8(output.stdout)
        .unwrap()
        .starts_with("usage: mockauth"));
}

#[test]
fn binding_beyond_loopback_warns_about_test_keys() {
    // Arrange
    let (mut child, ready) = start(&["--host", "0.0.0.0", "--port", "0"]);

    // Act
    signal(&child, "TERM");
    let status = wait_with_timeout(&mut child);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();

    // Assert
    assert_eq!(status.code(), Some(0));
    assert!(ready["issuer"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    assert!(
        stderr.contains("WARNING") && stderr.contains("public test keys"),
        "{stderr}"
    );
}

#[test]
fn admin_token_flag_fixes_the_admin_token() {
    // Arrange
    let (mut child, ready) = start(&["--port", "0", "--admin-token", "ci-fleet-token"]);

    // Act
    let issuer = ready["issuer"].as_str().unwrap();
    let config = reqwest::blocking::Client::new()
        .post(format!("{issuer}/api/auth-sandbox/config"))
        .bearer_auth("ci-fleet-token")
        .json(&serde_json::json!({}))
        .send()
        .unwrap();

    // Assert
    assert_eq!(ready["admin_token"], "ci-fleet-token");
    assert_eq!(config.status(), 200);
    signal(&child, "TERM");
    assert_eq!(wait_with_timeout(&mut child).code(), Some(0));
}

#[test]
fn a_seed_beyond_loopback_warns_that_its_secrets_are_predictable() {
    // Arrange
    let (mut child, _ready) = start(&["--host", "0.0.0.0", "--port", "0", "--seed", "3"]);

    // Act
    signal(&child, "TERM");
    let status = wait_with_timeout(&mut child);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();

    // Assert
    assert_eq!(status.code(), Some(0));
    assert!(stderr.contains("--seed makes client secrets"), "{stderr}");
}

/// Reads until the server closes `stream` (end of stream or reset); panics after 5 s.
fn closed_within_5s(stream: &mut std::net::TcpStream) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    match stream.read(&mut [0u8; 64]) {
        Ok(n) => n == 0,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

fn address(ready: &Value) -> String {
    ready["issuer"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://")
        .to_owned()
}

#[test]
fn connection_flags_set_the_timeouts_and_the_cap() {
    // Arrange
    let (mut timed, timed_ready) = start(&[
        "--port",
        "0",
        "--header-timeout",
        "0.2",
        "--body-timeout=0.2",
        "--idle-timeout",
        "0.2",
    ]);
    let (mut capped, capped_ready) = start(&["--port", "0", "--max-connections", "1"]);

    // Act: a silent connection to the first; two to the second (whose header timeout is 10 s)
    let mut silent = std::net::TcpStream::connect(address(&timed_ready)).unwrap();
    let _held = std::net::TcpStream::connect(address(&capped_ready)).unwrap();
    let mut extra = std::net::TcpStream::connect(address(&capped_ready)).unwrap();

    // Assert
    assert!(
        closed_within_5s(&mut silent),
        "the header timeout did not close it"
    );
    assert!(closed_within_5s(&mut extra), "the cap did not close it");
    for child in [&mut timed, &mut capped] {
        signal(child, "TERM");
        assert_eq!(wait_with_timeout(child).code(), Some(0));
    }
}

#[test]
fn bad_connection_flags_exit_2_with_one_line_naming_the_problem() {
    for (args, expected) in [
        (
            &["--header-timeout", "0"][..],
            "--header-timeout \"0\" is not a number of seconds above 0 and at most 86400",
        ),
        (
            &["--body-timeout", "soon"][..],
            "--body-timeout \"soon\" is not a number of seconds",
        ),
        (
            &["--idle-timeout=86401"][..],
            "--idle-timeout \"86401\" is not a number of seconds",
        ),
        (
            &["--max-connections", "0"][..],
            "--max-connections \"0\" is not a number from 1 to 1048576",
        ),
        (
            &["--max-connections"][..],
            "--max-connections needs a number",
        ),
    ] {
        // Act
        let output = mockauth(args).output().unwrap();

        // Assert
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?} printed to stdout");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("mockauth: ") && stderr.contains(expected),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn sigterm_does_not_wait_for_held_connections() {
    // Arrange: a half-sent request and an idle keep-alive connection, held by a server whose
    // shutdown grace is 5 s and whose timeouts are 10 s and 60 s
    let (mut child, ready) = start(&["--port", "0"]);
    let addr = address(&ready);
    let mut half_sent = std::net::TcpStream::connect(&addr).unwrap();
    half_sent
        .write_all(b"POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let mut idle = std::net::TcpStream::connect(&addr).unwrap();
    idle.write_all(
        format!("GET /.well-known/openid-configuration HTTP/1.1\r\nHost: {addr}\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    let mut answer = [0u8; 12];
    idle.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 200");

    // Act
    let signalled = std::time::Instant::now();
    signal(&child, "TERM");
    let status = wait_with_timeout(&mut child);

    // Assert: neither is a request in flight, so neither holds the process for the grace
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0));
    assert!(took < Duration::from_secs(3), "stopping took {took:?}");
    assert!(closed_within_5s(&mut half_sent));
}
