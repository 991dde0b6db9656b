//! The server the fuzzed requests go to, its fixture, a raw HTTP/1.1 client, and the
//! invariants checked after every request.
//!
//! Shared, as one source, by `tests/it/fuzz.rs` and `benches/fuzz.rs` (`#[path]`).
//!
//! One server with every face: OIDC for every tenant, the identity face at `/identity`, the
//! service face at `/svc` (so no face shadows another's paths, and the OIDC face keeps its
//! own 404), the admin API; tenants `default` (root), `acme` (`/realms/acme`) and `beta`
//! (HS256, `/api/invoke/beta/auth`). The identity face's rate limits are off: with them on,
//! a fuzz run would mostly meet 429s instead of the handlers behind them.
//!
//! Invariants, per request: an answer comes (no connection error, no timeout); its status
//! is below 500 unless a fault rule or the error simulation injected it (no fault rule is
//! mounted, but a fuzzed admin call may switch a tenant's error simulation on); and no
//! secret the request carried where the journal must redact it (see `cases.rs`) shows in
//! the journal as the admin API serves it.
#![allow(dead_code)] // the test and the bench each use a part

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use mockauth::{Algorithm, Face, GrantType, IdentityRateLimits, MockAuth};
use serde_json::{json, Value};

use super::cases::{render, Case, Client, Fx, Resolve, Tn, User};

/// How long one answer may take before the server counts as not answering.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);
/// Fuzzed requests between two mints of the fixture's tokens (fuzzed requests revoke,
/// rotate and lock what they can).
const MINT_EVERY: usize = 200;
const REDIRECT_URI: &str = "http://127.0.0.1:8080/callback";
const VERIFIER: &str = "fuzz-verifier-fuzz-verifier-fuzz-verifier-0123";
/// Tenants a fuzzed admin call may change (the fixture's, and those the generators name).
const TENANT_IDS: [&str; 5] = ["default", "acme", "beta", "fuzz-new", "fuzz.two"];

/// One answer, read off the wire.
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// A keep-alive HTTP/1.1 client over a plain socket: it sends exactly the bytes a case
/// rendered (odd methods, raw `..`, bytes that are not UTF-8), which no client library does.
pub(crate) struct RawClient {
    addr: SocketAddr,
    conn: Option<BufReader<TcpStream>>,
}

impl RawClient {
    pub(crate) fn new(addr: SocketAddr) -> Self {
        Self { addr, conn: None }
    }

    /// Sends one request and reads its answer. A connection the server closed after an
    /// earlier answer is noticed here (nothing comes back), so the request is sent once more
    /// on a new connection; a second silence is the server's.
    pub(crate) fn send(&mut self, request: &[u8], head: bool) -> io::Result<Response> {
        let reused = self.conn.is_some();
        match self.try_send(request, head) {
            Err(err) if reused && is_silence(&err) => {
                self.conn = None;
                self.try_send(request, head)
            }
            other => other,
        }
    }

    fn try_send(&mut self, request: &[u8], head: bool) -> io::Result<Response> {
        let result = self.exchange(request, head);
        if result.is_err() {
            self.conn = None;
        }
        result
    }

    fn exchange(&mut self, request: &[u8], head: bool) -> io::Result<Response> {
        if self.conn.is_none() {
            let stream = TcpStream::connect(self.addr)?;
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(ANSWER_TIMEOUT))?;
            stream.set_write_timeout(Some(ANSWER_TIMEOUT))?;
            self.conn = Some(BufReader::new(stream));
        }
        let conn = self.conn.as_mut().expect("connected above");
        // The server may answer (413, 400) and close before the whole request is written:
        // what it answered still counts, so a failed write is not an error by itself.
        let wrote = conn.get_mut().write_all(request);
        let response = match read_response(conn, head) {
            Ok(response) => response,
            Err(err) => return Err(wrote.err().unwrap_or(err)),
        };
        let close = response
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
            || wrote.is_err();
        if close {
            self.conn = None;
        }
        Ok(response)
    }
}

