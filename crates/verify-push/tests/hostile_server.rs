//! What a hostile server, a huge body or a slow network does to a call: bounded CPU and
//! memory, no echoed secret printed, an overall deadline, and oversized configuration refused.
//! Every server here is on 127.0.0.1 (mockito or a raw TCP socket).

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use verify_push::{Client, Credentials, Error, RetryPolicy};

const MB: usize = 1024 * 1024;

fn client_builder(url: &str) -> verify_push::ClientBuilder {
    Client::builder()
        .credentials(Credentials::auth_token(AC, AUTH_TOKEN))
        .base_url(url)
}

/// Ten megabytes of something that is not JSON: every byte a character the scrubber must look
/// at, none a credential.
fn junk(len: usize) -> String {
    "<p>nope</p> ".repeat(len / 12 + 1)[..len].to_string()
}

#[tokio::test]
async fn a_huge_junk_body_is_rejected_in_bounded_time() {
    // Raise the limit so the body is read whole: what is measured is the error path (scrubbing
    // the excerpt), which used to walk the whole body (about 3 s of CPU for 10 MB in release).
    let mut server = mockito::Server::new_async().await;
    let ok_junk = server
        .mock("GET", FETCH_PATH)
        .with_status(200)
        .with_body(junk(10 * MB))
        .expect(1)
        .create_async()
        .await;
    let client = client_builder(&server.url())
        .max_response_bytes(16 * MB)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.access_tokens(VA).fetch(YK).await.unwrap_err();
    let took = started.elapsed();
    ok_junk.assert_async().await;
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(err.to_string().len() < 600, "{err}");
    // Generous: reading 10 MB over loopback in a debug build takes a fraction of this; the
    // old whole-body scrub took about 13 s of CPU in a debug build.
    assert!(took < Duration::from_secs(5), "took {took:?}");

    server.reset();
    let html_500 = server
        .mock("GET", FETCH_PATH)
        .with_status(500)
        .with_header("content-type", "text/html")
        .with_body(junk(10 * MB))
        .expect(1)
        .create_async()
        .await;
    let started = Instant::now();
    let err = client.access_tokens(VA).fetch(YK).await.unwrap_err();
    let took = started.elapsed();
    html_500.assert_async().await;
    assert_eq!(err.status(), Some(500), "{err:?}");
    assert!(err.to_string().len() < 400, "{err}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[tokio::test]
async fn a_body_over_the_default_limit_is_refused_and_not_retried() {
    let mut server = mockito::Server::new_async().await;
    // Valid JSON, 10 MB: the default limit (4 MiB) refuses it from its Content-Length.
    let padding = "a".repeat(10 * MB);
    let huge = json_mock(
        &mut server,
        "GET",
        FETCH_PATH,
        200,
        format!(r#"{{"sid":"{YK}","padding":"{padding}"}}"#),
    )
    .expect(1)
    .create_async()
    .await;
    let err = client(&server.url())
        .access_tokens(VA)
        .fetch(YK)
        .await
        .unwrap_err();
    huge.assert_async().await;
    let Error::ResponseTooLarge(too_large) = &err else {
        panic!("expected ResponseTooLarge, got {err:?}");
    };
    assert_eq!(too_large.limit(), verify_push::DEFAULT_MAX_RESPONSE_BYTES);
    assert_eq!(err.status(), Some(200));
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("4194304 bytes"), "{err}");
}

/// A server that answers each request with a 200 of undeclared length and streams junk until
/// the client goes away; returns how many body bytes it managed to write.
async fn endless_body_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicUsize::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let _ = socket.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b'7'; 64 * 1024];
                // Stop at 200 MB so a client that reads forever fails the test, not the machine.
                while counter.load(Ordering::SeqCst) < 200 * MB {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                    counter.fetch_add(chunk.len(), Ordering::SeqCst);
                }
            });
        }
    });
    (url, written)
}

#[tokio::test]
async fn an_undeclared_endless_body_is_cut_off_at_the_limit_while_reading() {
    let (url, written) = endless_body_server().await;
    let client = client_builder(&url)
        .max_response_bytes(256 * 1024)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.access_tokens(VA).fetch(YK).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge(_)), "{err:?}");
    // Give the server a moment to notice the closed socket.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = written.load(Ordering::SeqCst);
    // The limit plus what the kernel's socket buffers held: far from the 200 MB on offer.
    assert!(sent < 32 * MB, "the server wrote {sent} bytes");
}

