//! Bounds of the sandbox as a server: idle connections are closed, the request log is capped.

mod common;

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use verify_push_sandbox::Sandbox;

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let sandbox = Sandbox::builder()
        .idle_timeout(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let mut stream = tokio::net::TcpStream::connect(sandbox.addr())
        .await
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut buffer = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer))
        .await
        .expect("the sandbox closes the connection");
    // Closed (0 bytes) or reset: either way, not held open.
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    assert!(started.elapsed() >= Duration::from_millis(250));
    // The server still answers others.
    let response = reqwest::get(format!("{}/v2/Services", sandbox.base_url()))
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_client_that_trickles_its_headers_is_cut_off_by_the_header_timeout() {
    // The idle timeout alone never fires: a byte arrives every 50 ms.
    let sandbox = Sandbox::builder()
        .header_read_timeout(Duration::from_millis(400))
        .start()
        .await
        .unwrap();
    let mut stream = tokio::net::TcpStream::connect(sandbox.addr())
        .await
        .unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
    let started = Instant::now();
    let mut closed = false;
    while started.elapsed() < Duration::from_secs(5) {
        if stream.write_all(b"X").await.is_err() {
            closed = true;
            break;
        }
        let mut buffer = [0u8; 64];
        let read = tokio::time::timeout(Duration::from_millis(50), stream.read(&mut buffer)).await;
        if let Ok(Ok(0) | Err(_)) = read {
            closed = true;
            break;
        }
    }
    assert!(closed, "the trickling connection is still open");
    assert!(started.elapsed() >= Duration::from_millis(350));
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn keep_alive_requests_within_the_header_timeout_are_served() {
    let sandbox = Sandbox::builder()
        .header_read_timeout(Duration::from_millis(500))
        .start()
        .await
        .unwrap();
    let client = reqwest::Client::new();
    // One pooled connection, several requests, each longer apart than nothing but shorter than
    // the timeout; and one after a pause longer than it (a fresh connection, transparently).
    for pause in [0, 100, 200, 700] {
        tokio::time::sleep(Duration::from_millis(pause)).await;
        let response = client
            .get(format!("{}/v2/Services", sandbox.base_url()))
            .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
}

#[test]
fn the_default_header_timeout_is_documented_as_10_seconds() {
    let doc = include_str!("../../../docs/sandbox.md");
    assert!(
        doc.contains("headers within 10 seconds"),
        "docs/sandbox.md#limits"
    );
}

#[tokio::test]
async fn the_request_log_keeps_the_newest_1000() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = reqwest::Client::new();
    for _ in 0..1005 {
        client
            .get(format!("{}/nowhere", sandbox.base_url()))
            .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(sandbox.request_count(), 1005);
    let requests = sandbox.requests();
    assert_eq!(requests.len(), 1000);
    assert!(requests.iter().all(|r| r.status == 404));
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Memory after 1,000 and after 30,000 access-token creates (the token store keeps 1,000, the
/// request log 1,000). Run with `cargo test -p verify-push-sandbox --release --test robustness
/// -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "slow: a measurement, not a check"]
async fn memory_after_30000_token_creates() {
    let sandbox = Sandbox::start().await.unwrap();
    let mut created = 0;
    for target in [1_000, 30_000] {
        while created < target {
            let response = common::create(
                &sandbox,
                &[("Identity", common::IDENTITY), ("FactorType", "push")],
            )
            .await;
            assert_eq!(response.status(), 201);
            created += 1;
        }
        println!("after {created} creates: VmRSS {} KiB", rss_kib());
    }
    assert_eq!(sandbox.access_tokens().len(), 1_000);
}