/// Errors that mean "the connection gave no answer" rather than "the answer was cut".
fn is_silence(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
    )
}

fn read_line(conn: &mut BufReader<TcpStream>) -> io::Result<String> {
    let mut line = Vec::new();
    conn.read_until(b'\n', &mut line)?;
    if line.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the connection closed without an answer",
        ));
    }
    Ok(String::from_utf8_lossy(&line).trim_end().to_owned())
}

fn read_response(conn: &mut BufReader<TcpStream>, head: bool) -> io::Result<Response> {
    loop {
        let status_line = read_line(conn)?;
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("not a status line: {status_line:?}"),
                )
            })?;
        let mut headers = Vec::new();
        loop {
            let line = read_line(conn)?;
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
            }
        }
        if (100..200).contains(&status) {
            continue; // 100 Continue: the answer follows
        }
        let mut response = Response {
            status,
            headers,
            body: Vec::new(),
        };
        if head || status == 204 || status == 304 {
            return Ok(response);
        }
        if response
            .header("transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
        {
            loop {
                let size = usize::from_str_radix(read_line(conn)?.trim(), 16)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
                if size == 0 {
                    read_line(conn)?;
                    break;
                }
                let start = response.body.len();
                response.body.resize(start + size, 0);
                conn.read_exact(&mut response.body[start..])?;
                read_line(conn)?;
            }
        } else if let Some(len) = response.header("content-length") {
            let len: usize = len
                .parse()
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            response.body.resize(len, 0);
            conn.read_exact(&mut response.body)?;
        } else {
            conn.read_to_end(&mut response.body)?;
        }
        return Ok(response);
    }
}

/// One minted password session: its tokens.
#[derive(Debug, Default, Clone)]
struct Session {
    access: String,
    refresh: String,
    id_token: String,
}

/// The fixture: what the fuzzed requests may name, resolved per case.
struct Fixture {
    aux: RawClient,
    /// Requests the harness itself sent (fixture, fresh codes, journal reads).
    calls: u64,
    host: String,
    admin_token: String,
    now: i64,
    fixed: HashMap<Fx, String>,
    sessions: Vec<Session>,
    client_secrets: HashMap<Client, Vec<u8>>,
    beta_secret: Vec<u8>,
    /// Made on demand, once per case.
    code: Option<String>,
    mfa: Option<(String, String)>,
    /// `bob`'s TOTP code now (computed here: a fuzzed call may have deleted `bob`).
    totp: String,
    bob_totp_secret: String,
}

impl Fixture {
    /// One request of the harness itself (not fuzzed): its answer, or a panic when none
    /// comes (the fixture needs it).
    fn call(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Response {
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.host);
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        let body = body.map(Value::to_string).unwrap_or_default();
        if !body.is_empty() || method == "POST" || method == "PUT" {
            request.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        request.push_str("\r\n");
        request.push_str(&body);
        self.calls += 1;
        self.aux
            .send(request.as_bytes(), method == "HEAD")
            .unwrap_or_else(|e| panic!("the harness's own {method} {path} got no answer: {e}"))
    }

    fn admin(&mut self, method: &str, path: &str, body: Option<&Value>) -> Response {
        let bearer = format!("Bearer {}", self.admin_token);
        self.call(method, path, &[("Authorization", &bearer)], body)
    }

    fn token(&mut self, form: &str) -> Response {
        let request = format!(
            "POST /token HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            self.host,
            form.len()
        );
        self.calls += 1;
        self.aux
            .send(request.as_bytes(), false)
            .expect("the harness's own token request got no answer")
    }

    fn default_client_form(&self) -> String {
        format!(
            "client_id={}&client_secret={}",
            enc(&self.fixed[&Fx::ClientId(Client::Default)]),
            enc(&self.fixed[&Fx::ClientSecret(Client::Default)])
        )
    }

    fn fresh_code(&mut self) -> String {
        let challenge = URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(
            &aws_lc_rs::digest::SHA256,
            VERIFIER.as_bytes(),
        ));
        let path = format!(
            "/authorize?response_type=code&client_id={}&redirect_uri={}&scope=openid%20offline_access&code_challenge={challenge}&code_challenge_method=S256",
            enc(&self.fixed[&Fx::ClientId(Client::Default)]),
            enc(REDIRECT_URI)
        );
        let answer = self.call("GET", &path, &[], None);
        answer
            .header("location")
            .and_then(|l| l.split_once("code="))
            .map(|(_, rest)| rest.split('&').next().unwrap_or("").to_owned())
            .unwrap_or_else(|| "ac_unavailable".to_owned())
    }

