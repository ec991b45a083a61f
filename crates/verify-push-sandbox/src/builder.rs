//! Starting a sandbox: [`SandboxBuilder`] (port, credentials, SIDs, idle timeout) and the
//! listener and server task it starts. `Sandbox::start` and `Sandbox::builder` are declared here,
//! with the builder, so the `Sandbox` handle (server.rs) never imports its builder.

use std::fmt;
use std::io;
use std::net::Ipv4Addr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::auth::Credentials;
use crate::idle_timeout::{DEFAULT_HEADER_TIMEOUT, DEFAULT_IDLE_TIMEOUT, TimedListener};
use crate::ids;
use crate::routes;
use crate::server::Sandbox;
use crate::state::SharedState;

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1` and a free port, with a fresh random account SID, auth
    /// token, API key and secret, and service SID.
    ///
    /// The server runs as a task on the current tokio runtime (a current-thread runtime such as
    /// `#[tokio::test]`'s works, as long as the test talks to it with an async client).
    ///
    /// # Errors
    ///
    /// If the listening socket cannot be opened.
    ///
    /// # Panics
    ///
    /// If called outside a tokio runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::Sandbox;
    ///
    /// #[tokio::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let sandbox = Sandbox::start().await?;
    ///     assert!(sandbox.base_url().starts_with("http://127.0.0.1:"));
    ///     assert!(sandbox.account_sid().starts_with("AC"));
    ///     Ok(())
    /// }
    /// ```
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    /// A builder to choose the port or any of the credentials and SIDs.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::Sandbox;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::builder()
    ///     .account_sid("AC00000000000000000000000000000001")
    ///     .auth_token("local-auth-token")
    ///     .service_sid("VA00000000000000000000000000000001")
    ///     .start()
    ///     .await?;
    /// assert_eq!(sandbox.auth_token(), "local-auth-token");
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }
}

/// Configures a [`Sandbox`] before starting it. Every setting is optional; what is not set is
/// random (or, for the port, chosen by the operating system).
///
/// `Debug` redacts the auth token and the API key secret.
///
/// # Examples
///
/// ```
/// use verify_push_sandbox::Sandbox;
///
/// # #[tokio::main]
/// # async fn main() -> std::io::Result<()> {
/// let sandbox = Sandbox::builder()
///     .api_key("SK00000000000000000000000000000001", "local-api-secret")
///     .start()
///     .await?;
/// assert_eq!(sandbox.api_key_sid(), "SK00000000000000000000000000000001");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct SandboxBuilder {
    port: Option<u16>,
    account_sid: Option<String>,
    auth_token: Option<String>,
    api_key: Option<(String, String)>,
    service_sid: Option<String>,
    idle_timeout: Option<std::time::Duration>,
    header_timeout: Option<std::time::Duration>,
}

impl SandboxBuilder {
    /// How long a connection may make no progress (no byte read or written) before the sandbox
    /// closes it; 30 seconds by default. Bounds slow and silent clients.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use verify_push_sandbox::Sandbox;
    /// let builder = Sandbox::builder().idle_timeout(Duration::from_secs(5));
    /// ```
    #[must_use]
    pub fn idle_timeout(mut self, idle: std::time::Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }

