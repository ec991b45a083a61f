//! The [`Sandbox`] handle and its builder: configuration, starting the server on the current
//! tokio runtime, reading its state, and stopping it.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::access_token::AccessToken;
use crate::auth::Credentials;
use crate::device::{Enrollment, VirtualDevice};
use crate::failure::Failure;
use crate::idle_timeout::{DEFAULT_IDLE_TIMEOUT, TimedListener};
use crate::ids;
use crate::recording::RecordedRequest;
use crate::routes;
use crate::state::SharedState;

/// A running fake of Twilio Verify v2's AccessTokens endpoints on `127.0.0.1`.
///
/// It has one account (reachable with its auth token or its API key), one Verify service, and
/// remembers the tokens it issued. Dropping it stops the server: the listening socket closes as
/// soon as the server task next runs, and requests in flight are allowed to finish.
/// [`shutdown`](Sandbox::shutdown) does the same and waits for it.
///
/// `Debug` redacts the auth token and the API key secret; `Display` shows only the base URL and
/// the SIDs.
///
/// # Examples
///
/// ```
/// use verify_push_sandbox::Sandbox;
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sandbox = Sandbox::start().await?;
/// let response = reqwest::Client::new()
///     .post(format!("{}/v2/Services/{}/AccessTokens", sandbox.base_url(), sandbox.service_sid()))
///     .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
///     .form(&[("Identity", "ff483d1ff591898a"), ("FactorType", "push")])
///     .send()
///     .await?;
/// assert_eq!(response.status(), 201);
/// let body: serde_json::Value = response.json().await?;
/// assert!(body["sid"].as_str().unwrap().starts_with("YK"));
/// assert_eq!(body["ttl"], 60);
/// assert_eq!(sandbox.request_count(), 1);
/// # Ok(())
/// # }
/// ```
pub struct Sandbox {
    state: Arc<SharedState>,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

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