    fn fresh_mfa(&mut self) -> (String, String) {
        let form = format!(
            "grant_type=password&username=minter-mfa&password={MINTER_PASSWORD}&{}",
            self.default_client_form()
        );
        let answer = self.token(&form).json();
        (
            answer["mfa_token"]
                .as_str()
                .unwrap_or("mfatk_unavailable")
                .to_owned(),
            answer["_sandbox_mfa_code"]
                .as_str()
                .unwrap_or("000000")
                .to_owned(),
        )
    }
}

impl Resolve for Fixture {
    fn fx(&mut self, fx: Fx) -> String {
        if let Some(value) = self.fixed.get(&fx) {
            return value.clone();
        }
        match fx {
            Fx::Access(i) => self.sessions[usize::from(i)].access.clone(),
            Fx::Refresh(i) => self.sessions[usize::from(i)].refresh.clone(),
            Fx::IdToken(i) => self.sessions[usize::from(i)].id_token.clone(),
            Fx::FreshCode => {
                if self.code.is_none() {
                    self.code = Some(self.fresh_code());
                }
                self.code.clone().unwrap_or_default()
            }
            Fx::Verifier => VERIFIER.to_owned(),
            Fx::RedirectUri => REDIRECT_URI.to_owned(),
            Fx::FreshMfaToken | Fx::MfaCode => {
                if self.mfa.is_none() {
                    self.mfa = Some(self.fresh_mfa());
                }
                let (token, code) = self.mfa.clone().unwrap_or_default();
                if fx == Fx::MfaCode {
                    code
                } else {
                    token
                }
            }
            Fx::Totp => self.totp.clone(),
            other => panic!("the fixture has no value for {other:?}"),
        }
    }

    fn now(&self) -> i64 {
        self.now
    }

    fn client_secret(&self, client: Client) -> Vec<u8> {
        self.client_secrets
            .get(&client)
            .cloned()
            .unwrap_or_default()
    }

    fn beta_secret(&self) -> Vec<u8> {
        self.beta_secret.clone()
    }
}

fn enc(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

const MINTER_PASSWORD: &str = "minter-password-3b9f1c";

/// Counts of what the run saw.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    /// Fuzzed requests sent.
    pub(crate) requests: u64,
    /// The statuses of their answers.
    pub(crate) statuses: BTreeMap<u16, u64>,
    /// Secrets looked for in the journal.
    pub(crate) secrets_checked: u64,
    /// Journal records read back.
    pub(crate) records_checked: u64,
}

/// The fuzzed server and everything a run needs to check it.
pub(crate) struct Harness {
    pub(crate) auth: MockAuth,
    client: RawClient,
    fixture: Fixture,
    /// The journal has been read up to this `seq`.
    last_seq: u64,
    /// Secrets sent since the journal was last read, with the case that sent each.
    pending: Vec<String>,
    /// Read the journal after this many requests (1: after every one).
    pub(crate) journal_every: usize,
    since_mint: usize,
    pub(crate) stats: Stats,
    /// `MOCKAUTH_FUZZ_LOG=1`: print every request's start and its status.
    log: bool,
}

