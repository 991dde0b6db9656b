//! The listener: accept loop, per-connection HTTP/1.1 service, body limit, shutdown.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::answer::{oauth_error, HttpResponse};
use super::request::HttpRequest;
use super::router;
use crate::error::OAuthError;
use crate::shared::Shared;

/// Serves until `stop` changes or its sender is dropped, then gives open connections up to
/// `grace` to finish their current request.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<()>,
    grace: std::time::Duration,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                let service = service_fn(move |req| {
                    let shared = shared.clone();
                    async move { Ok::<_, Infallible>(handle(&shared, req).await) }
                });
                let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            _ = stop.changed() => break,
        }
    }
    drop(listener);
    // In-flight requests get a moment to finish; idle keep-alive connections close now.
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
