//! The listener: accept loop, per-connection HTTP/1.1 service, body limit, shutdown.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Request;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

use super::answer::{oauth_error, HttpResponse};
use super::request::HttpRequest;
use super::router;
use crate::error::OAuthError;
use crate::shared::Shared;

/// Accepts connections until `stop` changes or its sender is dropped, and deals them out
/// round-robin between this runtime and the `peers` (other worker threads), so that each
/// worker serves an equal share; then gives open connections up to `grace` to finish.
pub(crate) async fn serve(
    listener: TcpListener,
    peers: Vec<mpsc::UnboundedSender<std::net::TcpStream>>,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<()>,
    grace: Duration,
) {
    let graceful = GracefulShutdown::new();
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
                next = (next + 1) % (peers.len() + 1);
                match next.checked_sub(1).map(|peer| &peers[peer]) {
                    Some(peer) => {
                        if let Ok(stream) = stream.into_std() {
                            let _ = peer.send(stream);
                        }
                    }
                    None => serve_connection(stream, &shared, &graceful),
                }
            }
            _ = stop.changed() => break,
        }
    }
    drop(listener);
    finish(graceful, grace).await;
}

/// A worker thread's loop: serves the connections the accepting thread hands it.
pub(crate) async fn serve_handed(
    mut handed: mpsc::UnboundedReceiver<std::net::TcpStream>,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<()>,
    grace: Duration,
) {
    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            stream = handed.recv() => {
                let Some(stream) = stream else { break };
                if let Ok(stream) = TcpStream::from_std(stream) {
                    serve_connection(stream, &shared, &graceful);
                }
            }
            _ = stop.changed() => break,
        }
    }
    finish(graceful, grace).await;
}

fn serve_connection(stream: TcpStream, shared: &Arc<Shared>, graceful: &GracefulShutdown) {
    let _ = stream.set_nodelay(true);
    let shared = shared.clone();
    let service = service_fn(move |req| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(handle(&shared, req).await) }
    });
    let connection =
        graceful.watch(http1::Builder::new().serve_connection(TokioIo::new(stream), service));
    tokio::spawn(async move {
        let _ = connection.await;
    });
}

/// Idle keep-alive connections close now; in-flight requests get up to `grace`.
async fn finish(graceful: GracefulShutdown, grace: Duration) {
    if !grace.is_zero() {
        let _ = tokio::time::timeout(grace, graceful.shutdown()).await;
    }
}

/// Reads the body within the limit and hands the request to the router.
pub(crate) async fn handle(shared: &Shared, req: Request<Incoming>) -> HttpResponse {
    let (parts, body) = req.into_parts();
    let limit = shared.body_limit;
    let too_large = || {
        oauth_error(
            &OAuthError::invalid_request(format!(
                "request body exceeds the limit of {limit} bytes"
            ))
            .with_status(413),
        )
    };
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return too_large();
    }
    let body: Bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) if err.is::<http_body_util::LengthLimitError>() => return too_large(),
        Err(_) => {
            return oauth_error(&OAuthError::invalid_request(
                "the request body could not be read",
            ))
        }
    };
    let request = HttpRequest {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        headers: parts.headers,
        body,
    };
    router::route(shared, &request)
}
