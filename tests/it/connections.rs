//! Connection limits over real TCP: the header, body and idle timeouts, the connection cap,
//! and dropping a server that holds connections (`MockAuthBuilder::header_timeout` and the
//! setters after it, `shutdown_grace`).

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use mockauth::{Endpoint, Fault, MockAuth};

/// The timeout a test shortens.
const SHORT: Duration = Duration::from_millis(200);
/// A timeout a test does not want to see fire.
const LONG: Duration = Duration::from_secs(60);
/// "Promptly", generously: what a loaded machine still manages.
const WITHIN: Duration = Duration::from_secs(5);

fn connect(addr: SocketAddr) -> TcpStream {
    TcpStream::connect(addr).unwrap()
}

fn get_discovery(addr: SocketAddr) -> String {
    format!("GET /.well-known/openid-configuration HTTP/1.1\r\nHost: {addr}\r\n\r\n")
}

/// Reads until the server closes the connection (end of stream or reset) and returns what
/// arrived before; panics if it is still open after `within`.
fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Vec<u8> {
    let deadline = Instant::now() + within;
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "the connection is still open after {within:?}"
        );
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buf) {
            Ok(0) => return received,
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return received, // reset
        }
    }
}

/// Reads one answer on a keep-alive connection (by its `Content-Length`): its status and body.
fn read_answer(stream: &mut TcpStream) -> (u16, String) {
    stream.set_read_timeout(Some(WITHIN)).unwrap();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut buf).expect("an answer");
        assert!(n > 0, "closed before an answer");
        received.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&received[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .expect("a Content-Length");
    while received.len() < head_end + length {
        let n = stream.read(&mut buf).expect("the rest of the body");
        assert!(n > 0, "closed inside the body");
        received.extend_from_slice(&buf[..n]);
    }
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let body = String::from_utf8_lossy(&received[head_end..]).into_owned();
    (status, body)
}

/// Whether the server still holds `stream` open (nothing to read, no end of stream).
fn still_open(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let open =
        matches!((&*stream).read(&mut [0u8; 1]), Err(e) if e.kind() == ErrorKind::WouldBlock);
    stream.set_nonblocking(false).unwrap();
    open
}

