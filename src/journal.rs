//! The journal: every request the server answered, with secrets redacted, so a test can ask
//! what happened.

use std::collections::VecDeque;
use std::time::SystemTime;

use crate::endpoint::Endpoint;
use crate::http::body::Params;
use crate::http::request::HttpRequest;

/// Parameters whose values never reach the journal.
const SECRET_PARAMS: [&str; 11] = [
    "client_secret",
    "password",
    "code",
    "code_verifier",
    "assertion",
    "refresh_token",
    "token",
    "access_token",
    "id_token_hint",
    "mfa_token",
    "client_assertion",
];

/// How many requests the journal keeps (the oldest go first); counts of expectations are
/// kept apart and stay exact.
pub(crate) const DEFAULT_CAPACITY: usize = 10_000;

/// One request as the server saw it, with every secret replaced by `[redacted]`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The endpoint it reached; `None` for a 404 or 405.
    pub endpoint: Option<Endpoint>,
    /// The client it named (Basic header, `client_id` parameter).
    pub client_id: Option<String>,
    /// The `grant_type` parameter, for token requests.
    pub grant_type: Option<String>,
    /// The user it named (`username` or `login_hint` parameter).
    pub username: Option<String>,
    /// The status of the answer.
    pub status: u16,
    /// Whether a fault rule answered (or delayed) instead of the real handler.
    pub injected: bool,
    /// When it arrived, by the server's clock.
    pub at: SystemTime,
    /// Query and body parameters, secrets redacted.
    pub params: Vec<(String, String)>,
}

/// The recorded requests of one server.
#[derive(Debug)]
pub(crate) struct Journal {
    entries: VecDeque<RecordedRequest>,
    capacity: usize,
}

impl Default for Journal {
    fn default() -> Self {
        Self {
            entries: VecDeque::new(),
            capacity: DEFAULT_CAPACITY,
        }
    }
}

impl Journal {
    pub(crate) fn push(&mut self, entry: RecordedRequest) {
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// An owned snapshot, oldest first.
    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries.iter().cloned().collect()
    }
}

/// What the journal keeps of `req`.
pub(crate) fn record(
    req: &HttpRequest,
    endpoint: Option<Endpoint>,
    status: u16,
    injected: bool,
    at: SystemTime,
) -> RecordedRequest {
    let mut params: Vec<(String, String)> = Vec::new();
    let query = Params::from_form(req.query.as_bytes()).unwrap_or_default();
    let body = if req.body.is_empty() {
        Params::default()
    } else {
        Params::from_body(req).unwrap_or_default()
    };
    for (k, v) in query.iter().chain(body.iter()) {
        let value = if SECRET_PARAMS.contains(&k) {
            "[redacted]"
        } else {
            v
        };
        params.push((k.to_owned(), value.to_owned()));
    }
    let param = |name: &str| {
        query
            .get(name)
            .or_else(|| body.get(name))
            .map(str::to_owned)
    };
    let basic_id = req.basic_credentials().ok().flatten().map(|(id, _)| id);
    RecordedRequest {
        method: req.method.as_str().to_owned(),
        path: req.path.clone(),
        endpoint,
        client_id: basic_id.or_else(|| param("client_id")),
        grant_type: param("grant_type"),
        username: param("username").or_else(|| param("login_hint")),
        status,
        injected,
        at,
        params,
    }
}
