//! The bench-sized fuzz run (issue 8, "bounded under hostile load"): 100,000 generated
//! hostile requests against one server with every face mounted, with the generators and
//! checks of the CI-sized run (`tests/it/fuzz.rs`), included here as the same source files.
//!
//! Release (the `bench` profile): `cargo bench --bench fuzz`
//! Debug (overflow checks on, as in `cargo test`): `cargo bench --profile dev --bench fuzz`
//!
//! `MOCKAUTH_FUZZ_REQUESTS=N` sends N requests (default 100,000); `MOCKAUTH_FUZZ_SEED=S`
//! replays the run of seed S (the run prints its seed). One client on one keep-alive
//! connection (reopened when the server closes it), the server on two worker threads as the
//! binary has on two cores. The journal is read back every 500 requests and searched for
//! every secret those requests carried.
//!
//! Prints requests, seconds, requests per second, the status histogram, the journal's size
//! at the end and the process's VmRSS before and after (Linux; `/proc/self/status`). Exits
//! with 1 when an invariant breaks: no answer, a 5xx nothing injected, a secret in the
//! journal, or a server that no longer answers discovery and a token request afterwards.

#[path = "../tests/it/fuzz/cases.rs"]
mod cases;
#[path = "../tests/it/fuzz/harness.rs"]
mod harness;

use std::time::Instant;

use proptest::strategy::{Strategy as _, ValueTree as _};
use proptest::test_runner::{Config, RngSeed, TestRunner};

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value:?} is not a whole number")),
    )
}

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn fail(message: String) -> ! {
    eprintln!("fuzz bench: INVARIANT BROKEN: {message}");
    std::process::exit(1);
}

fn main() {
    let requests = env_number("MOCKAUTH_FUZZ_REQUESTS").unwrap_or(100_000);
    let seed = env_number("MOCKAUTH_FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            % 1_000_000_007
    });
    println!(
        "fuzz bench: {requests} requests, seed {seed} (MOCKAUTH_FUZZ_SEED={seed} replays this run)"
    );
    let rss_start = rss_mib();
    let mut harness = harness::Harness::start(2);
    harness.journal_every = 500;
    let rss_before = rss_mib();
    let strategy = cases::case();
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    });

    let started = Instant::now();
    let mut generating = std::time::Duration::ZERO;
    for i in 0..requests {
        let made = Instant::now();
        let case = strategy
            .new_tree(&mut runner)
            .expect("the generators always make a case")
            .current();
        generating += made.elapsed();
        if let Err(broken) = harness.run(&case) {
            fail(format!("request {i}: {broken}\n{case:#?}"));
        }
    }
    if let Err(broken) = harness.check_journal() {
        fail(broken);
    }
    let seconds = started.elapsed().as_secs_f64();
    if let Err(broken) = harness.still_serves() {
        fail(format!("after the run: {broken}"));
    }
    let rss_after = rss_mib();
    let (records, journal_bytes) = harness.journal_size();
    let stats = &harness.stats;
    println!(
        "fuzz bench: {} fuzzed requests (+ {} of the harness: fixture, fresh codes, journal reads) in {seconds:.1} s: {:.0} fuzzed requests/s",
        stats.requests,
        harness.harness_requests(),
        stats.requests as f64 / seconds
    );
    println!(
        "fuzz bench: {:.1} s of it making the cases (client side)",
        generating.as_secs_f64()
    );
    println!("fuzz bench: statuses {:?}", stats.statuses);
    println!(
        "fuzz bench: {} secrets looked for in {} journal records; none found, no 5xx",
        stats.secrets_checked, stats.records_checked
    );
    println!(
        "fuzz bench: journal at the end: {records} records, {journal_bytes} bytes as GET /api/auth-sandbox/requests?after=0&limit=10000 serves it"
    );
    println!(
        "fuzz bench: VmRSS {rss_start:.1} MiB at start, {rss_before:.1} MiB with the server and fixture up, {rss_after:.1} MiB after the run"
    );
}
