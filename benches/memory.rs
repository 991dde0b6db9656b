//! Resident memory of idle servers, read from `/proc/self/status` (Linux only; elsewhere it
//! prints that it cannot measure). Prints figures and asserts only that every server answers.
//!
//! Release (the `bench` profile): `cargo bench --bench memory`
//! Debug (the `dev` profile, opt-level 0 for the crate and every dependency, i.e. what a
//! consumer's `cargo test` builds): `cargo bench --profile dev --bench memory`
//! (`cargo bench --profile dev` works as is; no extra profile is needed).
//!
//! Steps: one server is started and dropped first, so that the one-time costs of the process
//! (aws-lc initialisation, the default user's password hash, the bundled keys, allocator
//! arenas) are paid before the baseline; its cost is printed too. Then one server is started
//! and left idle; then 500 servers are started at once, each answers one discovery request
//! (a raw HTTP/1.1 request on its own short-lived connection, so no client pool stays
//! behind), and they idle. The extra VmRSS over the baseline, divided by the count, is the
//! memory of one idle server.
//!
//! Last, live sessions: one server takes `SESSIONS` password logins with `offline_access`
//! (each leaves a session with a refresh token in the store) over one keep-alive
//! connection; the extra VmRSS divided by the count is the memory of one live session. Its
//! journal is kept to 64 KiB so that the figure is the sessions', not the journal's (whose
//! bytes are bounded by its own budget, 4 MiB by default).

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use mockauth::MockAuth;

const MANY: usize = 500;
const IDLE: Duration = Duration::from_millis(500);
const SESSIONS: usize = 20_000;

/// A field of `/proc/self/status` in its own unit (kB for memory, a count for threads).
fn status_field(name: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(name)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

fn rss_kib() -> u64 {
    status_field("VmRSS").unwrap_or(0)
}

fn threads() -> u64 {
    status_field("Threads").unwrap_or(0)
}

/// Open file descriptors of this process.
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, Iterator::count)
}

/// The soft limit on open files (`Max open files` in `/proc/self/limits`).
fn fd_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// GETs the discovery document on a fresh connection and says whether it answered 200.
fn discovery_answers(auth: &MockAuth) -> bool {
    let Ok(mut stream) = TcpStream::connect(auth.address()) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "GET /.well-known/openid-configuration HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        auth.address()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    answer.starts_with(b"HTTP/1.1 200")
}

