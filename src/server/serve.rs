//! The listener: accept loop (with the connection cap), per-connection HTTP/1.1 service,
//! body limit and timeout, shutdown. When each connection closes is `connection.rs`'s.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

use super::connection::{self, Activity, Deadlines, Limits, Slot, Slots, Watched};
use super::router;
use crate::endpoint::Endpoint;
use crate::error::OAuthError;
use crate::fault::Action;
use crate::http::answer::{oauth_error, HttpResponse};
use crate::http::body::Params;
use crate::http::request::HttpRequest;
use crate::journal;
use crate::shared::Shared;

/// A connection the accepting thread hands to another worker, with its slot.
pub(crate) type Handed = (std::net::TcpStream, Slot);

/// Accepts connections until `stop` changes or its sender is dropped, and deals them out
/// round-robin between this runtime and the `peers` (other worker threads), so that each
/// worker serves an equal share; then gives open connections up to the grace to finish.
///
/// Beyond `limits.max_connections` open connections, a new one is accepted and closed at
/// once: the listen backlog keeps draining (a normal client is never stuck behind held
/// connections in it), the client learns at once, and no descriptor is held for it.
pub(crate) async fn serve(
    listener: TcpListener,
    peers: Vec<mpsc::UnboundedSender<Handed>>,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<()>,
    limits: Limits,
) {
    let (draining, _) = watch::channel(());
    let slots = Arc::new(Slots::default());
    let mut next = 0usize;
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _peer)) => stream,
                    // Out of file descriptors or similar: back off instead of spinning.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let Some(slot) = slots.take(limits.max_connections) else {
                    drop(stream);
                    continue;
                };
                next = (next + 1) % (peers.len() + 1);
                match next.checked_sub(1).map(|peer| &peers[peer]) {
                    Some(peer) => {
                        if let Ok(stream) = stream.into_std() {
                            let _ = peer.send((stream, slot));
                        }
                    }
                    None => serve_connection(stream, slot, &shared, limits, &draining),
                }
            }
            _ = stop.changed() => break,
        }
    }
    drop(listener);
    finish(draining, limits.grace).await;
}

/// A worker thread's loop: serves the connections the accepting thread hands it.
pub(crate) async fn serve_handed(
    mut handed: mpsc::UnboundedReceiver<Handed>,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<()>,
    limits: Limits,
) {
    let (draining, _) = watch::channel(());
    loop {
        tokio::select! {
            stream = handed.recv() => {
                let Some((stream, slot)) = stream else { break };
                if let Ok(stream) = TcpStream::from_std(stream) {
                    serve_connection(stream, slot, &shared, limits, &draining);
                }
            }
            _ = stop.changed() => break,
        }
    }
    finish(draining, limits.grace).await;
}

fn serve_connection(
    stream: TcpStream,
    slot: Slot,
    shared: &Arc<Shared>,
    limits: Limits,
    draining: &watch::Sender<()>,
) {
    let _ = stream.set_nodelay(true);
    let peer = stream.peer_addr().ok().map(|addr| addr.ip());
    let activity = Arc::new(Activity::default());
    let deadlines = Deadlines::new(limits, activity.clone());
    let service = {
        let (shared, activity) = (shared.clone(), activity.clone());
        service_fn(move |req| {
            let shared = shared.clone();
            let in_flight = activity.begin();
            async move {
                let _in_flight = in_flight;
                handle(&shared, req, peer, limits.body).await
            }
        })
    };
    let io = TokioIo::new(Watched::new(stream, activity));
    let conn = http1::Builder::new().serve_connection(io, service);
    let draining = draining.subscribe();
    tokio::spawn(async move {
        let _slot = slot;
        connection::drive(conn, |conn| conn.graceful_shutdown(), deadlines, draining).await;
    });
}

