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
    path: impl Into<mockito::Matcher>,
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

pub const YF: &str = "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const YC: &str = "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const YW: &str = "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const ENTITY_PATH: &str =
    "/v2/Services/VAcccccccccccccccccccccccccccccccc/Entities/ff483d1ff591898a9942916050d2ca3f";

/// One example body from `tests/fixtures/<resource>.json` (the spec's own examples), keyed
/// `OperationId.example`.
pub fn fixture(resource: &str, key: &str) -> String {
    let text = match resource {
        "entities" => include_str!("../fixtures/entities.json"),
        "factors" => include_str!("../fixtures/factors.json"),
        "challenges" => include_str!("../fixtures/challenges.json"),
        "notifications" => include_str!("../fixtures/notifications.json"),
        "webhooks" => include_str!("../fixtures/webhooks.json"),
        other => panic!("no fixture file for {other}"),
    };
    let all: serde_json::Value = serde_json::from_str(text).expect("fixture JSON");
    all.get(key)
        .unwrap_or_else(|| panic!("no fixture {resource}/{key}"))
        .to_string()
}

/// What one request carried, as a capturing mock saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
}

/// A mock that answers every `method` request whose path matches `path_regex` with `status`
/// and `body`, and records each request.
pub async fn capture(
    server: &mut mockito::ServerGuard,
    method: &str,
    path_regex: &str,
    status: usize,
    body: String,
) -> (mockito::Mock, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let mock = server
        .mock(method, mockito::Matcher::Regex(path_regex.to_string()))
        .with_status(status)
        .with_header("content-type", "application/json")
        .with_body_from_request(move |request| {
            let (path, query) = match request.path_and_query().split_once('?') {
                Some((p, q)) => (p.to_string(), pairs(q)),
                None => (request.path().to_string(), Vec::new()),
            };
            let sent = request.utf8_lossy_body().unwrap_or_default().into_owned();
            log.lock().unwrap().push(Seen {
                method: request.method().to_string(),
                path,
                query,
                form: pairs(&sent),
            });
            body.clone().into_bytes()
        })
        .create_async()
        .await;
    (mock, seen)
}

/// `application/x-www-form-urlencoded` pairs, in order, repeated keys kept.
pub fn pairs(encoded: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(encoded.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Compares what was sent with what twilio-python 9.x sends for the same call, as
/// `(key, value)` pairs in any order. Keys in `json_keys` carry JSON (python's `json.dumps`
/// writes `", "` and `": "` separators, this crate compact JSON): compared as parsed JSON.
pub fn assert_same_form(sent: &[(String, String)], python: &[(&str, &str)], json_keys: &[&str]) {
    let normal = |k: &str, v: &str| -> (String, String) {
        if json_keys.contains(&k) {
            let parsed: serde_json::Value =
                serde_json::from_str(v).unwrap_or_else(|e| panic!("{k} is not JSON ({e}): {v}"));
            (k.to_string(), parsed.to_string())
        } else {
            (k.to_string(), v.to_string())
        }
    };
    let mut sent: Vec<_> = sent.iter().map(|(k, v)| normal(k, v)).collect();
    let mut python: Vec<_> = python.iter().map(|(k, v)| normal(k, v)).collect();
    sent.sort();
    python.sort();
    assert_eq!(sent, python, "form differs from twilio-python's");
}

/// A server that counts every request it receives, whatever the method; the tests expect none.
pub async fn silent_server_all_methods() -> (mockito::ServerGuard, Vec<mockito::Mock>) {
    let mut server = mockito::Server::new_async().await;
    let mut mocks = Vec::new();
    for method in ["GET", "POST", "DELETE"] {
        mocks.push(
            server
                .mock(method, mockito::Matcher::Any)
                .expect(0)
                .create_async()
                .await,
        );
    }
    (server, mocks)
}

/// The call failed with `InvalidInput` naming `field`, with `rule_part` in the rule.
pub fn assert_invalid_input<T: std::fmt::Debug>(
    result: Result<T, verify_push::Error>,
    field: &str,
    rule_part: &str,
) {
    match result {
        Err(verify_push::Error::InvalidInput(e)) => {
            assert_eq!(e.field(), field, "{e}");
            assert!(e.rule().contains(rule_part), "{e}");
        }
        other => panic!("expected invalid {field}, got {other:?}"),
    }
}