    /// How long a client has to send a request's headers, from the connection's start or the
    /// previous response; 10 seconds by default. Bounds a client that trickles its headers a
    /// byte at a time (which the idle timeout alone would not).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use verify_push_sandbox::Sandbox;
    /// let builder = Sandbox::builder().header_read_timeout(Duration::from_secs(2));
    /// ```
    #[must_use]
    pub fn header_read_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.header_timeout = Some(timeout);
        self
    }

    /// Listen on this port of `127.0.0.1` instead of a free one the operating system picks.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::builder().port(8080).start().await?;
    /// assert_eq!(sandbox.base_url(), "http://127.0.0.1:8080");
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// The account SID: `AC` and 32 hex digits.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// let builder = Sandbox::builder().account_sid("AC00000000000000000000000000000001");
    /// ```
    #[must_use]
    pub fn account_sid(mut self, account_sid: impl Into<String>) -> Self {
        self.account_sid = Some(account_sid.into());
        self
    }

    /// The auth token (not empty).
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// let builder = Sandbox::builder().auth_token("local-auth-token");
    /// ```
    #[must_use]
    pub fn auth_token(mut self, auth_token: impl Into<String>) -> Self {
        self.auth_token = Some(auth_token.into());
        self
    }

    /// The API key: its SID (`SK` and 32 hex digits) and its secret (not empty).
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// let builder = Sandbox::builder().api_key("SK00000000000000000000000000000001", "secret");
    /// ```
    #[must_use]
    pub fn api_key(mut self, sid: impl Into<String>, secret: impl Into<String>) -> Self {
        self.api_key = Some((sid.into(), secret.into()));
        self
    }

    /// The Verify service SID: `VA` and 32 hex digits.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// let builder = Sandbox::builder().service_sid("VA00000000000000000000000000000001");
    /// ```
    #[must_use]
    pub fn service_sid(mut self, service_sid: impl Into<String>) -> Self {
        self.service_sid = Some(service_sid.into());
        self
    }

    /// Uses the fixed credentials of [`test_defaults`](crate::test_defaults) for the account
    /// SID, auth token and service SID not set otherwise (call it first; a later
    /// [`account_sid`](Self::account_sid) and the like still win).
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::{Sandbox, test_defaults};
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::builder().test_defaults().start().await?;
    /// assert_eq!(sandbox.account_sid(), test_defaults::ACCOUNT_SID);
    /// assert_eq!(sandbox.service_sid(), test_defaults::SERVICE_SID);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn test_defaults(mut self) -> Self {
        use crate::test_defaults::{ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID};
        self.account_sid.get_or_insert_with(|| ACCOUNT_SID.into());
        self.auth_token.get_or_insert_with(|| AUTH_TOKEN.into());
        self.service_sid.get_or_insert_with(|| SERVICE_SID.into());
        self
    }

    /// Starts the sandbox on the current tokio runtime (see [`Sandbox::start`]).
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] if a SID does not have its documented shape or a secret is
    /// empty; otherwise, if the listening socket cannot be opened (for example, the port is taken).
    ///
    /// # Panics
    ///
    /// If called outside a tokio runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() {
    /// let error = Sandbox::builder().service_sid("VA-not-a-sid").start().await.unwrap_err();
    /// assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    /// # }
    /// ```
    pub async fn start(self) -> io::Result<Sandbox> {
        let credentials = self.credentials()?;
        let service_sid = match self.service_sid {
            Some(sid) => checked_sid("VA", "service SID", sid)?,
            None => ids::random_sid("VA"),
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, self.port.unwrap_or(0))).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(SharedState::new(
            credentials,
            service_sid,
            format!("http://{addr}"),
        ));
        let (shutdown, stopped) = oneshot::channel::<()>();
        let listener = TimedListener {
            inner: listener,
            idle: self.idle_timeout.unwrap_or(DEFAULT_IDLE_TIMEOUT),
            headers: self.header_timeout.unwrap_or(DEFAULT_HEADER_TIMEOUT),
        };
        let server = axum::serve(listener, routes::router(Arc::clone(&state)))
            .with_graceful_shutdown(async {
                // A dropped sender means the same as a sent signal: the handle is gone.
                let _ = stopped.await;
            });
        let task = tokio::spawn(async move {
            // axum's serve loop retries accept errors itself and never returns an error.
            let _ = server.await;
        });
        Ok(Sandbox {
            state,
            addr,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    fn credentials(&self) -> io::Result<Credentials> {
        let account_sid = match &self.account_sid {
            Some(sid) => checked_sid("AC", "account SID", sid.clone())?,
            None => ids::random_sid("AC"),
        };
        let auth_token = match &self.auth_token {
            Some(token) => checked_secret("auth token", token.clone())?,
            None => ids::secret(),
        };
        let (api_key_sid, api_key_secret) = match &self.api_key {
            Some((sid, secret)) => (
                checked_sid("SK", "API key SID", sid.clone())?,
                checked_secret("API key secret", secret.clone())?,
            ),
            None => (ids::random_sid("SK"), ids::secret()),
        };
        Ok(Credentials {
            account_sid,
            auth_token,
            api_key_sid,
            api_key_secret,
        })
    }
}

fn checked_sid(prefix: &str, what: &str, sid: String) -> io::Result<String> {
    if ids::is_sid(prefix, &sid) {
        Ok(sid)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("the {what} must be {prefix} followed by 32 hex digits, got {sid:?}"),
        ))
    }
}

/// An empty secret would let `SID:` (no password at all) in.
fn checked_secret(what: &str, secret: String) -> io::Result<String> {
    if secret.is_empty() {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("the {what} must not be empty"),
        ))
    } else {
        Ok(secret)
    }
}

/// Redacts the auth token and the API key secret.
impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |set: bool| if set { "[REDACTED]" } else { "(random)" };
        f.debug_struct("SandboxBuilder")
            .field("port", &self.port)
            .field("account_sid", &self.account_sid)
            .field("auth_token", &redacted(self.auth_token.is_some()))
            .field("api_key_sid", &self.api_key.as_ref().map(|(sid, _)| sid))
            .field("api_key_secret", &redacted(self.api_key.is_some()))
            .field("service_sid", &self.service_sid)
            .field("idle_timeout", &self.idle_timeout)
            .field("header_timeout", &self.header_timeout)
            .finish()
    }
}