#[tokio::test]
async fn an_echoed_auth_token_is_never_shown() {
    let mut server = mockito::Server::new_async().await;
    let echo = json_mock(
        &mut server,
        "GET",
        FETCH_PATH,
        401,
        serde_json::json!({
            "code": 20003,
            "message": format!("Authenticate: you sent {AUTH_TOKEN}"),
            "more_info": format!("https://proxy.example/help?password={AUTH_TOKEN}"),
            "details": {
                "echo": AUTH_TOKEN,
                "nested": [{"access_token": "opaque-bearer-value-123"}],
            },
            "status": 401,
        })
        .to_string(),
    )
    .expect(1)
    .create_async()
    .await;
    let (logs, _guard) = LogCapture::start();
    let err = client(&server.url())
        .access_tokens(VA)
        .fetch(YK)
        .await
        .unwrap_err();
    echo.assert_async().await;
    assert_eq!(err.code(), Some(20003));
    for shown in [
        err.to_string(),
        format!("{err:?}"),
        format!("{err:#?}"),
        logs.text(),
    ] {
        assert!(!shown.contains(AUTH_TOKEN), "{shown}");
        assert!(!shown.contains("opaque-bearer-value-123"), "{shown}");
    }
    assert!(err.to_string().contains("[REDACTED]"), "{err}");

    server.reset();
    let html = server
        .mock("GET", FETCH_PATH)
        .with_status(502)
        .with_header("content-type", "text/html")
        .with_body(format!(
            "<html><pre>Authorization failed for {AUTH_TOKEN}</pre></html>"
        ))
        .expect(1)
        .create_async()
        .await;
    let client = client_with(&server.url(), RetryPolicy::none());
    let err = client.access_tokens(VA).fetch(YK).await.unwrap_err();
    html.assert_async().await;
    assert!(!format!("{err} {err:?}").contains(AUTH_TOKEN), "{err:?}");
}

#[tokio::test]
async fn an_echoed_authorization_header_is_never_shown() {
    use base64::Engine as _;
    // What the client sends as `Authorization: Basic …` (built once per client, as a default
    // header): a proxy that prints the request's headers must not get it printed either.
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{AC}:{AUTH_TOKEN}"));
    let mut server = mockito::Server::new_async().await;
    let echo = server
        .mock("GET", FETCH_PATH)
        .with_status(502)
        .with_header("content-type", "text/plain")
        .with_body(format!(
            "bad gateway; request headers: authorization={encoded} user-agent=verify-push"
        ))
        .expect(1)
        .create_async()
        .await;
    let (logs, _guard) = LogCapture::start();
    let err = client_with(&server.url(), RetryPolicy::none())
        .access_tokens(VA)
        .fetch(YK)
        .await
        .unwrap_err();
    echo.assert_async().await;
    let shown = format!("{err} {err:?} {err:#?} {}", logs.text());
    assert!(!shown.contains(&encoded), "{shown}");
    assert!(shown.contains("[REDACTED]"), "{shown}");
}

#[tokio::test]
async fn a_token_the_client_received_is_redacted_when_echoed_later() {
    // Short enough to escape the long-run rule: only the client's memory catches it.
    let short_token = "tok-0123456789-abcdef";
    let mut server = mockito::Server::new_async().await;
    let mut body: serde_json::Value = serde_json::from_str(&token_json(60, None)).unwrap();
    body["token"] = short_token.into();
    let created = json_mock(&mut server, "POST", CREATE_PATH, 201, body.to_string())
        .expect(1)
        .create_async()
        .await;
    let echo = json_mock(
        &mut server,
        "GET",
        FETCH_PATH,
        400,
        error_json(60200, 400, &format!("Invalid parameter: {short_token}")),
    )
    .expect(1)
    .create_async()
    .await;
    let client = client(&server.url());
    let token = client
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap();
    assert_eq!(token.token().expose_secret(), short_token);
    let (logs, _guard) = LogCapture::start();
    let err = client.access_tokens(VA).fetch(YK).await.unwrap_err();
    created.assert_async().await;
    echo.assert_async().await;
    for shown in [err.to_string(), format!("{err:?}"), logs.text()] {
        assert!(!shown.contains(short_token), "{shown}");
    }
}

/// A server that accepts connections, reads the request and never answers.
async fn silent_server() -> (String, Arc<AtomicUsize>) {
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
                tokio::time::sleep(Duration::from_secs(60)).await;
            });
        }
    });
    (url, connections)
}

#[tokio::test]
async fn the_deadline_bounds_a_fetch_that_keeps_timing_out() {
    let (url, connections) = silent_server().await;
    let client = client_builder(&url)
        .timeout(Duration::from_millis(400))
        .deadline(Duration::from_millis(1000))
        .retry_policy(fast_retries().with_max_retries(10))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.access_tokens(VA).fetch(YK).await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    // Without a deadline: 11 attempts of 400 ms, 4.4 s.
    assert!(took < Duration::from_millis(2000), "took {took:?}");
    let attempts = connections.load(Ordering::SeqCst);
    assert!((2..=3).contains(&attempts), "{attempts} attempts");
    let message = err.to_string();
    assert!(
        message.contains(&format!("gave up after {attempts} attempts in ")),
        "{message}"
    );
    assert!(message.contains("deadline of 1 s"), "{message}");
}

