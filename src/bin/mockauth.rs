//! The standalone server: flags → `MockAuthBuilder` → one JSON ready line → run until
//! SIGINT/SIGTERM. Kept thin; everything else is the library.

use std::net::IpAddr;
use std::process::ExitCode;
use std::time::Duration;

use mockauth::{MockAuth, MockAuthBuilder};

const USAGE: &str = "usage: mockauth [--host 127.0.0.1] [--port 8085] [--config FILE] [--seed N] [--client-id ID] [--client-secret SECRET] [--admin-token TOKEN] [--face identity|service|apps[=PREFIX]]... [--journal-bytes N] [--header-timeout 10] [--body-timeout 30] [--idle-timeout 60] [--max-connections 512]";

fn main() -> ExitCode {
    let Launch { builder, seeded } = match parse(std::env::args().skip(1)) {
        Ok(Some(launch)) => launch,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("mockauth: {message}");
            return ExitCode::from(2);
        }
    };
    let auth = match builder.try_start() {
        Ok(auth) => auth,
        Err(e) => {
            if e.kind() == std::io::ErrorKind::InvalidInput {
                // What a config declared collides with what the flags made.
                eprintln!("mockauth: {e}");
            } else {
                eprintln!("mockauth: cannot listen: {e}");
            }
            return ExitCode::from(2);
        }
    };
    // Handlers first, ready line second: a supervisor may signal as soon as it reads it.
    let stop = StopSignals::install();
    announce(&auth, seeded);
    stop.wait();
    eprintln!("mockauth: stopping");
    drop(auth);
    ExitCode::SUCCESS
}

/// `Ok(None)` means `--help`.
fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Launch>, String> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut builder = MockAuth::builder()
        .port(8085)
        .worker_threads(threads)
        .shutdown_grace(Duration::from_secs(5));
    let mut seeded = false;
    while let Some(flag) = args.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                (name.to_owned(), Some(value.to_owned()))
            }
            _ => (flag.clone(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs {what}; {USAGE}"))
        };
        builder = match name.as_str() {
            "-h" | "--help" => return Ok(None),
            "--host" => {
                let host = value("an IP address")?;
                builder.host(
                    host.parse::<IpAddr>()
                        .map_err(|_| format!("--host {host:?} is not an IP address"))?,
                )
            }
            "--port" => {
                let port = value("a port number")?;
                builder.port(
                    port.parse()
                        .map_err(|_| format!("--port {port:?} is not a port number (0–65535)"))?,
                )
            }
            "--seed" => {
                seeded = true;
                let seed = value("a number")?;
                builder.seed(
                    seed.parse()
                        .map_err(|_| format!("--seed {seed:?} is not a non-negative integer"))?,
                )
            }
            "--client-id" => builder.client_id(non_empty(&name, value("an id")?)?),
            "--client-secret" => builder.client_secret(non_empty(&name, value("a secret")?)?),
            "--admin-token" => builder.admin_token(non_empty(&name, value("a token")?)?),
            // JSON or TOML by extension; a bad file is one line naming file, line and field.
            "--config" => builder
                .config(mockauth::Config::from_file(value("a file")?).map_err(|e| e.to_string())?),
            "--face" => builder.face(mockauth::Face::parse(&value("NAME[=PREFIX]")?)?),
            "--journal-bytes" => {
                let bytes = value("a number of bytes")?;
                builder.journal_bytes(bytes.parse().map_err(|_| {
                    format!("--journal-bytes {bytes:?} is not a non-negative integer (bytes)")
                })?)
            }
            "--header-timeout" => builder.header_timeout(seconds(&name, value("seconds")?)?),
            "--body-timeout" => builder.body_timeout(seconds(&name, value("seconds")?)?),
            "--idle-timeout" => builder.idle_timeout(seconds(&name, value("seconds")?)?),
            "--max-connections" => {
                let count = value("a number")?;
                builder.max_connections(
                    count
                        .parse()
                        .ok()
                        .filter(|n| (1..=MAX_CONNECTIONS).contains(n))
                        .ok_or_else(|| {
                            format!("--max-connections {count:?} is not a number from 1 to {MAX_CONNECTIONS}")
                        })?,
                )
            }
            other => return Err(format!("unknown flag {other:?}; {USAGE}")),
        };
    }
    Ok(Some(Launch { builder, seeded }))
}

/// What the flags ask for.
struct Launch {
    builder: MockAuthBuilder,
    /// `--seed` was given: ids and client secrets are predictable.
    seeded: bool,
}

/// The bounds `MockAuthBuilder`'s connection setters enforce (they panic beyond them).
const MAX_SECONDS: f64 = 86_400.0;
const MAX_CONNECTIONS: usize = 1 << 20;

/// A timeout in seconds, fractions allowed (`0.5`): above zero, at most a day.
fn seconds(flag: &str, value: String) -> Result<Duration, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|secs| *secs > 0.0 && *secs <= MAX_SECONDS)
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .filter(|timeout| !timeout.is_zero())
        .ok_or_else(|| {
            format!("{flag} {value:?} is not a number of seconds above 0 and at most 86400")
        })
}

fn non_empty(flag: &str, value: String) -> Result<String, String> {
    if value.is_empty() {
        Err(format!("{flag} must not be empty"))
    } else {
        Ok(value)
    }
}

fn announce(auth: &MockAuth, seeded: bool) {
    let client = auth.default_client();
    let user = auth.default_user();
    // Built by hand so that "event" comes first (docs/binary.md#ready-line).
    let field = |value: Option<&str>| serde_json::Value::from(value).to_string();
    let ready = format!(
        r#"{{"event":"ready","issuer":{},"client_id":{},"client_secret":{},"username":{},"password":{},"admin_token":{}}}"#,
        field(Some(&auth.issuer())),
        field(Some(client.client_id())),
        field(client.client_secret()),
        field(Some(user.username())),
        field(Some(user.password())),
        field(Some(auth.admin_token())),
    );
    println!("{ready}");
    if !auth.address().ip().is_loopback() {
        eprintln!(
            "mockauth: WARNING: listening on {} beyond loopback. Its signing keys are public test keys: \
             anyone can forge its tokens. Never trust them outside a test.",
            auth.address()
        );
        if seeded {
            eprintln!(
                "mockauth: WARNING: --seed makes client secrets, codes and ids predictable, and the \
                 server listens beyond loopback: anyone who knows the seed can use its clients."
            );
        }
    }
    eprintln!(
        "mockauth: OAuth 2.0 / OpenID Connect test server at {}\n  discovery: {}\n  client: {}  user: {} / {}\n  Ctrl-C to stop",
        auth.issuer(),
        auth.discovery_url(),
        client.client_id(),
        user.username(),
        user.password(),
    );
}

/// SIGINT and SIGTERM, caught from the moment `install` returns.
struct StopSignals {
    runtime: tokio::runtime::Runtime,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn install() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("signal runtime");
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let _guard = runtime.enter();
            let interrupt = signal(SignalKind::interrupt()).expect("SIGINT handler");
            let terminate = signal(SignalKind::terminate()).expect("SIGTERM handler");
            Self {
                runtime,
                interrupt,
                terminate,
            }
        }
        #[cfg(not(unix))]
        Self { runtime }
    }

    fn wait(mut self) {
        #[cfg(unix)]
        self.runtime.block_on(async {
            tokio::select! {
                _ = self.interrupt.recv() => {}
                _ = self.terminate.recv() => {}
            }
        });
        #[cfg(not(unix))]
        self.runtime.block_on(async {
            let _ = tokio::signal::ctrl_c().await;
        });
    }
}