/// Connections with no request in flight close now; the others get up to `grace` to
/// answer it (after which the runtime, dropped by its thread, closes them).
async fn finish(draining: watch::Sender<()>, grace: Duration) {
    draining.send_replace(());
    if !grace.is_zero() {
        let _ = tokio::time::timeout(grace, draining.closed()).await;
    }
}

/// An injected fault closed the connection: hyper drops it when the service fails.
#[derive(Debug)]
pub(crate) struct DroppedByFault;

impl std::fmt::Display for DroppedByFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a fault rule")
    }
}

impl std::error::Error for DroppedByFault {}

/// One request: read the body within the limit and the timeout, route it, let the fault
/// rules have their say, run the handler, and record what happened.
pub(crate) async fn handle(
    shared: &Shared,
    req: Request<Incoming>,
    peer: Option<std::net::IpAddr>,
    body_timeout: Duration,
) -> Result<HttpResponse, DroppedByFault> {
    let (parts, body) = req.into_parts();
    let request = HttpRequest {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        headers: parts.headers,
        body: Bytes::new(),
        peer,
    };
    let at = shared.clock.now();
    let (request, answer) = match read_body(shared, request, body, body_timeout).await {
        Ok(request) => {
            // The admin API (and the server's OpenAPI document) is the test harness
            // talking, not the code under test: its calls pass no fault rule and are not
            // recorded.
            if let Some(response) = router::own(shared, &request) {
                return Ok(response);
            }
            let answer = answer(shared, &request).await;
            (request, answer)
        }
        Err((request, refused)) => {
            let refused = in_face_shape(shared, &request, refused);
            (
                request,
                Answered {
                    endpoint: None,
                    response: Some(refused),
                    injected: false,
                    hang: false,
                },
            )
        }
    };
    let entry = journal::record(
        &request,
        answer.endpoint,
        answer.response.as_ref(),
        answer.injected,
        at,
    );
    shared.journal.lock().push(entry);
    if answer.hang {
        // Recorded (status 0) before hanging, so the test can see the request arrived.
        std::future::pending::<()>().await;
    }
    answer.response.ok_or(DroppedByFault)
}

/// The outcome of one request; `response: None` means the connection is to be dropped
/// (or, with `hang`, never answered).
struct Answered {
    endpoint: Option<Endpoint>,
    response: Option<HttpResponse>,
    injected: bool,
    hang: bool,
}

async fn answer(shared: &Shared, request: &HttpRequest) -> Answered {
    let route = match router::find(shared, request) {
        Ok(route) => route,
        Err(response) => {
            return Answered {
                endpoint: None,
                response: Some(*response),
                injected: false,
                hang: false,
            }
        }
    };
    let endpoint = Some(route.endpoint);
    let client_id = if shared.faults.scopes_by_client() {
        request_client_id(request)
    } else {
        None
    };
    let interception =
        shared
            .faults
            .intercept(route.endpoint, route.tenant.index, client_id.as_deref());
    let injected = interception.is_injected();
    if !interception.delay.is_zero() {
        tokio::time::sleep(interception.delay).await;
    }
    let hang = matches!(interception.action, Some(Action::Hang));
    let response = match interception.action {
        None => Some(run_handler(shared, &route, request).await),
        Some(Action::Answer(response)) => Some(response),
        Some(Action::Retype(content_type)) => {
            let mut response = run_handler(shared, &route, request).await;
            response
                .headers_mut()
                .insert(hyper::header::CONTENT_TYPE, content_type);
            Some(response)
        }
        Some(Action::Drop | Action::Hang) => None,
    };
    Answered {
        endpoint,
        response,
        injected,
        hang,
    }
}

/// The client a request names, for fault rules scoped to one client.
fn request_client_id(request: &HttpRequest) -> Option<String> {
    if let Ok(Some((id, _))) = request.basic_credentials() {
        return Some(id);
    }
    let params = if request.body.is_empty() {
        Params::from_form(request.query.as_bytes())
    } else {
        Params::from_body(request)
    };
    params.ok()?.get("client_id").map(str::to_owned)
}