impl Harness {
    /// Starts the server with `workers` worker threads and makes the fixture.
    pub(crate) fn start(workers: usize) -> Self {
        let auth = MockAuth::builder()
            .worker_threads(workers)
            .face(
                Face::identity()
                    .at("/identity")
                    .rate_limits(IdentityRateLimits::off()),
            )
            .face(Face::service().at("/svc"))
            .tenant("acme", |t| t.issuer_path("/realms/acme"))
            .tenant("beta", |t| t.algorithm(Algorithm::HS256))
            .start_blocking();
        let addr = auth.address();
        let alice = auth
            .user("alice")
            .password("alice-password-5e8d2a71")
            .roles(["Editor"])
            .create();
        let bob = auth
            .user("bob")
            .password("bob-password-c41f9e07")
            .mfa_totp()
            .create();
        auth.user("minter").password(MINTER_PASSWORD).create();
        auth.user("minter-mfa")
            .password(MINTER_PASSWORD)
            .mfa_totp()
            .create();
        let web = auth
            .client("web")
            .secret("web-secret-7a1c0e9b44d2")
            .redirect_uri("http://127.0.0.1:9/cb")
            .post_logout_redirect_uri("http://127.0.0.1:9/logged-out")
            .grant_types([GrantType::AuthorizationCode, GrantType::RefreshToken])
            .create();
        let spa = auth
            .client("spa")
            .public()
            .redirect_uri("http://127.0.0.1:9/cb")
            .create();
        let app = auth
            .application("billing")
            .secret("appsec-billing-0f6e2d9c81")
            .claims_with(|account| Ok(json!({"role": "member", "ref": account.ref_id()})))
            .create();
        let default = auth.default_client();
        let acme = auth.tenant("acme").default_client();
        let beta = auth.tenant("beta").default_client();
        let test = auth.default_user();
        let mut fixed = HashMap::new();
        for (client, creds) in [
            (Client::Default, &default),
            (Client::Web, &web),
            (Client::Spa, &spa),
            (Client::Acme, &acme),
            (Client::Beta, &beta),
        ] {
            fixed.insert(Fx::ClientId(client), creds.client_id().to_owned());
            fixed.insert(
                Fx::ClientSecret(client),
                creds.client_secret().unwrap_or("").to_owned(),
            );
        }
        for (user, id, name, email, password) in [
            (
                User::Test,
                test.id(),
                test.username(),
                test.email(),
                test.password(),
            ),
            (
                User::Alice,
                alice.id(),
                alice.username(),
                alice.email(),
                alice.password(),
            ),
            (
                User::Bob,
                bob.id(),
                bob.username(),
                bob.email(),
                bob.password(),
            ),
        ] {
            fixed.insert(Fx::UserId(user), id.to_owned());
            fixed.insert(Fx::Username(user), name.to_owned());
            fixed.insert(Fx::Email(user), email.to_owned());
            fixed.insert(Fx::Password(user), password.to_owned());
        }
        fixed.insert(Fx::AdminToken, auth.admin_token().to_owned());
        fixed.insert(Fx::AppSecret, app.secret().to_owned());
        fixed.insert(Fx::AppId, app.id().to_owned());
        for tn in [Tn::Default, Tn::Acme, Tn::Beta] {
            let issuer = format!("http://{addr}{}", tn.prefix());
            fixed.insert(Fx::TokenUrl(tn), format!("{issuer}/token"));
            fixed.insert(Fx::Issuer(tn), issuer);
        }
        let client_secrets = fixed
            .iter()
            .filter_map(|(fx, secret)| match fx {
                Fx::ClientSecret(c) => Some((*c, secret.clone().into_bytes())),
                _ => None,
            })
            .collect();
        let beta_secret = auth
            .tenant("beta")
            .hs256_secret()
            .expect("beta signs with HS256");
        let mut fixture = Fixture {
            aux: RawClient::new(addr),
            calls: 0,
            host: addr.to_string(),
            admin_token: auth.admin_token().to_owned(),
            now: 0,
            fixed,
            sessions: vec![Session::default(); 3],
            client_secrets,
            beta_secret,
            code: None,
            mfa: None,
            totp: String::new(),
            bob_totp_secret: bob.totp_secret().expect("bob has MFA").to_owned(),
        };
        identity_records(&mut fixture);
        let mut harness = Self {
            client: RawClient::new(addr),
            fixture,
            auth,
            last_seq: 0,
            pending: Vec::new(),
            journal_every: 1,
            since_mint: 0,
            stats: Stats::default(),
            log: std::env::var_os("MOCKAUTH_FUZZ_LOG").is_some(),
        };
        harness.mint();
        harness
    }

