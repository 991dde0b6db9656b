//! One connection's life: the slot it holds under the server's cap, the deadlines that close
//! it, and what a stopping server does to it. hyper reads and answers the requests; this
//! only decides when the socket closes.
//!
//! - **Header timeout**: a new connection must deliver the head of its first request
//!   within it (counted from the accept), and a keep-alive connection the rest of a head
//!   within it of the head's first byte.
//! - **Idle timeout**: a keep-alive connection may wait that long for the first byte of its
//!   next request after an answer.
//! - **Body timeout**: not here; the body is read by `serve::read_body` under its own
//!   timeout (a late body is answered 408).
//! - While a request is in flight (between its head and its answer, fault delays and hangs
//!   included) no deadline runs.
//! - A stopping server closes every connection that has no request in flight at once; one
//!   with a request in flight answers it (keep-alive off) or is dropped with its runtime
//!   when the shutdown grace is over.
//!
//! hyper's own `header_read_timeout` is not used: it starts when the connection becomes
//! ready for a request, so it would also cut idle keep-alive connections after the header
//! timeout and leave no room for a longer idle timeout.

use std::future::Future;
use std::io;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::{Instant, Sleep};

/// A server's connection settings ([`MockAuthBuilder`](crate::MockAuthBuilder)'s
/// `header_timeout`, `body_timeout`, `idle_timeout`, `max_connections`, `shutdown_grace`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) header: Duration,
    pub(crate) body: Duration,
    pub(crate) idle: Duration,
    pub(crate) max_connections: usize,
    pub(crate) grace: Duration,
}

/// The open connections of one server, counted against its cap.
#[derive(Debug, Default)]
pub(crate) struct Slots {
    open: AtomicUsize,
}

impl Slots {
    /// A slot for a connection just accepted, or `None` when `max` are open. Only the
    /// accepting thread takes slots, so the count cannot pass `max` between the load and the
    /// add; any worker gives them back.
    pub(crate) fn take(self: &Arc<Self>, max: usize) -> Option<Slot> {
        if self.open.load(Relaxed) >= max {
            return None;
        }
        self.open.fetch_add(1, Relaxed);
        Some(Slot(self.clone()))
    }
}

/// Held as long as its connection is open; dropping it frees the slot.
#[derive(Debug)]
pub(crate) struct Slot(Arc<Slots>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Relaxed);
    }
}

/// What the service and the socket tell a connection's deadlines. Everything that touches
/// it runs on the connection's task; the atomics only make it `Send`.
#[derive(Debug, Default)]
pub(crate) struct Activity {
    /// Requests whose head hyper handed to the service.
    started: AtomicU32,
    /// Requests whose answer the service gave (or whose future was dropped).
    finished: AtomicU32,
    /// Bytes arrived since the last request finished.
    read: AtomicBool,
}

impl Activity {
    /// A request's head has been read; the guard marks it finished when dropped.
    pub(crate) fn begin(self: &Arc<Self>) -> InFlight {
        self.started.fetch_add(1, Relaxed);
        InFlight(self.clone())
    }
}

/// A request in flight on its connection (see [`Activity::begin`]).
#[derive(Debug)]
pub(crate) struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        // Bytes read from here on belong to the next request.
        self.0.read.store(false, Relaxed);
        self.0.finished.fetch_add(1, Relaxed);
    }
}