/// A bug must not cost the test its server: a panicking handler answers 500 and the
/// server keeps serving (the store lock does not poison, so no state is lost).
async fn run_handler(
    shared: &Shared,
    route: &router::Route,
    request: &HttpRequest,
) -> HttpResponse {
    CatchUnwind(Box::pin(router::dispatch(shared, route, request)))
        .await
        .unwrap_or_else(|_| {
            oauth_error(&OAuthError::new(
                crate::error::ErrorCode::ServerError,
                format!(
                    "mockauth bug: the handler for {} {} panicked; please report it",
                    request.method, request.path
                ),
            ))
        })
}

/// `catch_unwind` for a future: a panic while it is polled becomes `Err`, as
/// `std::panic::catch_unwind` makes it for a closure.
struct CatchUnwind<F>(std::pin::Pin<Box<F>>);

impl<F: std::future::Future> std::future::Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(polled) => polled.map(Ok),
            Err(panic) => std::task::Poll::Ready(Err(panic)),
        }
    }
}

/// A body refused before routing (413), answered in the shape of the face it was for.
fn in_face_shape(shared: &Shared, request: &HttpRequest, refused: HttpResponse) -> HttpResponse {
    if refused.status() != hyper::StatusCode::PAYLOAD_TOO_LARGE {
        return refused;
    }
    match router::find(shared, request).map(|route| route.endpoint) {
        Ok(
            Endpoint::IdentityLogin
            | Endpoint::IdentityRefresh
            | Endpoint::IdentityValidate
            | Endpoint::IdentityImpersonate
            | Endpoint::IdentityUsers
            | Endpoint::IdentityRoles
            | Endpoint::IdentityPermissions
            | Endpoint::IdentityApiKeys,
        ) => crate::face::identity::too_large(shared.body_limit),
        Ok(
            Endpoint::ServiceRegister
            | Endpoint::ServiceLogin
            | Endpoint::ServiceRefresh
            | Endpoint::ServiceRevoke,
        ) => crate::face::service::too_large(shared.body_limit),
        Ok(
            Endpoint::AppsSignup
            | Endpoint::AppsLogin
            | Endpoint::AppsRefresh
            | Endpoint::AppsLogout
            | Endpoint::AppsMe
            | Endpoint::AppsJwks,
        ) => crate::face::apps::too_large(shared.body_limit),
        _ => refused,
    }
}

/// Reads the body within the server's limit and timeout; 413 when it is larger, 408 (and
/// the connection closes) when it has not all arrived within `timeout` of the head.
async fn read_body(
    shared: &Shared,
    mut request: HttpRequest,
    body: Incoming,
    timeout: Duration,
) -> Result<HttpRequest, (HttpRequest, HttpResponse)> {
    let limit = shared.body_limit;
    let too_large = || {
        oauth_error(
            &OAuthError::invalid_request(format!(
                "request body exceeds the limit of {limit} bytes"
            ))
            .with_status(413),
        )
    };
    let declared = request
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err((request, too_large()));
    }
    let Ok(read) = tokio::time::timeout(timeout, Limited::new(body, limit).collect()).await else {
        let mut too_slow = oauth_error(
            &OAuthError::invalid_request(format!(
                "the request body did not arrive within {timeout:?} (the server's body timeout)"
            ))
            .with_status(408),
        );
        too_slow.headers_mut().insert(
            hyper::header::CONNECTION,
            hyper::header::HeaderValue::from_static("close"),
        );
        return Err((request, too_slow));
    };
    match read {
        Ok(collected) => {
            request.body = collected.to_bytes();
            Ok(request)
        }
        Err(err) if err.is::<http_body_util::LengthLimitError>() => Err((request, too_large())),
        Err(_) => Err((
            request,
            oauth_error(&OAuthError::invalid_request(
                "the request body could not be read",
            )),
        )),
    }
}