/// Discovery on a fresh connection, retried until it answers 200 or `within` passes: the
/// server frees a slot when it has seen a held connection close, a moment after the client.
fn discovery_answers_within(addr: SocketAddr, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        let mut stream = connect(addr);
        if stream.write_all(get_discovery(addr).as_bytes()).is_ok() {
            let answer = read_until_closed_or_answered(&mut stream);
            if answer.starts_with(b"HTTP/1.1 200") {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// The first bytes the server sends, or nothing when it closes without an answer.
fn read_until_closed_or_answered(stream: &mut TcpStream) -> Vec<u8> {
    stream.set_read_timeout(Some(WITHIN)).unwrap();
    let mut buf = [0u8; 64];
    match stream.read(&mut buf) {
        Ok(n) => buf[..n].to_vec(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn a_connection_that_never_finishes_its_head_is_closed_after_the_header_timeout() {
    // Arrange
    let auth = MockAuth::builder()
        .header_timeout(SHORT)
        .idle_timeout(LONG)
        .start_blocking();
    let opened = Instant::now();
    let mut half_sent = connect(auth.address());
    let mut silent = connect(auth.address());

    // Act
    half_sent
        .write_all(b"POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: applica")
        .unwrap();
    let half_sent_got = read_until_closed(&mut half_sent, WITHIN);
    let silent_got = read_until_closed(&mut silent, WITHIN);

    // Assert
    assert!(
        half_sent_got.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&half_sent_got)
    );
    assert!(
        silent_got.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&silent_got)
    );
    assert!(
        opened.elapsed() >= SHORT,
        "closed before the header timeout"
    );
    assert!(auth.requests().is_empty(), "no request was recorded");
}

#[test]
fn a_keep_alive_connection_that_stalls_inside_its_next_head_gets_the_header_timeout() {
    // Arrange
    let auth = MockAuth::builder()
        .header_timeout(SHORT)
        .idle_timeout(LONG)
        .start_blocking();
    let mut stream = connect(auth.address());
    stream
        .write_all(get_discovery(auth.address()).as_bytes())
        .unwrap();
    assert_eq!(read_answer(&mut stream).0, 200);

    // Act: the next head starts, and stops
    stream.write_all(b"GET /jwks HTTP/1.1\r\nHo").unwrap();
    let got = read_until_closed(&mut stream, WITHIN);

    // Assert: closed well before the 60 s idle timeout, without an answer
    assert!(got.is_empty(), "{:?}", String::from_utf8_lossy(&got));
}

#[test]
fn the_header_timeout_does_not_cut_an_idle_keep_alive_connection() {
    // Arrange
    let auth = MockAuth::builder()
        .header_timeout(SHORT)
        .idle_timeout(LONG)
        .start_blocking();
    let mut stream = connect(auth.address());
    stream
        .write_all(get_discovery(auth.address()).as_bytes())
        .unwrap();
    assert_eq!(read_answer(&mut stream).0, 200);

    // Act: idle for three header timeouts, then the next request on the same connection
    std::thread::sleep(SHORT * 3);
    stream
        .write_all(get_discovery(auth.address()).as_bytes())
        .unwrap();

    // Assert
    assert_eq!(read_answer(&mut stream).0, 200);
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    // Arrange
    let auth = MockAuth::builder()
        .idle_timeout(SHORT)
        .header_timeout(LONG)
        .start_blocking();
    let mut stream = connect(auth.address());
    stream
        .write_all(get_discovery(auth.address()).as_bytes())
        .unwrap();
    let (status, _) = read_answer(&mut stream);
    let answered = Instant::now();

    // Act
    let got = read_until_closed(&mut stream, WITHIN);

    // Assert
    assert_eq!(status, 200);
    assert!(got.is_empty(), "{:?}", String::from_utf8_lossy(&got));
    assert!(
        answered.elapsed() >= SHORT,
        "closed before the idle timeout"
    );
}

#[test]
fn each_answer_starts_the_idle_timeout_again() {
    // Arrange: five requests, half an idle timeout apart, outlast one idle timeout
    let idle = Duration::from_secs(2);
    let auth = MockAuth::builder()
        .idle_timeout(idle)
        .header_timeout(LONG)
        .start_blocking();
    let mut stream = connect(auth.address());
    let started = Instant::now();

    // Act / Assert
    for _ in 0..5 {
        std::thread::sleep(idle / 4);
        stream
            .write_all(get_discovery(auth.address()).as_bytes())
            .unwrap();
        assert_eq!(read_answer(&mut stream).0, 200);
    }
    assert!(started.elapsed() > idle);
}

#[test]
fn no_timeout_runs_while_a_request_is_in_flight() {
    // Arrange: the answer takes longer than both the header and the idle timeout
    let auth = MockAuth::builder()
        .header_timeout(SHORT)
        .idle_timeout(SHORT)
        .start_blocking();
    auth.fault(Endpoint::Discovery)
        .inject(Fault::delay(SHORT * 4))
        .mount();
    let mut stream = connect(auth.address());

    // Act
    stream
        .write_all(get_discovery(auth.address()).as_bytes())
        .unwrap();

    // Assert
    assert_eq!(read_answer(&mut stream).0, 200);
}

#[test]
fn a_body_that_never_completes_is_answered_408_after_the_body_timeout() {
    // Arrange
    let auth = MockAuth::builder()
        .body_timeout(SHORT)
        .header_timeout(LONG)
        .idle_timeout(LONG)
        .start_blocking();
    let mut stream = connect(auth.address());
    let sent = Instant::now();

    // Act: 64 bytes announced, 22 sent
    stream
        .write_all(
            b"POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 64\r\n\r\n\
              grant_type=client_cred",
        )
        .unwrap();
    let got = read_until_closed(&mut stream, WITHIN);

    // Assert: an answer, then the connection closes
    let got = String::from_utf8(got).unwrap();
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    assert!(
        got.to_ascii_lowercase().contains("connection: close"),
        "{got}"
    );
    assert!(got.contains("body timeout"), "{got}");
    assert!(sent.elapsed() >= SHORT, "answered before the body timeout");
    let recorded = auth.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        (recorded[0].path.as_str(), recorded[0].status),
        ("/token", 408)
    );
}

#[test]
fn beyond_max_connections_a_new_connection_is_closed_at_once_until_a_slot_frees() {
    // Arrange: two connections hold both slots (no timeout will free them)
    let auth = MockAuth::builder()
        .max_connections(2)
        .header_timeout(LONG)
        .idle_timeout(LONG)
        .start_blocking();
    let addr = auth.address();
    let mut held: Vec<TcpStream> = (0..2).map(|_| connect(addr)).collect();

    // Act: three more
    let extra: Vec<Vec<u8>> = (0..3)
        .map(|_| {
            let mut stream = connect(addr);
            let _ = stream.write_all(get_discovery(addr).as_bytes());
            read_until_closed(&mut stream, WITHIN)
        })
        .collect();

    // Assert: each extra one was closed without an answer; the held ones are still open
    for got in &extra {
        assert!(got.is_empty(), "{:?}", String::from_utf8_lossy(got));
    }
    assert!(held.iter().all(still_open), "a held connection was closed");

    // Act: one held connection goes away
    drop(held.pop());

    // Assert: a normal request is served again, on the freed slot
    assert!(discovery_answers_within(addr, WITHIN));
    assert!(still_open(&held[0]));
}

#[test]
fn connections_held_beyond_the_cap_give_way_after_the_header_timeout() {
    // Arrange: eight half-sent requests against a cap of four
    let auth = MockAuth::builder()
        .max_connections(4)
        .header_timeout(SHORT)
        .start_blocking();
    let addr = auth.address();
    let mut held: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut stream = connect(addr);
            let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: 1");
            stream
        })
        .collect();

    // Act / Assert: all eight are closed, and a normal request is served
    for stream in &mut held {
        read_until_closed(stream, WITHIN);
    }
    assert!(discovery_answers_within(addr, WITHIN));
}

#[test]
fn dropping_a_server_that_holds_idle_and_half_sent_connections_returns_promptly() {
    // Arrange: a grace far longer than the test, and no timeout that would fire
    let auth = MockAuth::builder()
        .shutdown_grace(LONG)
        .header_timeout(LONG)
        .idle_timeout(LONG)
        .start_blocking();
    let addr = auth.address();
    let mut silent = connect(addr);
    let mut half_sent = connect(addr);
    half_sent.write_all(b"POST /token HTTP/1.1\r\nHos").unwrap();
    let mut idle = connect(addr);
    idle.write_all(get_discovery(addr).as_bytes()).unwrap();
    assert_eq!(read_answer(&mut idle).0, 200);

    // Act
    let dropping = Instant::now();
    drop(auth);
    let took = dropping.elapsed();

    // Assert: none of them is a request in flight, so none waits for the grace
    assert!(took < WITHIN, "dropping took {took:?}");
    for stream in [&mut silent, &mut half_sent, &mut idle] {
        assert!(read_until_closed(stream, WITHIN).is_empty());
    }
}

#[test]
fn dropping_a_server_with_a_request_in_flight_waits_no_longer_than_the_grace() {
    // Arrange: a request that never gets an answer
    let grace = Duration::from_millis(300);
    let auth = MockAuth::builder().shutdown_grace(grace).start_blocking();
    auth.fault(Endpoint::Discovery)
        .inject(Fault::hang())
        .mount();
    let mut hung = connect(auth.address());
    hung.write_all(get_discovery(auth.address()).as_bytes())
        .unwrap();
    let arrived = Instant::now() + WITHIN;
    while auth.requests().is_empty() {
        assert!(Instant::now() < arrived, "the request never arrived");
        std::thread::sleep(Duration::from_millis(10));
    }

    // Act
    let dropping = Instant::now();
    drop(auth);
    let took = dropping.elapsed();

    // Assert: the grace was given, and then the connection was closed
    assert!(took >= grace, "dropping took {took:?}, less than the grace");
    assert!(took < WITHIN, "dropping took {took:?}");
    assert!(read_until_closed(&mut hung, WITHIN).is_empty());
}

#[test]
#[should_panic(expected = "MockAuthBuilder::header_timeout must be above zero and at most 24 h")]
fn a_zero_header_timeout_is_refused() {
    let _ = MockAuth::builder().header_timeout(Duration::ZERO);
}

#[test]
#[should_panic(expected = "MockAuthBuilder::body_timeout must be above zero and at most 24 h")]
fn a_zero_body_timeout_is_refused() {
    let _ = MockAuth::builder().body_timeout(Duration::ZERO);
}

#[test]
#[should_panic(expected = "MockAuthBuilder::idle_timeout must be above zero and at most 24 h")]
fn an_idle_timeout_beyond_a_day_is_refused() {
    let _ = MockAuth::builder().idle_timeout(Duration::from_secs(86_401));
}

#[test]
#[should_panic(expected = "MockAuthBuilder::max_connections must be between 1 and 1048576, not 0")]
fn a_cap_of_zero_connections_is_refused() {
    let _ = MockAuth::builder().max_connections(0);
}