#[tokio::test]
async fn the_deadline_stops_retries_on_429_before_the_wait_would_pass_it() {
    let mut server = mockito::Server::new_async().await;
    let throttled = json_mock(
        &mut server,
        "POST",
        CREATE_PATH,
        429,
        error_json(20429, 429, "Too many concurrent requests"),
    )
    .with_header("Retry-After", "1")
    .expect(2)
    .create_async()
    .await;
    let client = client_builder(&server.url())
        .deadline(Duration::from_millis(1500))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap_err();
    let took = started.elapsed();
    throttled.assert_async().await;
    assert_eq!(err.code(), Some(20429));
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_millis(1900),
        "took {took:?}"
    );
}

#[tokio::test]
async fn a_single_timeout_states_the_attempt_and_the_real_time() {
    let (url, connections) = silent_server().await;
    let client = client_builder(&url)
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap_err();
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    let message = err.to_string();
    assert!(
        message.contains("per-attempt timeout of 0.3 s"),
        "{message}"
    );
    assert!(
        message.contains("gave up after 1 attempt in 0."),
        "{message}"
    );
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let mut server = mockito::Server::new_async().await;
    // Two seconds ahead, at a one-second resolution: a wait of one to two seconds.
    let date = (chrono::Utc::now() + chrono::Duration::seconds(2))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let throttled = json_mock(
        &mut server,
        "GET",
        FETCH_PATH,
        429,
        error_json(20429, 429, "Too many concurrent requests"),
    )
    .with_header("Retry-After", &date)
    .expect(1)
    .create_async()
    .await;
    let ok = json_mock(&mut server, "GET", FETCH_PATH, 200, token_json(60, None))
        .expect(1)
        .create_async()
        .await;
    let started = Instant::now();
    client(&server.url())
        .access_tokens(VA)
        .fetch(YK)
        .await
        .unwrap();
    let waited = started.elapsed();
    throttled.assert_async().await;
    ok.assert_async().await;
    // The backoff alone is at most 5 ms here.
    assert!(waited >= Duration::from_millis(900), "waited {waited:?}");
}

#[tokio::test]
async fn oversized_configuration_is_refused_at_build_and_nothing_is_sent() {
    let mut server = mockito::Server::new_async().await;
    let nothing = server
        .mock("POST", mockito::Matcher::Any)
        .expect(0)
        .create_async()
        .await;
    let huge = "x".repeat(MB);
    let cases = [
        (
            Client::builder()
                .credentials(Credentials::auth_token(AC, huge.as_str()))
                .base_url(server.url()),
            "auth_token",
        ),
        (
            Client::builder()
                .credentials(Credentials::api_key(AC, SK, huge.as_str()))
                .base_url(server.url()),
            "api_secret",
        ),
        (
            client_builder(&server.url()).user_agent_extension(huge.as_str()),
            "user_agent_extension",
        ),
        (
            client_builder(&format!("{}/{huge}", server.url())),
            "base_url",
        ),
    ];
    for (builder, field) in cases {
        let err = builder.build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert_eq!(err.as_invalid_input().unwrap().field(), field);
        assert!(
            err.to_string().len() < 300,
            "the value is not echoed: {err}"
        );
    }
    nothing.assert_async().await;
}

#[tokio::test]
async fn a_base_url_with_line_breaks_is_refused_not_cleaned() {
    let err = client_builder("http://127.0.0.1:9/\r\nX-Injected: 1")
        .build()
        .unwrap_err();
    assert_eq!(err.as_invalid_input().unwrap().field(), "base_url");
    assert!(!err.to_string().contains('\r'), "{err:?}");
    assert!(!err.to_string().contains('\n'), "{err:?}");
}

#[tokio::test]
async fn the_default_deadline_is_twice_the_timeout() {
    let (url, connections) = silent_server().await;
    let client = client_builder(&url)
        .timeout(Duration::from_millis(300))
        .retry_policy(fast_retries().with_max_retries(10))
        .build()
        .unwrap();
    assert!(
        format!("{client:?}").contains("deadline: 600ms"),
        "{client:?}"
    );
    let started = Instant::now();
    let err = client.access_tokens(VA).fetch(YK).await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    // Without a deadline: 11 attempts of 300 ms, 3.3 s.
    assert!(took < Duration::from_millis(1500), "took {took:?}");
    assert!(connections.load(Ordering::SeqCst) <= 3);
}