    /// `http://127.0.0.1:PORT`, without a trailing slash: the base URL to point a client at
    /// instead of `https://verify.twilio.com`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// assert_eq!(sandbox.base_url(), format!("http://{}", sandbox.addr()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.state.base_url
    }

    /// The address the server listens on.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// assert!(sandbox.addr().ip().is_loopback());
    /// assert_ne!(sandbox.addr().port(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The account SID (`AC` + 32 hex digits): the Basic username that goes with
    /// [`auth_token`](Sandbox::auth_token), and the `account_sid` of every token.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// assert_eq!(sandbox.account_sid().len(), 34);
    /// # Ok(())
    /// # }
    /// ```
    pub fn account_sid(&self) -> &str {
        &self.state.credentials.account_sid
    }

    /// The auth token: the Basic password that goes with [`account_sid`](Sandbox::account_sid).
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// assert_eq!(sandbox.auth_token().len(), 32);
    /// # Ok(())
    /// # }
    /// ```
    pub fn auth_token(&self) -> &str {
        &self.state.credentials.auth_token
    }

    /// The API key SID (`SK` + 32 hex digits): the Basic username that goes with
    /// [`api_key_secret`](Sandbox::api_key_secret).
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// assert!(sandbox.api_key_sid().starts_with("SK"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn api_key_sid(&self) -> &str {
        &self.state.credentials.api_key_sid
    }

    /// The API key secret: the Basic password that goes with [`api_key_sid`](Sandbox::api_key_sid).
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// assert_ne!(sandbox.api_key_secret(), sandbox.auth_token());
    /// # Ok(())
    /// # }
    /// ```
    pub fn api_key_secret(&self) -> &str {
        &self.state.credentials.api_key_secret
    }

    /// The SID of the sandbox's only Verify service (`VA` + 32 hex digits). Any other service SID
    /// in a path gets a 404.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// assert!(sandbox.service_sid().starts_with("VA"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn service_sid(&self) -> &str {
        &self.state.service_sid
    }

    /// Queues `failure` for the next request that has no earlier failure queued. It applies to
    /// whatever request comes next, on any route, authenticated or not (see [`Failure`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::{Failure, Sandbox};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.fail_next(Failure::status(503));
    /// let response = reqwest::get(format!("{}/anything", sandbox.base_url())).await?;
    /// assert_eq!(response.status(), 503);
    /// let body: serde_json::Value = response.json().await?;
    /// assert_eq!(body["code"], 20503);
    /// # Ok(())
    /// # }
    /// ```
    pub fn fail_next(&self, failure: Failure) {
        self.state.queue_failures(1, &failure);
    }

    /// Queues `failure` for each of the next `count` requests.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::{Failure, Sandbox};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.fail_next_n(3, Failure::status(500));
    /// assert_eq!(sandbox.pending_failures(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn fail_next_n(&self, count: usize, failure: Failure) {
        self.state.queue_failures(count, &failure);
    }

    /// How many queued failures have not been used yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::{Failure, Sandbox};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.fail_next(Failure::status(500));
    /// reqwest::get(format!("{}/v2/Services", sandbox.base_url())).await?;
    /// assert_eq!(sandbox.pending_failures(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn pending_failures(&self) -> usize {
        self.state.pending_failures()
    }

    /// Drops every queued failure that has not been used yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::{Failure, Sandbox};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.fail_next_n(5, Failure::status(500));
    /// sandbox.clear_failures();
    /// assert_eq!(sandbox.pending_failures(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn clear_failures(&self) {
        self.state.clear_failures();
    }

    /// How many API requests the sandbox has received: all of them, including unauthorized
    /// ones, unknown routes and ones answered by an injected failure (not the phone page's).
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = Sandbox::start().await?;
    /// let response = reqwest::get(format!("{}/v2/Services", sandbox.base_url())).await?; // no credentials
    /// assert_eq!(response.status(), 401);
    /// assert_eq!(sandbox.request_count(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn request_count(&self) -> usize {
        self.state.request_count()
    }

    /// The newest requests (at most 1,000), oldest first (see [`RecordedRequest`]). Requests
    /// rejected for bad credentials are counted by [`request_count`](Sandbox::request_count)
    /// but not kept.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = Sandbox::start().await?;
    /// reqwest::get(format!("{}/v2/Services", sandbox.base_url())).await?; // 401: not kept
    /// reqwest::Client::new()
    ///     .get(format!("{}/v2/Services", sandbox.base_url()))
    ///     .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
    ///     .send()
    ///     .await?;
    /// assert_eq!(sandbox.request_count(), 2);
    /// assert_eq!(sandbox.requests().len(), 1);
    /// assert_eq!(sandbox.requests()[0].path, "/v2/Services");
    /// assert_eq!(sandbox.requests()[0].status, 404);
    /// # Ok(())
    /// # }
    /// ```
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    /// A [`VirtualDevice`] talking to this sandbox: it enrolls push factors with access tokens
    /// and approves or denies challenges, over HTTP, as the Verify Push mobile SDK does.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = Sandbox::start().await?;
    /// let device = sandbox.device();
    /// let factor = device.enroll(&sandbox.enrollment("user-0001")?).await?;
    /// assert_eq!(factor.identity, "user-0001");
    /// # Ok(())
    /// # }
    /// ```
    pub fn device(&self) -> VirtualDevice {
        VirtualDevice::new(self.base_url())
    }

    /// The sandbox's own virtual phone, the one its phone page at `GET /` shows and answers
    /// with. A clone shares its factors: enroll it from a test, then approve on the page, or the
    /// other way round.
    pub fn phone(&self) -> VirtualDevice {
        self.state.phone()
    }

    /// The phone page's URL (`GET /` of the sandbox): the virtual phone's devices and pending
    /// challenges, with Approve and Deny buttons. Loopback only, for local development.
    pub fn phone_url(&self) -> String {
        format!("{}/", self.base_url())
    }

    /// Issues an access token for `identity` directly (no HTTP request, not recorded), and
    /// returns the enrollment data an app would get from its backend. The token is also in
    /// [`access_tokens`](Sandbox::access_tokens). TTL: 300 seconds.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] if `identity` breaks Twilio's rule (8 to 64 letters,
    /// digits and single dashes).
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// let enrollment = sandbox.enrollment("user-0001")?;
    /// assert_eq!(enrollment.service_sid, sandbox.service_sid());
    /// assert!(sandbox.enrollment("short").is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn enrollment(&self, identity: &str) -> io::Result<Enrollment> {
        crate::validation::check_identity(identity)
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidInput, error.message))?;
        let sid = ids::random_sid("YK");
        let token = AccessToken {
            url: format!(
                "{}/v2/Services/{}/AccessTokens/{sid}",
                self.state.base_url, self.state.service_sid
            ),
            sid,
            account_sid: self.state.credentials.account_sid.clone(),
            service_sid: self.state.service_sid.clone(),
            entity_identity: identity.to_owned(),
            factor_type: "push".to_owned(),
            factor_friendly_name: None,
            token: ids::access_token(),
            ttl: 300,
            date_created: crate::resources::model::timestamp(self.state.now()),
        };
        let enrollment = Enrollment::new(token.token.clone(), self.service_sid(), identity);
        self.state.insert_token(token);
        Ok(enrollment)
    }

    /// Moves the sandbox's clock forward: challenges expire and access tokens age as if `by` had
    /// passed. (Device request JWTs are still checked against the real time.)
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.advance_clock(Duration::from_secs(301)); // past a challenge's default 5 minutes
    /// # Ok(())
    /// # }
    /// ```
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.state
            .advance_clock(chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX));
    }

    /// Every access token issued so far, oldest first (see [`AccessToken`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// assert!(sandbox.access_tokens().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn access_tokens(&self) -> Vec<AccessToken> {
        self.state.tokens()
    }

    /// Stops the server and waits until it has stopped: the listening socket is closed and
    /// requests in flight have been answered. Dropping the sandbox stops it too, without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// let addr = sandbox.addr();
    /// sandbox.shutdown().await;
    /// assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn shutdown(mut self) {
        self.signal_shutdown();
        if let Some(task) = self.task.take() {
            // A server task that panicked or was cancelled has stopped all the same.
            let _ = task.await;
        }
    }

    fn signal_shutdown(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // Fails only when the server task is already gone, which is the goal anyway.
            let _ = shutdown.send(());
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.signal_shutdown();
    }
}

/// Redacts the auth token and the API key secret.
impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url())
            .field("account_sid", &self.account_sid())
            .field("auth_token", &"[REDACTED]")
            .field("api_key_sid", &self.api_key_sid())
            .field("api_key_secret", &"[REDACTED]")
            .field("service_sid", &self.service_sid())
            .field("request_count", &self.request_count())
            .field("pending_failures", &self.pending_failures())
            .finish_non_exhaustive()
    }
}

/// One line without secrets, e.g. for a log: base URL, account SID and service SID.
impl fmt::Display for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Twilio Verify sandbox at {} (account {}, service {})",
            self.base_url(),
            self.account_sid(),
            self.service_sid()
        )
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
            .finish()
    }
}
