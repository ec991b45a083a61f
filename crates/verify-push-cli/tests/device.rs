//! `verify-push device …` against a sandbox started in the test: enroll from the enrollment
//! JSON (stdin and --file), list, approve and deny challenges, and the state file's rules.

mod common;

use std::process::Stdio;

use common::{Run, command, run};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use verify_push_sandbox::Sandbox;

const IDENTITY: &str = "ff483d1ff591898a9942916050d2ca3f";

/// Runs the binary with `input` on stdin.
async fn run_with_stdin(args: &[&str], input: &str) -> Run {
    let mut child = command(args, &[])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn verify-push");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).await.unwrap();
    drop(stdin);
    let output = child.wait_with_output().await.unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn enrollment_json(sandbox: &Sandbox) -> String {
    let enrollment = sandbox.enrollment(IDENTITY).unwrap();
    json!({
        "token": enrollment.token,
        "serviceSid": enrollment.service_sid,
        "identity": enrollment.identity,
        "factorType": "push",
    })
    .to_string()
}

/// The backend's side: a challenge for `factor_sid`.
async fn create_challenge(sandbox: &Sandbox, factor_sid: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!(
            "{}/v2/Services/{}/Entities/{IDENTITY}/Challenges",
            sandbox.base_url(),
            sandbox.service_sid()
        ))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(&[
            ("FactorSid", factor_sid),
            ("Details.Message", "Log in to Owl Bank?"),
            ("Details.Fields", r#"{"label":"City","value":"Lisbon"}"#),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    body["sid"].as_str().unwrap().to_owned()
}

async fn status(sandbox: &Sandbox, sid: &str) -> String {
    let body: Value = reqwest::Client::new()
        .get(format!(
            "{}/v2/Services/{}/Entities/{IDENTITY}/Challenges/{sid}",
            sandbox.base_url(),
            sandbox.service_sid()
        ))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn enroll_list_approve_and_deny() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = std::env::temp_dir().join(format!("verify-push-device-{}", std::process::id()));
    let state = dir.join("nested").join("device.json");
    let state_arg = state.to_str().unwrap();
    let base = sandbox.base_url();

    let enrolled = run_with_stdin(
        &["--base-url", base, "device", "enroll", "--state", state_arg],
        &enrollment_json(&sandbox),
    )
    .await;
    enrolled.assert_code(0);
    let factor_sid = enrolled.field("factor");
    assert!(factor_sid.starts_with("YF"), "{}", enrolled.stdout);

    // The state file: private to the owner, with the base URL, and no token.
    let saved = std::fs::read_to_string(&state).unwrap();
    let saved_json: Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(saved_json["base_url"], base);
    assert_eq!(saved_json["factors"][0]["sid"], factor_sid.as_str());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&state).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let first = create_challenge(&sandbox, &factor_sid).await;
    let second = create_challenge(&sandbox, &factor_sid).await;
    // Later commands find the base URL in the state file.
    let listed = run(&["device", "challenges", "--state", state_arg], &[]).await;
    listed.assert_code(0);
    assert!(listed.stdout.contains(&first), "{}", listed.stdout);
    assert!(
        listed.stdout.contains("Log in to Owl Bank?"),
        "{}",
        listed.stdout
    );
    assert!(listed.stdout.contains("City: Lisbon"), "{}", listed.stdout);

    run(&["device", "approve", &first, "--state", state_arg], &[])
        .await
        .assert_code(0);
    run(&["device", "deny", &second, "--state", state_arg], &[])
        .await
        .assert_code(0);
    assert_eq!(status(&sandbox, &first).await, "approved");
    assert_eq!(status(&sandbox, &second).await, "denied");

    let empty = run(&["device", "challenges", "--state", state_arg], &[]).await;
    assert!(
        empty.stdout.contains("No pending challenges."),
        "{}",
        empty.stdout
    );
    // Answering again is refused, exit 1, and says why.
    let again = run(&["device", "approve", &first, "--state", state_arg], &[]).await;
    again.assert_code(1);
    assert!(again.stderr.contains("approved"), "{}", again.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn enroll_from_a_file_and_bad_input() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = std::env::temp_dir().join(format!("verify-push-device-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("device.json");
    let state_arg = state.to_str().unwrap();
    let file = dir.join("enrollment.json");
    std::fs::write(&file, enrollment_json(&sandbox)).unwrap();
    let base = sandbox.base_url();

    run(
        &[
            "--base-url",
            base,
            "device",
            "enroll",
            "--file",
            file.to_str().unwrap(),
            "--state",
            state_arg,
        ],
        &[],
    )
    .await
    .assert_code(0);

    // Not enrollment JSON: exit 2, nothing sent.
    let before = sandbox.request_count();
    let bad = run_with_stdin(
        &["--base-url", base, "device", "enroll", "--state", state_arg],
        "{\"token\":1}",
    )
    .await;
    bad.assert_code(2);
    assert!(bad.stderr.contains("enrollment"), "{}", bad.stderr);
    assert_eq!(sandbox.request_count(), before);
    // A plain-http base URL that is not loopback: exit 2.
    run(
        &[
            "--base-url",
            "http://example.com",
            "device",
            "challenges",
            "--state",
            state_arg,
        ],
        &[],
    )
    .await
    .assert_code(2);
    // A used-up access token: the sandbox refuses, exit 1.
    let token_reused = run_with_stdin(
        &["--base-url", base, "device", "enroll", "--state", state_arg],
        &json!({"token": "not-issued", "serviceSid": sandbox.service_sid(), "identity": IDENTITY, "factorType": "push"}).to_string(),
    )
    .await;
    token_reused.assert_code(1);
    assert!(
        token_reused.stderr.contains("20003"),
        "{}",
        token_reused.stderr
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
