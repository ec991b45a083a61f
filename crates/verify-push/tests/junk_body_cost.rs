//! A measurement, not a check (hence `#[ignore]`): the CPU time the calling thread spends to
//! reject a 10 MB body that is not JSON, and the process's peak RSS growth during the call.
//! Linux only (reads /proc). Run with
//! `cargo test -p verify-push --release --test junk_body_cost -- --ignored --nocapture`.

mod common;

use common::*;
use verify_push::{Client, Credentials, RetryPolicy};

const MB: usize = 1024 * 1024;

/// User + system CPU time of the current thread, in milliseconds (10 ms resolution).
fn thread_cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("Linux /proc");
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    ticks * 10
}

/// Peak resident set size of the process so far, in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// A server on 127.0.0.1 that answers every request with `status` and 10 MB of junk, written
/// from one small chunk so the server itself adds nothing to the process's RSS.
async fn junk_server(status: u16) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let _ = socket.read(&mut buf).await;
                let kind = if status == 200 {
                    "application/json"
                } else {
                    "text/html"
                };
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: {kind}\r\ncontent-length: {}\r\n\r\n",
                    10 * MB
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let chunk = "<p>nope</p> ".repeat(64 * 1024 / 12 + 1).into_bytes();
                let mut left = 10 * MB;
                while left > 0 {
                    let n = left.min(chunk.len());
                    if socket.write_all(&chunk[..n]).await.is_err() {
                        return;
                    }
                    left -= n;
                }
            });
        }
    });
    url
}

async fn measure(label: &str, limit: Option<usize>, status: u16) {
    let url = junk_server(status).await;
    let mut builder = Client::builder()
        .credentials(Credentials::auth_token(AC, AUTH_TOKEN))
        .base_url(url)
        .retry_policy(RetryPolicy::none());
    if let Some(limit) = limit {
        builder = limit_to(builder, limit);
    }
    let client = builder.build().unwrap();
    let rss_before = peak_rss_kib();
    let cpu_before = thread_cpu_ms();
    let started = std::time::Instant::now();
    let err = client.access_tokens(VA).fetch(YK).await.unwrap_err();
    let wall = started.elapsed();
    let cpu = thread_cpu_ms() - cpu_before;
    let rss_after = peak_rss_kib();
    println!(
        "{label}: HTTP {status}, 10 MB junk: {cpu} ms CPU on the calling thread, {wall:?} wall, \
         peak RSS {} -> {} MiB: {}",
        rss_before / 1024,
        rss_after / 1024,
        err.to_string().chars().take(90).collect::<String>()
    );
}

fn limit_to(builder: verify_push::ClientBuilder, limit: usize) -> verify_push::ClientBuilder {
    builder.max_response_bytes(limit)
}

#[tokio::test]
#[ignore = "a measurement; run by hand with --ignored --nocapture"]
async fn cost_of_rejecting_a_10_mb_junk_body() {
    // Largest first would hide the rest in the peak; smallest first.
    measure("default client", None, 200).await;
    measure("default client", None, 500).await;
    measure("limit raised to 64 MiB", Some(64 * MB), 200).await;
    measure("limit raised to 64 MiB", Some(64 * MB), 500).await;
}
