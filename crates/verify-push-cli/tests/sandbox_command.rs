//! `verify-push sandbox`: runs in the foreground, prints what to use, serves real requests
//! (from the CLI itself), and stops on SIGTERM.

mod common;

use std::collections::HashMap;
use std::process::Stdio;
use std::time::Duration;

use common::{IDENTITY, command, run, vars};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

/// Reads the banner up to its last line, collecting its `label: value` lines.
async fn read_banner(stdout: tokio::process::ChildStdout) -> (HashMap<String, String>, String) {
    let mut lines = BufReader::new(stdout).lines();
    let mut fields = HashMap::new();
    let mut banner = String::new();
    let read = async {
        while let Some(line) = lines.next_line().await.expect("read stdout") {
            banner.push_str(&line);
            banner.push('\n');
            if let Some((label, value)) = line.split_once(':') {
                fields.insert(label.trim().to_string(), value.trim().to_string());
            }
            if line.starts_with("Serving until Ctrl-C") {
                return;
            }
        }
        panic!("stdout closed before the end of the banner:\n{banner}");
    };
    tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .expect("no banner within 30 s");
    (fields, banner)
}

#[tokio::test]
async fn the_sandbox_command_serves_the_cli_until_sigterm() {
    let mut child = command(&["sandbox", "--port", "0"], &[])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn verify-push sandbox");
    let (fields, banner) = read_banner(child.stdout.take().unwrap()).await;
    assert!(
        banner.contains("(sandbox credentials, not real Twilio credentials)"),
        "{banner}"
    );
    let url = fields["base URL"].clone();
    assert!(url.starts_with("http://127.0.0.1:"), "{banner}");
    assert_ne!(url, "http://127.0.0.1:0");
    for label in [
        "account SID",
        "auth token",
        "API key SID",
        "API key secret",
        "service SID",
    ] {
        assert!(fields.contains_key(label), "no {label}:\n{banner}");
    }

    // The values printed are the ones that work.
    let env = vars(&[
        ("TWILIO_ACCOUNT_SID", &fields["account SID"]),
        ("TWILIO_AUTH_TOKEN", &fields["auth token"]),
        ("TWILIO_VERIFY_SERVICE_SID", &fields["service SID"]),
    ]);
    let created = run(
        &[
            "token",
            "create",
            "--json",
            "--identity",
            IDENTITY,
            "--base-url",
            &url,
        ],
        &env,
    )
    .await;
    created.assert_code(0);
    let sid = created.json()["sid"].as_str().unwrap().to_string();
    assert!(
        !created.stderr.contains("local sandbox"),
        "{}",
        created.stderr
    );

    // It keeps state between commands, unlike the in-process fallback.
    let env = vars(&[
        ("TWILIO_ACCOUNT_SID", &fields["account SID"]),
        ("TWILIO_API_KEY", &fields["API key SID"]),
        ("TWILIO_API_SECRET", &fields["API key secret"]),
        ("TWILIO_VERIFY_SERVICE_SID", &fields["service SID"]),
    ]);
    let fetched = run(
        &["token", "fetch", &sid, "--json", "--base-url", &url],
        &env,
    )
    .await;
    fetched.assert_code(0);
    assert_eq!(fetched.json(), created.json());

    // The example command it prints is runnable as printed.
    assert!(
        banner.contains(&format!(
            "verify-push --base-url {url} token create --identity {IDENTITY}"
        )),
        "{banner}"
    );

    // SIGTERM stops it cleanly.
    let pid = child.id().expect("child is running").to_string();
    let killed = tokio::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .expect("run kill");
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("the sandbox did not stop within 30 s")
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .await
        .unwrap();
    // Each request was echoed (method and path, no form values or credentials).
    assert!(stderr.contains("POST /v2/Services/"), "{stderr}");
    assert!(stderr.contains("GET /v2/Services/"), "{stderr}");
    assert!(!stderr.contains(IDENTITY), "{stderr}");
    assert!(stderr.contains("stopping the sandbox"), "{stderr}");
}

#[tokio::test]
async fn a_port_in_use_exits_1() {
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let result = run(&["sandbox", "--port", &port], &[]).await;
    result.assert_code(1);
    assert!(
        result
            .stderr
            .contains(&format!("cannot start the sandbox on 127.0.0.1:{port}")),
        "{}",
        result.stderr
    );
}

/// One raw HTTP/1.1 request; the status line of the answer.
async fn status_line(url: &str, basic: &str) -> String {
    use tokio::io::AsyncWriteExt;
    let addr = url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(
            format!("GET /v2/Unknown HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic {basic}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await
        .expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_closed_stderr_does_not_stop_the_sandbox() {
    let mut child = command(&["sandbox", "--port", "0"], &[])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn verify-push sandbox");
    let (fields, _) = read_banner(child.stdout.take().unwrap()).await;
    let url = fields["base URL"].clone();
    // Authenticated, so the request is logged and echoed on stderr (401s are not).
    let basic = base64_encode(&format!(
        "{}:{}",
        fields["account SID"], fields["auth token"]
    ));
    // What `verify-push sandbox 2>&1 | head -c 300` does once head has its bytes.
    drop(child.stderr.take());
    for _ in 0..3 {
        let status = status_line(&url, &basic).await;
        assert!(status.starts_with("HTTP/1.1 404"), "{status}");
        // Past the 250 ms echo poll, so the log line is written to the closed pipe.
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "the sandbox exited"
        );
    }
    child.kill().await.expect("kill");
}

/// Standard base64, for one Basic header (no dependency for it).
fn base64_encode(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
