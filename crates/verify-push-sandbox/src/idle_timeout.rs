//! Closing connections that stall: a listener whose connections fail with `TimedOut` when
//! neither a read nor a write makes progress for the idle timeout (30 s by default), or when a
//! request's headers are not complete within the header timeout (10 s by default) of the
//! connection's start or of the previous response. The first bounds a silent client; the second
//! one that trickles its headers a byte at a time, which keeps the idle timer from firing.
//! axum's `serve` sets no header timeout of its own.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, Sleep};

/// Default idle timeout per connection.
pub(crate) const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time a client has to send a request's headers (docs/sandbox.md#limits).
pub(crate) const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// A TCP listener whose connections time out when idle or slow to send headers.
pub(crate) struct TimedListener {
    pub(crate) inner: TcpListener,
    pub(crate) idle: Duration,
    pub(crate) headers: Duration,
}

impl axum::serve::Listener for TimedListener {
    type Io = IdleTimeout;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    return (IdleTimeout::new(stream, self.idle, self.headers), addr);
                }
                // Out of file descriptors and the like: wait a little instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// A stream that fails once it has made no progress for `idle`, or when a request's headers
/// take longer than `headers`.
pub(crate) struct IdleTimeout {
    inner: TcpStream,
    idle: Duration,
    deadline: Pin<Box<Sleep>>,
    headers: Duration,
    header_deadline: Pin<Box<Sleep>>,
    /// Waiting for the end of a request's headers (`\r\n\r\n`): from the start, and again
    /// after each response, until the blank line arrives.
    in_headers: bool,
    /// How much of `\r\n\r\n` the bytes read so far end with (0 to 3).
    matched: u8,
}

impl IdleTimeout {
    fn new(inner: TcpStream, idle: Duration, headers: Duration) -> Self {
        Self {
            inner,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
            headers,
            header_deadline: Box::pin(tokio::time::sleep(headers)),
            in_headers: true,
            matched: 0,
        }
    }

    fn progress(&mut self) {
        let next = Instant::now() + self.idle;
        self.deadline.as_mut().reset(next);
    }

    /// Bytes of the request arrived: the headers end at the first blank line.
    fn read_bytes(&mut self, bytes: &[u8]) {
        if !self.in_headers {
            return;
        }
        for &byte in bytes {
            self.matched = match (self.matched, byte) {
                (0 | 2, b'\r') => self.matched + 1,
                (1, b'\n') => 2,
                (3, b'\n') => {
                    self.in_headers = false;
                    return;
                }
                (_, b'\r') => 1,
                _ => 0,
            };
        }
    }

    /// A response went out: the next bytes read are the next request's headers.
    fn wrote(&mut self) {
        if !self.in_headers {
            self.in_headers = true;
            self.matched = 0;
            let next = Instant::now() + self.headers;
            self.header_deadline.as_mut().reset(next);
        }
    }

    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        self.deadline.as_mut().poll(cx).is_ready()
    }

    fn headers_expired(&mut self, cx: &mut Context<'_>) -> bool {
        self.in_headers && self.header_deadline.as_mut().poll(cx).is_ready()
    }
}

fn timed_out() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "connection idle for too long")
}

fn headers_too_slow() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "request headers took too long")
}

impl AsyncRead for IdleTimeout {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                this.progress();
                this.read_bytes(&buf.filled()[before..]);
                if this.headers_expired(cx) {
                    return Poll::Ready(Err(headers_too_slow()));
                }
                Poll::Ready(result)
            }
            Poll::Pending if this.headers_expired(cx) => Poll::Ready(Err(headers_too_slow())),
            Poll::Pending if this.expired(cx) => Poll::Ready(Err(timed_out())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for IdleTimeout {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(result) => {
                this.progress();
                if matches!(result, Ok(n) if n > 0) {
                    this.wrote();
                }
                Poll::Ready(result)
            }
            Poll::Pending if this.expired(cx) => Poll::Ready(Err(timed_out())),
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
