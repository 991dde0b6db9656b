//! The journal under a flood of large requests: memory stays within its byte budget and
//! reading it back stays quick, while the server keeps answering.
//!
//! Release (the `bench` profile): `cargo bench --bench journal`
//! Debug (the `dev` profile, what a consumer's `cargo test` builds):
//! `cargo bench --profile dev --bench journal`
//!
//! Linux only (VmRSS from `/proc/self/status`; elsewhere it prints that it cannot measure).
//! One server with the default journal (10,000 requests within 4 MiB) and the default body
//! limit (64 KiB), two worker threads as the binary has on two cores. Then:
//!
//! 1. 10,000 POSTs of about 123 KiB (a 63 KiB query and a 60 KiB form body of 600
//!    parameters) to an unknown path, over 4 keep-alive connections: the process's VmRSS
//!    growth must stay within the byte budget + 32 MiB;
//! 2. 2,000 of the same to the token endpoint (recorded with their parameters, cut, some
//!    5 KiB each: the budget fills several times over): the growth over the start must
//!    still stay within that bound;
//! 3. an admin read of the journal (`GET /api/auth-sandbox/requests`, the default page and
//!    the largest one, `?after=0&limit=10000`) must answer within 1 s, and a JWKS request
//!    made while the large read runs is timed too.
//!
//! Prints the figures; panics when a bound is broken.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use mockauth::MockAuth;

const REQUESTS: usize = 10_000;
/// Requests of the second flood, to the token endpoint: enough to fill the budget many
/// times over with the largest records.
const TOKEN_REQUESTS: usize = 2_000;
/// The query's length: hyper refuses a request target of 65,534 bytes or more.
const QUERY_BYTES: usize = 63 * 1024;
const CONNECTIONS: usize = 4;
const BUDGET: u64 = 4 * 1024 * 1024;
const SLACK: u64 = 32 * 1024 * 1024;
const READ_BOUND: Duration = Duration::from_secs(1);

fn status_kib(name: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(name)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

fn rss_bytes() -> u64 {
    status_kib("VmRSS").unwrap_or(0) * 1024
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// One keep-alive HTTP/1.1 connection.
struct Connection {
    reader: BufReader<TcpStream>,
    host: String,
}

impl Connection {
    fn open(address: SocketAddr) -> Self {
        let stream = TcpStream::connect(address).expect("connect");
        stream.set_nodelay(true).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        Self {
            reader: BufReader::new(stream),
            host: address.to_string(),
        }
    }

    /// Sends one request and reads its answer: `(status, body)`.
    fn send(&mut self, method: &str, target: &str, headers: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let head = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n{headers}\r\n",
            self.host,
            body.len()
        );
        let stream = self.reader.get_mut();
        stream.write_all(head.as_bytes()).expect("write head");
        stream.write_all(body).expect("write body");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {line:?}"));
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header line");
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().expect("content-length");
                }
            }
        }
        let mut answer = vec![0; length];
        self.reader.read_exact(&mut answer).expect("body");
        (status, answer)
    }
}

/// `requests` POSTs of a 63 KiB query and a 60 KiB form body to `path`, over `CONNECTIONS`
/// connections; every answer must have `status`. Returns the time taken.
fn flood(address: SocketAddr, path: &str, requests: usize, status: u16) -> Duration {
    let query = format!("q={}", "q".repeat(QUERY_BYTES));
    let body: String = (0..600)
        .map(|i| format!("p{i:03}={}", "v".repeat(96)))
        .collect::<Vec<_>>()
        .join("&");
    let target = format!("{path}?{query}");
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..CONNECTIONS {
            scope.spawn(|| {
                let mut connection = Connection::open(address);
                for _ in 0..requests / CONNECTIONS {
                    let (got, answer) = connection.send(
                        "POST",
                        &target,
                        "Content-Type: application/x-www-form-urlencoded\r\n",
                        body.as_bytes(),
                    );
                    assert_eq!(got, status, "{}", String::from_utf8_lossy(&answer));
                }
            });
        }
    });
    started.elapsed()
}

/// An admin read of the journal: `(time, answer bytes, records)`.
fn admin_read(address: SocketAddr, token: &str, query: &str) -> (Duration, usize, usize) {
    let mut connection = Connection::open(address);
    let started = Instant::now();
    let (status, answer) = connection.send(
        "GET",
        &format!("/api/auth-sandbox/requests{query}"),
        &format!("Authorization: Bearer {token}\r\n"),
        b"",
    );
    let took = started.elapsed();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let records: Vec<serde_json::Value> = serde_json::from_slice(&answer).expect("JSON array");
    (took, answer.len(), records.len())
}

