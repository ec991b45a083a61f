//! An example backend for Verify Push login: the handful of endpoints a real backend needs, in
//! axum, on top of `verify-push`. With no `TWILIO_*` variables it runs the local sandbox
//! in-process, so the whole flow works with no account and no phone (the sandbox's phone page
//! plays the phone).
//!
//! | Endpoint | What it does |
//! | --- | --- |
//! | `GET /` | the page: enroll → log in → waiting → result |
//! | `POST /enroll` | the enrollment JSON for the signed-in user (hashed identity) |
//! | `GET /devices`, `DELETE /devices/{sid}` | the user's factors |
//! | `POST /login` | creates a challenge (message, browser and IP fields); returns its SID |
//! | `GET /login/{sid}` | `pending`, `approved`, `denied` or `expired` |
//! | `POST /webhooks/verify` | checks the signature, de-duplicates by `uuid`, records the event |
//! | `GET /events` | the recorded webhook events, newest last |
//!
//! What a production backend adds is in `docs/push-login.md`: authenticate your own users
//! before `/enroll` and `/login` (here one demo user is always signed in), rate-limit `/login`,
//! and keep the events in your database.

mod config;
mod handlers;
mod webhook_log;

pub use config::{Config, Mode};

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use verify_push::webhooks::{EventType, WebhookValidator};
use verify_push::{Client, Credentials, Identity};
use verify_push_sandbox::Sandbox;

/// What every handler shares.
#[derive(Debug)]
pub(crate) struct AppState {
    pub client: Client,
    pub service_sid: String,
    /// The signed-in user: one demo user (a real backend takes it from its session).
    pub identity: Identity,
    /// Checks `X-Twilio-Signature`; `None` when no auth token is configured.
    pub validator: Option<WebhookValidator>,
    /// The URL Twilio calls for webhooks, exactly as signed.
    pub webhook_url: String,
    pub events: webhook_log::WebhookLog,
}

/// A running example.
#[derive(Debug)]
pub struct Running {
    /// Where the page is, e.g. `http://127.0.0.1:3000/`.
    pub url: String,
    /// The sandbox's phone page when running against the in-process sandbox.
    pub phone_url: Option<String>,
    /// The in-process sandbox, when there is one (kept alive as long as this value).
    pub sandbox: Option<Sandbox>,
    server: tokio::task::JoinHandle<()>,
}

impl Running {
    /// Stops the server (and the sandbox, when dropped).
    pub fn stop(self) {
        self.server.abort();
    }

    /// Waits until the server stops (it runs until the process ends).
    pub async fn wait(self) {
        let _ = self.server.await;
    }
}

/// The demo user every request is made for.
pub const DEMO_USER: &str = "demo-user@example.com";

/// Starts the example on `addr` (port 0 picks one).
pub async fn start(config: Config, addr: SocketAddr) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let url = format!("http://{local}/");
    let webhook_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"))
        .trim_end_matches('/')
        .to_string()
        + "/webhooks/verify";

    let (client, service_sid, validator, sandbox) = match config.mode {
        Mode::Sandbox => {
            let sandbox = Sandbox::start().await?;
            let client = Client::builder()
                .credentials(Credentials::auth_token(
                    sandbox.account_sid(),
                    sandbox.auth_token(),
                ))
                .base_url(sandbox.base_url())
                .build()
                .map_err(std::io::Error::other)?;
            let validator = WebhookValidator::new(sandbox.auth_token()).ok();
            let service = sandbox.service_sid().to_string();
            // The sandbox delivers signed webhooks to loopback URLs, as Twilio would to yours.
            client
                .service(&service)
                .webhooks()
                .create("push-login example", webhook_url.as_str())
                .event(EventType::All)
                .send()
                .await
                .map_err(std::io::Error::other)?;
            (client, service, validator, Some(sandbox))
        }
        Mode::Twilio {
            ref service_sid,
            ref webhook_auth_token,
        } => {
            let client = Client::from_env().map_err(std::io::Error::other)?;
            let validator = webhook_auth_token
                .as_deref()
                .and_then(|t| WebhookValidator::new(t).ok());
            (client, service_sid.clone(), validator, None)
        }
    };

    let state = Arc::new(AppState {
        client,
        service_sid,
        identity: Identity::hashed(DEMO_USER),
        validator,
        webhook_url,
        events: webhook_log::WebhookLog::default(),
    });
    let app = handlers::router(state);
    let server = tokio::spawn(async move {
        let app = app.into_make_service_with_connect_info::<SocketAddr>();
        if let Err(e) = axum::serve(listener, app).await {
            say(&format!("server stopped: {e}"));
        }
    });
    let phone_url = sandbox.as_ref().map(Sandbox::phone_url);
    Ok(Running {
        url,
        phone_url,
        sandbox,
        server,
    })
}

/// A line on stdout that never panics, even when stdout is a closed pipe.
pub fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
}

/// How long one request may take before the example gives up on it.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