/// The socket, telling [`Activity`] when bytes arrive.
#[derive(Debug)]
pub(crate) struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl Watched {
    pub(crate) fn new(stream: TcpStream, activity: Arc<Activity>) -> Self {
        Self { stream, activity }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.read.store(true, Relaxed);
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Where a connection is between requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for (the rest of) a request's head: the header timeout runs.
    Head,
    /// A request is in flight: no deadline.
    Busy,
    /// Answered; waiting for the next request's first byte: the idle timeout runs.
    Idle,
}

/// A connection's deadline, moved by its [`Activity`] each time hyper has been polled.
#[derive(Debug)]
pub(crate) struct Deadlines {
    limits: Limits,
    activity: Arc<Activity>,
    phase: Phase,
    /// `Activity::finished` when last looked at.
    finished: u32,
    /// When the connection closes unless something happens first (`None` while busy).
    deadline: Option<Instant>,
    /// The instant `sleep` is set for. A deadline that moves later (each answer moves the
    /// idle deadline) waits until the timer fires, so a request costs no timer update.
    armed: Instant,
    sleep: Pin<Box<Sleep>>,
}

impl Deadlines {
    /// For a connection accepted now: its first head is due within the header timeout.
    pub(crate) fn new(limits: Limits, activity: Arc<Activity>) -> Self {
        let deadline = Instant::now() + limits.header;
        Self {
            limits,
            activity,
            phase: Phase::Head,
            finished: 0,
            deadline: Some(deadline),
            armed: deadline,
            sleep: Box::pin(tokio::time::sleep_until(deadline)),
        }
    }

    /// Reads the activity since the last look and moves the deadline accordingly.
    fn observe(&mut self) {
        let started = self.activity.started.load(Relaxed);
        let finished = self.activity.finished.load(Relaxed);
        if started != finished {
            self.phase = Phase::Busy;
            self.deadline = None;
        } else if finished != self.finished {
            self.finished = finished;
            // The next request's bytes may have come with (or right after) the answer.
            self.enter(if self.activity.read.swap(false, Relaxed) {
                Phase::Head
            } else {
                Phase::Idle
            });
        } else if self.phase == Phase::Idle && self.activity.read.swap(false, Relaxed) {
            self.enter(Phase::Head);
        }
    }

    fn enter(&mut self, phase: Phase) {
        let timeout = match phase {
            Phase::Head => self.limits.header,
            _ => self.limits.idle,
        };
        self.phase = phase;
        self.deadline = Some(Instant::now() + timeout);
    }

    /// `Ready` when the connection is to close now: its deadline has passed, or the server
    /// is `stopping` and no request is in flight. Called after each poll of hyper.
    pub(crate) fn poll_close(&mut self, cx: &mut Context<'_>, stopping: bool) -> Poll<()> {
        self.observe();
        if stopping && self.phase != Phase::Busy {
            return Poll::Ready(());
        }
        let Some(deadline) = self.deadline else {
            return Poll::Pending;
        };
        if deadline < self.armed {
            self.rearm(deadline);
        }
        loop {
            if self.sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            if self.armed >= deadline {
                return Poll::Ready(());
            }
            // The timer was set for an earlier deadline that has moved on since.
            self.rearm(deadline);
        }
    }

    fn rearm(&mut self, deadline: Instant) {
        self.armed = deadline;
        self.sleep.as_mut().reset(deadline);
    }
}

/// Polls `conn` (a hyper connection) until it ends or [`Deadlines`] closes it; when the
/// server starts `draining`, calls `graceful_shutdown` on it once (hyper then closes it
/// after the request in flight) and closes it at once if no request is in flight. Returning
/// drops `conn`, which closes the socket, and then `draining`, which tells the server one
/// connection less is open.
pub(crate) async fn drive<C: Future>(
    conn: C,
    graceful_shutdown: impl Fn(Pin<&mut C>),
    mut deadlines: Deadlines,
    mut draining: watch::Receiver<()>,
) {
    let mut stop = pin!(draining.changed());
    let mut stopping = false;
    let mut conn = pin!(conn);
    std::future::poll_fn(|cx| {
        if !stopping && stop.as_mut().poll(cx).is_ready() {
            stopping = true;
            graceful_shutdown(conn.as_mut());
        }
        if conn.as_mut().poll(cx).is_ready() {
            return Poll::Ready(());
        }
        deadlines.poll_close(cx, stopping)
    })
    .await;
}
