//! An example backend for Verify Push login: the handful of endpoints a real backend needs, in
//! axum, on top of `verify-push`. With no `TWILIO_*` variables it runs the local sandbox
//! in-process, so the whole flow works with no account and no phone (the sandbox's phone page
//! plays the phone).
//!
//! | Endpoint | What it does |
//! | --- | --- |
//! | `GET /` | the page: sign up / sign in → enroll → devices → sign out |
//! | `POST /signup`, `POST /signin`, `POST /signout`, `GET /me` | the account and its session |
//! | `GET /login/{poll}` | a sign-in waiting for the phone: `pending`, `approved` (sets the session cookie), `denied`, `expired` |
//! | `POST /enroll` | the enrollment JSON for the signed-in user (hashed identity) |
//! | `GET /devices`, `DELETE /devices/{sid}` | the signed-in user's factors |
//! | `POST /webhooks/verify` | checks the signature, applies the event once per `uuid` |
//! | `GET /events` | the webhook events this instance received |
//!
//! Users, sessions, factors, login attempts and processed webhook ids live in a database
//! ([`store`]): SQLite by default, PostgreSQL with a `postgres://` URL.

mod account;
mod auth;
mod config;
mod console;
mod csrf;
mod handlers;
mod limits;
mod responses;
mod state;
pub mod store;
mod webhook_log;

pub use config::{Config, Mode};
pub use console::say;

use std::net::SocketAddr;
use std::sync::Arc;

use verify_push::webhooks::{EventType, WebhookEndpoint, WebhookValidator};
use verify_push::{Client, Credentials};
use verify_push_sandbox::Sandbox;

use crate::limits::Limits;
use crate::state::AppState;
use crate::webhook_log::WebhookLog;

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

/// Starts the example on `addr` (port 0 picks one).
pub async fn start(config: Config, addr: SocketAddr) -> std::io::Result<Running> {
    let store = store::open(&config.database)
        .await
        .map_err(|e| std::io::Error::other(format!("database: {e}")))?;
    let database = |e: sqlx::Error| std::io::Error::other(format!("database: {e}"));
    let secure = config
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    let csrf = csrf::csrf_config(store.as_ref(), secure)
        .await
        .map_err(database)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let url = format!("http://{local}/");
    // The origin Twilio calls (and signs): PUBLIC_URL behind a proxy or tunnel, else this address.
    let origin = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"))
        .trim_end_matches('/')
        .to_string();
    let webhook_url = format!("{origin}/webhooks/verify");

    let (client, service_sid, validator, sandbox) = match config.mode {
        Mode::Sandbox => {
            let sandbox = Sandbox::start().await?;
            let (client, service, validator) =
                sandbox_client(&sandbox, Some(webhook_url.as_str())).await?;
            (client, service, validator, Some(sandbox))
        }
        Mode::Existing(ref sandbox, webhook) => {
            let (client, service, validator) =
                sandbox_client(sandbox, webhook.then_some(webhook_url.as_str())).await?;
            (client, service, validator, None)
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

    let phone_url = match (&config.mode, &sandbox) {
        (Mode::Existing(s, _), _) => Some(s.phone_url()),
        (_, s) => s.as_ref().map(Sandbox::phone_url),
    };
    let state = Arc::new(AppState {
        client,
        service_sid,
        store,
        secure,
        login_ttl: config.login_ttl,
        csrf,
        limits: Limits::per_minute(config.signins_per_ip, config.signins_per_user),
        phone_url: phone_url.clone(),
        webhook: validator.map(|v| WebhookEndpoint::new(v, origin)),
        events: WebhookLog::default(),
    });
    let app = handlers::router(state);
    let server = tokio::spawn(async move {
        let app = app.into_make_service_with_connect_info::<SocketAddr>();
        if let Err(e) = axum::serve(listener, app).await {
            say(&format!("server stopped: {e}"));
        }
    });
    Ok(Running {
        url,
        phone_url,
        sandbox,
        server,
    })
}

/// A client of a sandbox, with a webhook registered to `webhook_url` when given.
async fn sandbox_client(
    sandbox: &Sandbox,
    webhook_url: Option<&str>,
) -> std::io::Result<(Client, String, Option<WebhookValidator>)> {
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
    if let Some(webhook_url) = webhook_url {
        client
            .service(&service)
            .webhooks()
            .create("push-login example", webhook_url)
            .event(EventType::All)
            .send()
            .await
            .map_err(std::io::Error::other)?;
    }
    Ok((client, service, validator))
}