    /// Mints every token of the fixture anew, a lockout period after the last mint so that
    /// no user the fuzzed requests locked stays locked.
    fn mint(&mut self) {
        self.auth.advance(Duration::from_secs(31 * 60));
        let f = &mut self.fixture;
        for i in 0..f.sessions.len() {
            let form = format!(
                "grant_type=password&username=minter&password={MINTER_PASSWORD}&scope=openid%20profile%20email%20offline_access&{}",
                f.default_client_form()
            );
            let answer = f.token(&form);
            assert_eq!(answer.status, 200, "minting a session: {:?}", answer.json());
            let tokens = answer.json();
            f.sessions[i] = Session {
                access: tokens["access_token"].as_str().unwrap().to_owned(),
                refresh: tokens["refresh_token"].as_str().unwrap().to_owned(),
                id_token: tokens["id_token"].as_str().unwrap().to_owned(),
            };
        }
        let form = format!("grant_type=client_credentials&{}", f.default_client_form());
        let answer = f.token(&form);
        assert_eq!(
            answer.status,
            200,
            "client_credentials: {:?}",
            answer.json()
        );
        let client_token = answer.json()["access_token"].as_str().unwrap().to_owned();
        f.fixed.insert(Fx::ClientToken, client_token.clone());
        let acme = self
            .auth
            .tenant("acme")
            .issue_token()
            .user("testuser")
            .access_token();
        let beta = self
            .auth
            .tenant("beta")
            .issue_token()
            .user("testuser")
            .access_token();
        for (tn, token) in [
            (Tn::Default, &client_token),
            (Tn::Acme, &acme),
            (Tn::Beta, &beta),
        ] {
            let header: Value = serde_json::from_slice(
                &URL_SAFE_NO_PAD
                    .decode(token.split('.').next().unwrap())
                    .unwrap(),
            )
            .unwrap();
            let kid = header["kid"].as_str().unwrap_or("no-kid").to_owned();
            f.fixed.insert(Fx::Kid(tn), kid);
        }
        f.fixed.insert(Fx::AcmeToken, acme);
        f.fixed.insert(Fx::BetaToken, beta);
        let login = f.call(
            "POST",
            "/identity/auth/login",
            &[],
            Some(&json!({"username": "minter", "password": MINTER_PASSWORD})),
        );
        assert_eq!(login.status, 200, "identity login: {:?}", login.json());
        let login = login.json();
        f.fixed.insert(
            Fx::IdentityToken,
            login["token"].as_str().unwrap().to_owned(),
        );
        f.fixed.insert(
            Fx::IdentityRefresh,
            login["refreshToken"].as_str().unwrap().to_owned(),
        );
        let app_secret = f.fixed[&Fx::AppSecret].clone();
        let login = f.call(
            "POST",
            "/svc/auth/login",
            &[("x-application-secret", &app_secret)],
            Some(&json!({"identifier": "minter", "password": MINTER_PASSWORD})),
        );
        assert_eq!(login.status, 200, "service login: {:?}", login.json());
        f.fixed.insert(
            Fx::ServiceRefresh,
            login.json()["refreshToken"].as_str().unwrap().to_owned(),
        );
        self.since_mint = 0;
    }

    /// Puts back what a fuzzed admin call may have changed in a tenant's settings, so that
    /// later cases reach the handlers again (a disabled tenant answers every path with 404).
    fn restore_tenants(&mut self) {
        for id in TENANT_IDS {
            let answer = self.fixture.admin(
                "POST",
                "/api/auth-sandbox/config",
                Some(
                    &json!({"projectId": id, "enabled": true, "accessTokenTTL": 3600,
                             "refreshTokenTTL": 2_592_000, "errorSimulation": {"enabled": false}}),
                ),
            );
            // A tenant the fuzzed calls never made does not exist (404) and then needs
            // nothing; any other refusal is the harness's mistake.
            assert!(
                answer.status == 200 || (answer.status == 404 && !id.starts_with('d')),
                "restoring tenant {id}: {} {:?}",
                answer.status,
                answer.json()
            );
        }
    }

