//! No credential or access token appears in any Debug, Display, error or log line; and the
//! per-attempt log events count retries the server cannot see.
//!
//! Every test in this binary installs its log capture first: `tracing` caches per call site
//! whether anyone listens, and a test emitting events with no subscriber while another test
//! captures could make that cache miss events.

mod common;

use std::time::Duration;

use common::*;
use verify_push::{Client, Credentials, Error, RetryPolicy, SecretString};

fn assert_secret_free(text: &str) {
    for secret in [AUTH_TOKEN, API_SECRET, &TOKEN[..24], "Basic "] {
        assert!(!text.contains(secret), "{secret:?} leaked in: {text}");
    }
}

#[tokio::test]
async fn request_logs_have_the_request_facts_and_no_secret() {
    let mut server = mockito::Server::new_async().await;
    json_mock(&mut server, "POST", CREATE_PATH, 201, token_json(60, None))
        .with_header("Twilio-Request-Id", "RQ11111111111111111111111111111111")
        .create_async()
        .await;
    let (logs, _guard) = LogCapture::start();
    let client = Client::builder()
        .credentials(Credentials::api_key(AC, SK, API_SECRET))
        .base_url(server.url())
        .build()
        .unwrap();
    let token = client
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap();
    tracing::info!("{token:?} {:?}", token.enrollment());
    let text = logs.text();
    for fact in [
        "method=\"POST\"",
        "path=\"/v2/Services/{ServiceSid}/AccessTokens\"",
        "status=201",
        "attempt=1",
        "elapsed_ms=",
        "request_id=\"RQ11111111111111111111111111111111\"",
    ] {
        assert!(text.contains(fact), "{fact} missing in: {text}");
    }
    assert_secret_free(&text);
}

#[tokio::test]
async fn failed_request_logs_have_no_secret() {
    let mut server = mockito::Server::new_async().await;
    json_mock(
        &mut server,
        "POST",
        CREATE_PATH,
        401,
        error_json(20003, 401, "Authenticate"),
    )
    .create_async()
    .await;
    let (logs, _guard) = LogCapture::start();
    let err = client_with(&server.url(), RetryPolicy::none())
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap_err();
    let text = format!("{} {err} {err:?}", logs.text());
    assert!(text.contains("code=20003"), "{text}");
    assert_secret_free(&text);
}

#[tokio::test]
async fn every_public_type_redacts_its_secrets() {
    let (_logs, _guard) = LogCapture::start();
    let mut server = mockito::Server::new_async().await;
    json_mock(&mut server, "POST", CREATE_PATH, 201, token_json(60, None))
        .create_async()
        .await;
    let by_token = Credentials::auth_token(AC, AUTH_TOKEN);
    let by_key = Credentials::api_key(AC, SK, API_SECRET);
    let builder = Client::builder()
        .credentials(by_key.clone())
        .base_url(server.url());
    let client = builder.clone().build().unwrap();
    let token = client
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap();
    let create = client.access_tokens(VA).create(IDENTITY);
    let printed = format!(
        "{by_token:?} {by_key:?} {by_key:#?} {builder:?} {client:?} {client:#?} {token:?} {token:#?} \
         {:?} {create:?} {:?} {:?}",
        token.enrollment(),
        SecretString::from(AUTH_TOKEN),
        client.access_tokens(VA),
    );
    assert_secret_free(&printed);
    assert_eq!(
        token.token().expose_secret(),
        TOKEN,
        "the token is still reachable on purpose"
    );
}

#[test]
fn configuration_errors_do_not_echo_secrets() {
    let (_logs, _guard) = LogCapture::start();
    let err = Client::from_env_vars([
        ("TWILIO_ACCOUNT_SID", AC),
        ("TWILIO_API_KEY", SK),
        ("TWILIO_API_SECRET", API_SECRET),
        ("TWILIO_API_KEY_SECRET", AUTH_TOKEN),
    ])
    .unwrap_err();
    assert_secret_free(&format!("{err} {err:?}"));
}

#[tokio::test]
async fn create_is_retried_when_the_connection_was_refused() {
    let (logs, _guard) = LogCapture::start();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .credentials(Credentials::auth_token(AC, AUTH_TOKEN))
        .base_url(format!("http://127.0.0.1:{port}"))
        .timeout(Duration::from_millis(500))
        .retry_policy(fast_retries().with_max_retries(2))
        .build()
        .unwrap();
    let err = client
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    // Nothing listens, so the server cannot count: the client's own per-attempt events do.
    assert_eq!(logs.attempts(), 3, "1 attempt + 2 retries: {}", logs.text());
    assert_secret_free(&logs.text());
}