fn jwks_time(address: SocketAddr) -> Duration {
    let mut connection = Connection::open(address);
    let started = Instant::now();
    let (status, _) = connection.send("GET", "/.well-known/jwks.json", "", b"");
    assert_eq!(status, 200);
    started.elapsed()
}

fn main() {
    if status_kib("VmRSS").is_none() {
        eprintln!("journal bench: /proc/self/status has no VmRSS here; nothing to measure");
        return;
    }
    let auth = MockAuth::builder().worker_threads(2).start_blocking();
    let address = auth.address();
    let token = auth.admin_token().to_owned();
    // Warm up: the connections, the allocator's arenas, one of each request.
    flood_warm_up(address);
    std::thread::sleep(Duration::from_millis(300));
    let baseline = rss_bytes();
    println!(
        "journal: baseline VmRSS {:.1} MiB (server started and warmed up)",
        mib(baseline)
    );

    let took = flood(address, "/nowhere", REQUESTS, 404);
    let after_unknown = rss_bytes();
    println!(
        "journal: {REQUESTS} POSTs of ~123 KiB to an unknown path in {:.2} s ({:.0}/s); VmRSS {:.1} MiB, growth {:.1} MiB",
        took.as_secs_f64(),
        REQUESTS as f64 / took.as_secs_f64(),
        mib(after_unknown),
        mib(after_unknown.saturating_sub(baseline)),
    );

    let took = flood(address, "/token", TOKEN_REQUESTS, 400);
    let after_token = rss_bytes();
    println!(
        "journal: {TOKEN_REQUESTS} POSTs of ~123 KiB to the token endpoint in {:.2} s ({:.0}/s); VmRSS {:.1} MiB, growth over the baseline {:.1} MiB",
        took.as_secs_f64(),
        TOKEN_REQUESTS as f64 / took.as_secs_f64(),
        mib(after_token),
        mib(after_token.saturating_sub(baseline)),
    );

    let (default_took, default_bytes, default_records) = admin_read(address, &token, "");
    println!(
        "journal: admin read, default page: {default_records} records, {:.2} MiB, in {:.1} ms",
        mib(default_bytes as u64),
        default_took.as_secs_f64() * 1e3
    );
    let (largest, jwks) = std::thread::scope(|scope| {
        let read = scope.spawn(|| admin_read(address, &token, "?after=0&limit=10000"));
        std::thread::sleep(Duration::from_millis(1));
        let jwks = jwks_time(address);
        (read.join().unwrap(), jwks)
    });
    let (largest_took, largest_bytes, largest_records) = largest;
    println!(
        "journal: admin read, ?after=0&limit=10000: {largest_records} records, {:.2} MiB, in {:.1} ms; a JWKS request meanwhile took {:.1} ms",
        mib(largest_bytes as u64),
        largest_took.as_secs_f64() * 1e3,
        jwks.as_secs_f64() * 1e3
    );
    let grown = after_unknown.max(after_token).saturating_sub(baseline);
    println!(
        "journal: largest growth {:.1} MiB (bound: budget {:.0} MiB + {:.0} MiB = {:.0} MiB); peak VmHWM {:.1} MiB; reads within {} ms: {}",
        mib(grown),
        mib(BUDGET),
        mib(SLACK),
        mib(BUDGET + SLACK),
        mib(status_kib("VmHWM").unwrap_or(0) * 1024),
        READ_BOUND.as_millis(),
        default_took.max(largest_took) <= READ_BOUND
    );
    assert!(
        grown <= BUDGET + SLACK,
        "VmRSS grew {:.1} MiB, over the byte budget + 32 MiB",
        mib(grown)
    );
    assert!(
        default_took <= READ_BOUND && largest_took <= READ_BOUND,
        "an admin read of the journal took more than {} ms",
        READ_BOUND.as_millis()
    );
    drop(auth);
}

/// A few requests of each kind before the baseline.
fn flood_warm_up(address: SocketAddr) {
    let mut connection = Connection::open(address);
    for path in ["/nowhere", "/token"] {
        for _ in 0..20 {
            connection.send(
                "POST",
                &format!("{path}?q={}", "q".repeat(QUERY_BYTES)),
                "Content-Type: application/x-www-form-urlencoded\r\n",
                "a=b".repeat(20_000).as_bytes(),
            );
        }
    }
    jwks_time(address);
}