    /// Sends one fuzzed case and checks the invariants: `Err` says which broke.
    pub(crate) fn run(&mut self, case: &Case) -> Result<(), String> {
        if self.since_mint >= MINT_EVERY {
            self.mint();
        }
        self.since_mint += 1;
        let f = &mut self.fixture;
        f.now = self
            .auth
            .now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        f.code = None;
        f.mfa = None;
        f.totp = totp(&f.bob_totp_secret, f.now);
        let host = f.host.clone();
        let rendered = render(case, &host, f);
        let response = self
            .client
            .send(&rendered.bytes, rendered.head)
            .map_err(|e| {
                format!(
                    "the server gave no answer ({e}) to {}",
                    preview(&rendered.bytes)
                )
            })?;
        if self.log {
            eprintln!(
                "{} <- {}",
                response.status,
                preview(&rendered.bytes[..rendered.bytes.len().min(300)])
            );
        }
        self.stats.requests += 1;
        *self.stats.statuses.entry(response.status).or_default() += 1;
        if response.status >= 500 && !injected(&response) {
            return Err(format!(
                "{} answered {} {} to {}",
                response.status,
                String::from_utf8_lossy(&response.body),
                response
                    .headers
                    .iter()
                    .map(|(n, v)| format!("{n}: {v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
                preview(&rendered.bytes)
            ));
        }
        self.pending.extend(rendered.secrets);
        if self
            .stats
            .requests
            .is_multiple_of(self.journal_every as u64)
        {
            self.check_journal()?;
        }
        if case.may_reconfigure() && response.status == 200 {
            self.restore_tenants();
            self.mint();
        }
        Ok(())
    }

    /// Reads the journal recorded since the last read and looks for every pending secret in
    /// it; also, no record may show a 5xx that was not injected.
    pub(crate) fn check_journal(&mut self) -> Result<(), String> {
        let answer = self.fixture.admin(
            "GET",
            &format!(
                "/api/auth-sandbox/requests?after={}&limit=10000",
                self.last_seq
            ),
            None,
        );
        if answer.status != 200 {
            return Err(format!(
                "the journal could not be read: {} {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            ));
        }
        let text = String::from_utf8_lossy(&answer.body).into_owned();
        let records: Vec<Value> = serde_json::from_str(&text)
            .map_err(|e| format!("the journal is not a JSON array ({e}): {text}"))?;
        for secret in self.pending.drain(..) {
            self.stats.secrets_checked += 1;
            if let Some(at) = text.find(&secret) {
                let record = records
                    .iter()
                    .find(|r| r.to_string().contains(&secret))
                    .cloned()
                    .unwrap_or(Value::Null);
                return Err(format!(
                    "the journal shows a secret the request carried ({secret:?} at byte {at}): {record}"
                ));
            }
        }
        for record in &records {
            self.stats.records_checked += 1;
            let status = record["status"].as_u64().unwrap_or(0);
            if status >= 500 && record["injected"] != json!(true) {
                return Err(format!(
                    "the journal records a 5xx nothing injected: {record}"
                ));
            }
            if let Some(seq) = record["seq"].as_u64() {
                self.last_seq = self.last_seq.max(seq);
            }
        }
        Ok(())
    }

    /// After a run: the server still answers discovery and issues a real token.
    pub(crate) fn still_serves(&mut self) -> Result<(), String> {
        let discovery = self
            .fixture
            .call("GET", "/.well-known/openid-configuration", &[], None);
        if discovery.status != 200 || discovery.json()["issuer"].as_str().is_none() {
            return Err(format!("discovery answered {}", discovery.status));
        }
        let form = format!(
            "grant_type=client_credentials&{}",
            self.fixture.default_client_form()
        );
        let token = self.fixture.token(&form);
        if token.status != 200 || token.json()["access_token"].as_str().is_none() {
            return Err(format!(
                "a client_credentials request answered {} {}",
                token.status,
                String::from_utf8_lossy(&token.body)
            ));
        }
        Ok(())
    }

    /// Requests the harness sent besides the fuzzed ones.
    pub(crate) fn harness_requests(&self) -> u64 {
        self.fixture.calls
    }

    /// The journal as the admin API serves it at its largest page: (records, bytes).
    pub(crate) fn journal_size(&mut self) -> (usize, usize) {
        let answer = self.fixture.admin(
            "GET",
            "/api/auth-sandbox/requests?after=0&limit=10000",
            None,
        );
        let records = serde_json::from_slice::<Vec<Value>>(&answer.body)
            .map(|r| r.len())
            .unwrap_or(0);
        (records, answer.body.len())
    }
}

/// The RFC 6238 code (HMAC-SHA-1, 6 digits, 30 s steps) of a base32 secret at `now`.
fn totp(secret: &str, now: i64) -> String {
    let mut key = Vec::new();
    let (mut bits, mut acc) = (0u32, 0u64);
    for c in secret.bytes().filter(|c| *c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a',
            b'2'..=b'7' => c - b'2' + 26,
            _ => continue,
        };
        acc = (acc << 5) | u64::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            key.push((acc >> bits) as u8);
        }
    }
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &key);
    let step = (now / 30).to_be_bytes();
    let mac = aws_lc_rs::hmac::sign(&key, &step);
    let mac = mac.as_ref();
    let at = usize::from(mac[19] & 0x0f);
    let code = u32::from_be_bytes([mac[at] & 0x7f, mac[at + 1], mac[at + 2], mac[at + 3]]);
    format!("{:06}", code % 1_000_000)
}

/// Whether a 5xx answer was put there on purpose by a fault rule or the error simulation
/// (their descriptions say so, on every face).
fn injected(response: &Response) -> bool {
    String::from_utf8_lossy(&response.body).contains("injected by mockauth")
}

/// The start of a request, for a failure message.
fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(600)]).into_owned();
    if bytes.len() > 600 {
        format!("{text:?}… ({} bytes)", bytes.len())
    } else {
        format!("{text:?}")
    }
}

