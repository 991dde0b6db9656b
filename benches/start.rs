//! Server start-up latency.
//!
//! Release (the `bench` profile): `cargo bench --bench start`
//! Debug (the `dev` profile, opt-level 0 for the crate and every dependency, i.e. what a
//! consumer's `cargo test` builds): `cargo bench --profile dev --bench start`
//!
//! `cargo bench --profile dev` works as is (no extra profile is needed); `CRITERION_HOME=DIR`
//! keeps the two profiles' results apart. Criterion's median is in
//! `target/criterion/start/<name>/new/estimates.json` (`.median.point_estimate`, in ns).
//!
//! Before criterion runs, the very first `MockAuth::start_blocking()` of this process is
//! timed once and printed to stderr, then that server's first and second client_credentials
//! tokens (raw HTTP/1.1, no client library), its drop, a second start and that server's first
//! token. The first start pays the process's one-time costs of starting (the default user's
//! password hash, the bundled keys); the first *token* of the process pays aws-lc's one-time
//! CPU-jitter entropy collection (its first `RAND_bytes`, for RSA blinding), about 24 ms here.

use std::hint::black_box;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion};
use mockauth::MockAuth;

fn bench_start(c: &mut Criterion) {
    let mut group = c.benchmark_group("start");
    group.measurement_time(Duration::from_secs(5));
    // Start only: the servers are dropped outside the timed region. This is
    // `iter_with_large_drop` with a bounded batch: that one keeps a tenth of a sample alive
    // (up to ~250 servers here, ~5 descriptors each), which can pass a 1024 open-file limit.
    group.bench_function("start_blocking", |b| {
        b.iter_batched(
            || (),
            |()| MockAuth::start_blocking(),
            BatchSize::NumIterations(32),
        );
    });
    // Start and stop: drop joins the server thread, so this is the full life of a test's server.
    group.bench_function("start_blocking+drop", |b| {
        b.iter(|| drop(black_box(MockAuth::start_blocking())));
    });
    group.finish();
}

/// One client_credentials token over a fresh connection with a raw HTTP/1.1 request (no HTTP
/// client library, so none of a client's own first-use costs are counted); the status line.
fn raw_client_credentials(auth: &MockAuth) -> String {
    let client = auth.default_client();
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "client_credentials")
        .append_pair("client_id", client.client_id())
        .append_pair("client_secret", client.client_secret().unwrap_or_default())
        .finish();
    let request = format!(
        "POST /token HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        auth.address(),
        body.len()
    );
    let mut stream = TcpStream::connect(auth.address()).expect("connect to the server");
    stream
        .write_all(request.as_bytes())
        .expect("send the token request");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.lines().next().unwrap_or_default().to_owned()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    // The very first start of this process, before anything else has touched the crate.
    let t0 = Instant::now();
    let first = MockAuth::start_blocking();
    let first_start = t0.elapsed();
    let t1 = Instant::now();
    let status = raw_client_credentials(&first);
    let first_token = t1.elapsed();
    let t2 = Instant::now();
    let second_token_status = raw_client_credentials(&first);
    let second_token = t2.elapsed();
    let t3 = Instant::now();
    drop(first);
    let first_drop = t3.elapsed();
    let t4 = Instant::now();
    let second = MockAuth::start_blocking();
    let second_start = t4.elapsed();
    let t5 = Instant::now();
    let second_server_status = raw_client_credentials(&second);
    let second_server_token = t5.elapsed();
    drop(second);
    eprintln!(
        "first start in a fresh process: {:.3} ms; then its first client_credentials token {:.3} ms ({status}), \
         the second {:.3} ms ({second_token_status}); its drop {:.3} ms; \
         the second start {:.3} ms, and that server's first token {:.3} ms ({second_server_status})",
        ms(first_start),
        ms(first_token),
        ms(second_token),
        ms(first_drop),
        ms(second_start),
        ms(second_server_token),
    );

    let mut c = Criterion::default().configure_from_args();
    bench_start(&mut c);
    c.final_summary();
}
