//! Server start-up latency.
//!
//! Release (the `bench` profile): `cargo bench --bench start`
//! Debug (the `dev` profile, opt-level 0 for the crate and every dependency, i.e. what a
//! consumer's `cargo test` builds): `cargo bench --profile dev --bench start`
//!
//! Criterion's median is in `target/criterion/<group>/<name>/new/estimates.json`
//! (`.median.point_estimate`, in ns). Before criterion runs, the very first
//! `MockAuth::start_blocking()` of this process is timed once and printed to stderr: it pays
//! the one-time costs (aws-lc initialisation, the default user's password hash, the bundled
//! keys) that every later start skips.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use mockauth::MockAuth;

fn bench_start(c: &mut Criterion) {
    let mut group = c.benchmark_group("start");
    group.measurement_time(Duration::from_secs(5));
    // Start only: the server is dropped outside the timed region.
    group.bench_function("start_blocking", |b| {
        b.iter_with_large_drop(MockAuth::start_blocking);
    });
    // Start and stop: drop joins the server thread, so this is the full life of a test's server.
    group.bench_function("start_blocking+drop", |b| {
        b.iter(|| drop(black_box(MockAuth::start_blocking())));
    });
    group.finish();
}

fn main() {
    let t0 = Instant::now();
    let first = MockAuth::start_blocking();
    let first_start = t0.elapsed();
    let t1 = Instant::now();
    drop(first);
    let first_drop = t1.elapsed();
    let t2 = Instant::now();
    let second = MockAuth::start_blocking();
    let second_start = t2.elapsed();
    drop(second);
    eprintln!(
        "first start in a fresh process: {:.3} ms (its drop: {:.3} ms; the second start: {:.3} ms)",
        first_start.as_secs_f64() * 1e3,
        first_drop.as_secs_f64() * 1e3,
        second_start.as_secs_f64() * 1e3,
    );

    let mut c = Criterion::default().configure_from_args();
    bench_start(&mut c);
    c.final_summary();
}
