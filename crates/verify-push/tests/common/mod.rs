//! Shared fixtures for the integration tests: SIDs, a token response, clients pointed at a
//! local server, and a log capture.
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use verify_push::{Client, Credentials, RetryPolicy};

pub const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const SK: &str = "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
pub const VA: &str = "VAcccccccccccccccccccccccccccccccc";
pub const YK: &str = "YKdddddddddddddddddddddddddddddddd";
pub const AUTH_TOKEN: &str = "auth-token-0123456789abcdef";
pub const API_SECRET: &str = "api-secret-fedcba9876543210";
pub const IDENTITY: &str = "ff483d1ff591898a9942916050d2ca3f";
pub const TOKEN: &str = "eyJ6aXAiOiJERUYiLCJraWQiOiJTQVNfUzNfX19LTVNfdjEiLCJjdHkiOiJ0d2lsaW8tZnBhO3Y9MSIsImVuYyI6IkEyNTZHQ00iLCJhbGciOiJkaXIifQ..qjltWfIgQaTwp2De.81Z_6W4kR-hdlAUvJQCbwS8CQ7QAoFRkOvNMoySEj8zEB4BAY3MXhPARfaK4Lnr4YceA2cXEmrzPKQ7bPm0XZMGYm1fqLYzAR8YAqUetI9WEdQ.GCt35DWTurtP-QaIL5aBSQ";

pub const CREATE_PATH: &str = "/v2/Services/VAcccccccccccccccccccccccccccccccc/AccessTokens";
pub const FETCH_PATH: &str = "/v2/Services/VAcccccccccccccccccccccccccccccccc/AccessTokens/YKdddddddddddddddddddddddddddddddd";

/// Twilio's access token resource, as in the spec's example.
pub fn token_json(ttl: u32, friendly_name: Option<&str>) -> String {
    serde_json::json!({
        "sid": YK,
        "account_sid": AC,
        "service_sid": VA,
        "entity_identity": IDENTITY,
        "factor_type": "push",
        "factor_friendly_name": friendly_name,
        "ttl": ttl,
        "date_created": "2015-07-30T20:00:00Z",
        "token": TOKEN,
        "url": format!("https://verify.twilio.com{FETCH_PATH}"),
    })
    .to_string()
}

/// Twilio's error body.
pub fn error_json(code: u32, status: u16, message: &str) -> String {
    serde_json::json!({
        "code": code,
        "message": message,
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
        "status": status,
    })
    .to_string()
}

/// A mock answering `method path` with `status` and a JSON `body`. Chain matchers, headers and
/// `expect` on it, then `create_async`.
pub fn json_mock(
    server: &mut mockito::ServerGuard,
    method: &str,
    path: &str,
    status: usize,
    body: impl AsRef<[u8]>,
) -> mockito::Mock {
    server
        .mock(method, path)
        .with_status(status)
        .with_header("content-type", "application/json")
        .with_body(body)
}

/// Fast retries so tests do not wait on real backoff.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

/// A client with an auth token, pointed at `base_url`.
pub fn client(base_url: &str) -> Client {
    client_with(base_url, fast_retries())
}

pub fn client_with(base_url: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .credentials(Credentials::auth_token(AC, AUTH_TOKEN))
        .base_url(base_url)
        .retry_policy(retry)
        .build()
        .expect("valid test client")
}

/// Collects everything `tracing` writes while the guard lives (current thread only, which is
/// what `#[tokio::test]` runs on).
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl LogCapture {
    pub fn start() -> (Self, tracing::subscriber::DefaultGuard) {
        let capture = LogCapture::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        // Recompute every call site's "is anyone listening" now that this subscriber exists.
        tracing::callsite::rebuild_interest_cache();
        (capture, guard)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// How many attempts were logged.
    pub fn attempts(&self) -> usize {
        self.text().matches("Twilio request").count()
    }
}

impl Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