/// The identity face's records the fuzzed requests name: a permission, the role `Editor`
/// holding it, an API key; and `minter` with every `*:Manage` permission (its password
/// sessions are the fixture's guard-passing tokens).
fn identity_records(f: &mut Fixture) {
    let perm = f.admin(
        "POST",
        "/identity/permissions",
        Some(&json!({"name": "content:write", "description": "fuzz"})),
    );
    assert_eq!(perm.status, 201, "permission: {:?}", perm.json());
    let perm = perm.json();
    f.fixed
        .insert(Fx::PermId, perm["id"].as_str().unwrap().to_owned());
    f.fixed.insert(Fx::PermName, "content:write".to_owned());
    let role = f.admin(
        "PUT",
        "/identity/roles/Editor",
        Some(&json!({"name": "Editor", "permissions": ["content:write"]})),
    );
    assert_eq!(role.status, 200, "role: {:?}", role.json());
    f.fixed
        .insert(Fx::RoleId, role.json()["id"].as_str().unwrap().to_owned());
    f.fixed.insert(Fx::RoleName, "Editor".to_owned());
    let minter = f.admin(
        "PUT",
        "/identity/users/minter",
        Some(&json!({"username": "minter", "email": "minter@example.test",
                     "permissions": ["Users:Manage", "Roles:Manage", "Permissions:Manage", "ApiKeys:Manage"]})),
    );
    assert_eq!(minter.status, 200, "minter: {:?}", minter.json());
    let key = f.admin(
        "POST",
        "/identity/apikeys",
        Some(&json!({"name": "ci", "permissions": ["Users:Manage"]})),
    );
    assert_eq!(key.status, 201, "API key: {:?}", key.json());
    let key = key.json();
    f.fixed
        .insert(Fx::ApiKey, key["key"].as_str().unwrap().to_owned());
    f.fixed
        .insert(Fx::ApiKeyId, key["id"].as_str().unwrap().to_owned());
}
