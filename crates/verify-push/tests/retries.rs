//! Retry rules, counted in requests the server actually received.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use verify_push::{Client, Credentials, Error, RetryPolicy};

#[tokio::test]
async fn too_many_concurrent_requests_is_retried_after_retry_after() {
    let mut server = mockito::Server::new_async().await;
    let throttled = json_mock(
        &mut server,
        "POST",
        CREATE_PATH,
        429,
        error_json(20429, 429, "Too many concurrent requests"),
    )
    .with_header("Retry-After", "1")
    .expect(1)
    .create_async()
    .await;
    let created = json_mock(&mut server, "POST", CREATE_PATH, 201, token_json(60, None))
        .expect(1)
        .create_async()
        .await;
    let started = Instant::now();
    let token = client(&server.url())
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap();
    let waited = started.elapsed();
    throttled.assert_async().await;
    created.assert_async().await;
    assert_eq!(token.sid().as_str(), YK);
    // The client's backoff is at most 5 ms here, so a wait of a second is Retry-After's doing.
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
}

#[tokio::test]
async fn retry_after_is_capped() {
    let mut server = mockito::Server::new_async().await;
    let throttled = json_mock(
        &mut server,
        "GET",
        FETCH_PATH,
        429,
        error_json(20429, 429, "busy"),
    )
    .with_header("Retry-After", "3600")
    .expect(1)
    .create_async()
    .await;
    let ok = json_mock(&mut server, "GET", FETCH_PATH, 200, token_json(60, None))
        .expect(1)
        .create_async()
        .await;
    let client = client_with(
        &server.url(),
        fast_retries().with_max_retry_after(Duration::from_millis(50)),
    );
    let started = Instant::now();
    client.access_tokens(VA).fetch(YK).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "Retry-After was not capped"
    );
    throttled.assert_async().await;
    ok.assert_async().await;
}

#[tokio::test]
async fn a_429_without_code_is_retried_up_to_the_maximum() {
    let mut server = mockito::Server::new_async().await;
    let throttled = json_mock(
        &mut server,
        "POST",
        CREATE_PATH,
        429,
        r#"{"message":"Too Many Requests"}"#,
    )
    .expect(4)
    .create_async()
    .await;
    let err = client(&server.url())
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap_err();
    throttled.assert_async().await; // 1 attempt + 3 retries (the default)
    assert_eq!(err.status(), Some(429));
}

#[tokio::test]
async fn product_limit_429s_are_not_retried() {
    for code in [60203, 60309, 60310, 60326] {
        let mut server = mockito::Server::new_async().await;
        let limited = json_mock(
            &mut server,
            "POST",
            CREATE_PATH,
            429,
            error_json(code, 429, "Max send attempts reached"),
        )
        .with_header("Retry-After", "0")
        .expect(1)
        .create_async()
        .await;
        let err = client(&server.url())
            .access_tokens(VA)
            .create(IDENTITY)
            .send()
            .await
            .unwrap_err();
        limited.assert_async().await;
        assert_eq!(err.code(), Some(code));
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn create_is_not_resent_after_a_5xx() {
    let mut server = mockito::Server::new_async().await;
    let failed = json_mock(
        &mut server,
        "POST",
        CREATE_PATH,
        500,
        error_json(20500, 500, "Internal Server Error"),
    )
    .expect(1)
    .create_async()
    .await;
    let err = client(&server.url())
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap_err();
    failed.assert_async().await;
    assert_eq!(err.status(), Some(500));
}

#[tokio::test]
async fn fetch_is_retried_after_a_5xx() {
    let mut server = mockito::Server::new_async().await;
    let failed = json_mock(
        &mut server,
        "GET",
        FETCH_PATH,
        503,
        error_json(20503, 503, "Service Unavailable"),
    )
    .expect(2)
    .create_async()
    .await;
    let ok = json_mock(&mut server, "GET", FETCH_PATH, 200, token_json(60, None))
        .expect(1)
        .create_async()
        .await;
    client(&server.url())
        .access_tokens(VA)
        .fetch(YK)
        .await
        .unwrap();
    failed.assert_async().await;
    ok.assert_async().await;
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let mut server = mockito::Server::new_async().await;
    let failed = json_mock(
        &mut server,
        "GET",
        FETCH_PATH,
        503,
        error_json(20503, 503, "down"),
    )
    .expect(1)
    .create_async()
    .await;
    let err = client_with(&server.url(), RetryPolicy::none())
        .access_tokens(VA)
        .fetch(YK)
        .await
        .unwrap_err();
    failed.assert_async().await;
    assert!(err.is_retryable(), "transient, but the policy said no");
}

/// A server on 127.0.0.1 that reads each request and then does `behaviour` with the socket.
async fn raw_server(reply: Option<&'static str>) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let _ = socket.read(&mut buf).await;
                match reply {
                    // Hang: hold the socket open without answering.
                    None => tokio::time::sleep(Duration::from_secs(30)).await,
                    // Answer with a truncated response, then close: a failure after sending.
                    Some(text) => {
                        let _ = socket.write_all(text.as_bytes()).await;
                    }
                }
            });
        }
    });
    (url, connections)
}

fn short_timeout_client(url: &str) -> Client {
    Client::builder()
        .credentials(Credentials::auth_token(AC, AUTH_TOKEN))
        .base_url(url)
        .timeout(Duration::from_millis(300))
        // Room for every retry: what is counted here is the retry rule, not the deadline.
        .deadline(Duration::from_secs(10))
        .retry_policy(fast_retries().with_max_retries(2))
        .build()
        .unwrap()
}

#[tokio::test]
async fn create_that_timed_out_is_not_resent() {
    let (url, connections) = raw_server(None).await;
    let err = short_timeout_client(&url)
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn fetch_that_timed_out_is_retried() {
    let (url, connections) = raw_server(None).await;
    let err = short_timeout_client(&url)
        .access_tokens(VA)
        .fetch(YK)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        3,
        "1 attempt + 2 retries"
    );
}

#[tokio::test]
async fn create_cut_off_mid_response_is_not_resent_but_fetch_is() {
    let truncated = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"sid\":";
    let (url, connections) = raw_server(Some(truncated)).await;
    let err = short_timeout_client(&url)
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);

    let (url, connections) = raw_server(Some(truncated)).await;
    short_timeout_client(&url)
        .access_tokens(VA)
        .fetch(YK)
        .await
        .unwrap_err();
    assert_eq!(connections.load(Ordering::SeqCst), 3);
}
