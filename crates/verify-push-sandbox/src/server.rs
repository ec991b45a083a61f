//! The [`Sandbox`] handle: its address and credentials, and stopping it. Starting it is in
//! `builder.rs`, what tests do to it (failures, request log, clock, phone) in `controls.rs`.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::state::SharedState;

/// A running local Twilio Verify Push on `127.0.0.1`: access tokens, entities, factors,
/// challenges, notifications and webhooks, with a virtual phone.
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
    pub(crate) state: Arc<SharedState>,
    pub(crate) addr: SocketAddr,
    pub(crate) shutdown: Option<oneshot::Sender<()>>,
    pub(crate) task: Option<JoinHandle<()>>,
}

impl Sandbox {
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
