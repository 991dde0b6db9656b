//! Held connections: 300 connections that send half a request head and stop are closed by
//! the header timeout, and normal requests made meanwhile answer within 100 ms. Prints
//! figures; asserts only that every normal request answered 200 and that every held
//! connection was closed.
//!
//! Release (the `bench` profile): `cargo bench --bench held_connections`
//! `HELD=N` changes the number of held connections (300); `HEADER_TIMEOUT_MS=N` the
//! server's header timeout (the default, 10 s).
//!
//! Steps: a server set up as the binary sets it up (one worker thread per CPU, a 5 s
//! shutdown grace, the default timeouts and connection cap) answers a round of normal
//! requests first, as a baseline: a discovery GET and a client_credentials POST /token,
//! each on a fresh connection (connect, request, whole answer). Then the held connections
//! open, each sending `POST /token HTTP/1.1\r\nHost: …\r\n` and nothing more. While they
//! are held, a round of normal requests runs every 250 ms; each held connection's close is
//! timed from its opening.

use std::io::{ErrorKind, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use mockauth::MockAuth;

const BOUND: Duration = Duration::from_millis(100);

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.parse().ok()
}

/// One request on a fresh connection: its status line's code and how long it took.
fn request(addr: SocketAddr, raw: &str) -> (u16, Duration) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(raw.as_bytes()).expect("send");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let took = started.elapsed();
    let status = std::str::from_utf8(&answer)
        .ok()
        .and_then(|a| a.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, took)
}

/// The normal requests: discovery, then a client_credentials token.
struct Normal {
    discovery: String,
    token: String,
}

impl Normal {
    fn new(auth: &MockAuth) -> Self {
        let addr = auth.address();
        let client = auth.default_client();
        let form = format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            client.client_id(),
            client.client_secret().expect("a confidential client")
        );
        Self {
            discovery: format!(
                "GET /.well-known/openid-configuration HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
            ),
            token: format!(
                "POST /token HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
                form.len()
            ),
        }
    }

    /// One round; pushes each time and panics unless both answer 200.
    fn round(&self, addr: SocketAddr, discovery: &mut Vec<Duration>, token: &mut Vec<Duration>) {
        let (status, took) = request(addr, &self.discovery);
        assert_eq!(status, 200, "discovery answered {status}");
        discovery.push(took);
        let (status, took) = request(addr, &self.token);
        assert_eq!(status, 200, "POST /token answered {status}");
        token.push(took);
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// `median / p95 / max` in ms.
fn summary(times: &mut [Duration]) -> String {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    format!(
        "n={} median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        times.len(),
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(1.0))
    )
}

fn main() {
    let held_count = env_number("HELD").unwrap_or(300) as usize;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut builder = MockAuth::builder()
        .worker_threads(threads)
        .shutdown_grace(Duration::from_secs(5));
    let header_timeout = match env_number("HEADER_TIMEOUT_MS") {
        Some(ms) => {
            builder = builder.header_timeout(Duration::from_millis(ms));
            Duration::from_millis(ms)
        }
        None => Duration::from_secs(10),
    };
    let auth = builder.start_blocking();
    let addr = auth.address();
    let normal = Normal::new(&auth);

    // Warm-up (first signature, first connection), then the baseline.
    let (mut discovery, mut token) = (Vec::new(), Vec::new());
    normal.round(addr, &mut discovery, &mut token);
    let (mut discovery, mut token) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        normal.round(addr, &mut discovery, &mut token);
    }
    println!(
        "held_connections: {threads} worker threads, header timeout {header_timeout:?}, {held_count} held connections"
    );
    println!(
        "held_connections: baseline, nothing held: discovery {}; token {}",
        summary(&mut discovery),
        summary(&mut token)
    );

    // The held connections.
    let head = format!("POST /token HTTP/1.1\r\nHost: {addr}\r\n");
    let opening = Instant::now();
    let mut held: Vec<(TcpStream, Instant, Option<Duration>)> = (0..held_count)
        .map(|_| {
            let opened = Instant::now();
            let mut stream = TcpStream::connect(addr).expect("connect a held connection");
            stream.write_all(head.as_bytes()).expect("half a head");
            stream.set_nonblocking(true).unwrap();
            (stream, opened, None)
        })
        .collect();
    println!(
        "held_connections: {held_count} opened in {:.1} ms",
        ms(opening.elapsed())
    );

    // Meanwhile: a round of normal requests every 250 ms; closes polled every 5 ms.
    let (mut discovery, mut token) = (Vec::new(), Vec::new());
    let give_up = Instant::now() + header_timeout + Duration::from_secs(20);
    let mut next_round = Instant::now();
    let mut answer_bytes = 0usize;
    loop {
        if Instant::now() >= next_round {
            normal.round(addr, &mut discovery, &mut token);
            next_round += Duration::from_millis(250);
        }
        let mut open = 0;
        for (stream, opened, closed) in held.iter_mut().filter(|(_, _, c)| c.is_none()) {
            let mut buf = [0u8; 256];
            match stream.read(&mut buf) {
                Err(e) if e.kind() == ErrorKind::WouldBlock => open += 1,
                Ok(n) if n > 0 => {
                    answer_bytes += n;
                    open += 1;
                }
                _ => *closed = Some(opened.elapsed()),
            }
        }
        if open == 0 || Instant::now() >= give_up {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }

    let mut closes: Vec<Duration> = held.iter().filter_map(|(_, _, c)| *c).collect();
    let closed = closes.len();
    println!(
        "held_connections: while held: discovery {}; token {}",
        summary(&mut discovery),
        summary(&mut token)
    );
    if closes.is_empty() {
        println!("held_connections: none of the {held_count} was closed");
    } else {
        closes.sort();
        println!(
            "held_connections: {closed}/{held_count} closed by the server, {:.0}–{:.0} ms after opening (median {:.0} ms); {answer_bytes} bytes answered to them",
            ms(closes[0]),
            ms(closes[closes.len() - 1]),
            ms(closes[closes.len() / 2]),
        );
    }
    let slowest = discovery
        .iter()
        .chain(&token)
        .max()
        .copied()
        .unwrap_or_default();
    println!(
        "held_connections: bound \"a normal request answers within {} ms while they are held\": {} (slowest {:.2} ms)",
        BOUND.as_millis(),
        if slowest <= BOUND { "holds" } else { "EXCEEDED" },
        ms(slowest)
    );
    let stopping = Instant::now();
    drop(auth);
    println!(
        "held_connections: server dropped in {:.1} ms",
        ms(stopping.elapsed())
    );
    assert_eq!(closed, held_count, "every held connection is closed");
}