fn main() {
    if status_field("VmRSS").is_none() {
        eprintln!("memory bench: /proc/self/status has no VmRSS here; nothing to measure");
        return;
    }
    let at_launch = rss_kib();
    let warm = MockAuth::start_blocking();
    assert!(
        discovery_answers(&warm),
        "the warm-up server did not answer"
    );
    std::thread::sleep(IDLE);
    let with_first = rss_kib();
    drop(warm);
    std::thread::sleep(IDLE);
    let baseline = rss_kib();
    let baseline_threads = threads();
    println!(
        "memory: process at launch {at_launch} KiB; the first server of the process (one-time costs included) +{} KiB; baseline after dropping it {baseline} KiB, {baseline_threads} threads",
        with_first.saturating_sub(at_launch)
    );

    let fds_before = open_fds();
    let one = MockAuth::start_blocking();
    assert!(discovery_answers(&one), "the single server did not answer");
    std::thread::sleep(IDLE);
    let with_one = rss_kib();
    let fds_per_server = open_fds().saturating_sub(fds_before).max(1);
    println!(
        "memory: 1 idle server: +{} KiB over the baseline, {} threads, {fds_per_server} file descriptors",
        with_one.saturating_sub(baseline),
        threads()
    );
    drop(one);
    std::thread::sleep(IDLE);
    let baseline = rss_kib();

    // Each server holds a few descriptors (listener, epoll, waker); stay under the soft limit
    // (often 1024) with room for the discovery connections.
    let many = match fd_limit() {
        Some(limit) if (MANY + 1) * fds_per_server + 64 > limit => {
            let fit = limit.saturating_sub(64) / (fds_per_server + 1);
            println!(
                "memory: the open-file limit is {limit}; starting {fit} servers instead of {MANY} (raise it with `ulimit -n` to run all)"
            );
            fit
        }
        _ => MANY,
    };
    let started = Instant::now();
    let servers: Vec<MockAuth> = (0..many).map(|_| MockAuth::start_blocking()).collect();
    let start_time = started.elapsed();
    let answered = servers.iter().filter(|s| discovery_answers(s)).count();
    let round_time = started.elapsed() - start_time;
    std::thread::sleep(IDLE);
    let with_many = rss_kib();
    let many_threads = threads();
    let extra = with_many.saturating_sub(baseline);
    println!(
        "memory: {many} idle servers: +{extra} KiB over the baseline = {:.1} KiB per server; {answered}/{many} answered discovery; {many_threads} threads; started in {:.1} ms, discovery round in {:.1} ms",
        extra as f64 / many.max(1) as f64,
        start_time.as_secs_f64() * 1e3,
        round_time.as_secs_f64() * 1e3,
    );
    let stopping = Instant::now();
    drop(servers);
    let stop_time = stopping.elapsed();
    std::thread::sleep(IDLE);
    println!(
        "memory: after dropping the {many}: {} KiB ({} threads), dropped in {:.1} ms; peak VmHWM {} KiB",
        rss_kib(),
        threads(),
        stop_time.as_secs_f64() * 1e3,
        status_field("VmHWM").unwrap_or(0)
    );
    assert_eq!(answered, many, "every server answers its discovery request");

    sessions();
}

/// The memory one live session (password login with `offline_access`) leaves behind.
fn sessions() {
    let auth = MockAuth::builder()
        .journal_bytes(64 * 1024)
        .start_blocking();
    let client = auth.default_client();
    let (id, secret) = (
        client.client_id().to_owned(),
        client.client_secret().expect("confidential").to_owned(),
    );
    let mut stream = TcpStream::connect(auth.address()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    let form = format!(
        "grant_type=password&username={}&password={}&scope=openid%20offline_access&client_id={id}&client_secret={secret}",
        mockauth::DEFAULT_USERNAME,
        mockauth::DEFAULT_PASSWORD
    );
    let request = format!(
        "POST /token HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        auth.address(),
        form.len()
    );
    let mut login = || {
        stream.write_all(request.as_bytes()).expect("send a login");
        let answer = read_answer(&mut stream);
        assert!(
            answer.starts_with("HTTP/1.1 200") && answer.contains("refresh_token"),
            "a login with a refresh token: {answer}"
        );
    };
    // The journal fills its 64 KiB and the allocator settles first.
    for _ in 0..500 {
        login();
    }
    std::thread::sleep(IDLE);
    let before = rss_kib();
    let started = Instant::now();
    for _ in 0..SESSIONS {
        login();
    }
    let took = started.elapsed();
    std::thread::sleep(IDLE);
    let extra = rss_kib().saturating_sub(before);
    println!(
        "memory: {SESSIONS} live sessions (password + offline_access): +{extra} KiB = {:.0} bytes per session; {:.2} ms per login",
        extra as f64 * 1024.0 / SESSIONS as f64,
        took.as_secs_f64() * 1e3 / SESSIONS as f64
    );
}

/// One HTTP/1.1 answer with a `Content-Length` body, read off a keep-alive connection.
fn read_answer(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut byte = [0u8; 4096];
    loop {
        let n = stream.read(&mut byte).expect("read an answer");
        assert!(n > 0, "the server closed the connection");
        answer.extend_from_slice(&byte[..n]);
        let text = String::from_utf8_lossy(&answer);
        if let Some(head_end) = text.find("\r\n\r\n") {
            let length = text[..head_end]
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if answer.len() >= head_end + 4 + length {
                return text.into_owned();
            }
        }
    }
}
