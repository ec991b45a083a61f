//! The whole push-login flow driven only through the `verify-push` binary, against a sandbox
//! in the test's runtime: enrollment token → device enroll → factor list → challenge create →
//! device approve/deny → challenge wait (exit 0 / 3), expiry, `create --wait`, and the webhook
//! round trip. Plus the zero-request checks of the new commands' input.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{Run, auth_token_env, command, run, vars};
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use verify_push::Identity;
use verify_push_sandbox::Sandbox;

/// The documented exit code of a wait that ended denied or expired.
const NOT_APPROVED: i32 = 3;

/// The sandbox's credentials and service, as a backend would configure them.
fn env(sandbox: &Sandbox) -> Vec<(String, String)> {
    let mut env = auth_token_env(sandbox);
    env.extend(vars(&[(
        "TWILIO_VERIFY_SERVICE_SID",
        sandbox.service_sid(),
    )]));
    env
}

/// `args` with `--base-url` pointing at `sandbox`.
fn at<'a>(sandbox: &'a Sandbox, args: &[&'a str]) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--base-url", sandbox.base_url()]);
    all
}

async fn run_with_stdin(args: &[&str], env: &[(String, String)], input: &str) -> Run {
    let mut child = command(args, env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn verify-push");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).await.unwrap();
    drop(stdin);
    let output = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("verify-push did not finish within 60 s")
        .unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// A fresh state file path for the virtual device.
fn state_file(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!(
        "verify-push-cli-flow-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("device.json").to_str().unwrap().to_string()
}

/// Enrolls a phone for `user` (hashed by `--user`) through the CLI only; returns the factor SID.
async fn enroll(sandbox: &Sandbox, user: &str, state: &str) -> String {
    let env = env(sandbox);
    let token = run(
        &at(
            sandbox,
            &["token", "create", "--user", user, "--enrollment"],
        ),
        &env,
    )
    .await;
    token.assert_code(0);
    assert_eq!(token.json()["identity"], Identity::hashed(user).as_str());
    // What the backend hands the app goes to the phone on stdin.
    let enrolled = run_with_stdin(
        &at(sandbox, &["device", "enroll", "--state", state]),
        &[],
        &token.stdout,
    )
    .await;
    enrolled.assert_code(0);
    enrolled.field("factor")
}

/// `challenge create` with a message and a field; returns the challenge SID.
async fn create_challenge(sandbox: &Sandbox, user: &str) -> String {
    let created = run(
        &at(
            sandbox,
            &[
                "challenge",
                "create",
                "--user",
                user,
                "--message",
                "Log in to Owl Bank?",
                "--field",
                "Location=Berlin",
                "--hidden",
                "ip=203.0.113.7",
                "--json",
            ],
        ),
        &env(sandbox),
    )
    .await;
    created.assert_code(0);
    let json = created.json();
    assert_eq!(json["status"], "pending", "{json}");
    assert_eq!(json["details"]["message"], "Log in to Owl Bank?", "{json}");
    // The library's `Serialize` writes each field in Twilio's {label, value} shape.
    assert_eq!(
        json["details"]["fields"],
        serde_json::json!([{"label": "Location", "value": "Berlin"}]),
        "{json}"
    );
    assert_eq!(json["hidden_details"]["ip"], "203.0.113.7", "{json}");
    json["sid"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn approve_and_deny_through_the_cli_only() {
    let sandbox = Sandbox::start().await.unwrap();
    let user = "user-42";
    let identity = Identity::hashed(user);
    let state = state_file("approve-deny");
    let factor = enroll(&sandbox, user, &state).await;

    // --user is the hashed --identity: both see the one verified factor.
    for who in [["--user", user], ["--identity", identity.as_str()]] {
        let listed = run(
            &at(&sandbox, &["factor", "list", who[0], who[1], "--json"]),
            &env(&sandbox),
        )
        .await;
        listed.assert_code(0);
        let json = listed.json();
        let factors = json.as_array().expect("a JSON array");
        assert_eq!(factors.len(), 1, "{json}");
        assert_eq!(factors[0]["sid"], factor.as_str());
        assert_eq!(factors[0]["status"], "verified");
        assert_eq!(factors[0]["identity"], identity.as_str());
    }

    // Approve: wait exits 0 and prints the approved challenge.
    let approved = create_challenge(&sandbox, user).await;
    let pending = run(&["device", "challenges", "--state", &state], &[]).await;
    pending.assert_code(0);
    assert!(
        pending.stdout.contains("Location: Berlin"),
        "{}",
        pending.stdout
    );
    run(&["device", "approve", &approved, "--state", &state], &[])
        .await
        .assert_code(0);
    let waited = run(
        &at(&sandbox, &["challenge", "wait", &approved, "--user", user]),
        &env(&sandbox),
    )
    .await;
    waited.assert_code(0);
    assert_eq!(waited.field("status"), "approved");
    assert_eq!(waited.field("sid"), approved);
    // Piped: only the result, no progress line.
    assert!(!waited.stderr.contains("waiting"), "{}", waited.stderr);

    // Deny: the documented non-zero code, with the denied challenge (JSON here).
    let denied = create_challenge(&sandbox, user).await;
    run(&["device", "deny", &denied, "--state", &state], &[])
        .await
        .assert_code(0);
    let waited = run(
        &at(
            &sandbox,
            &["challenge", "wait", &denied, "--user", user, "--json"],
        ),
        &env(&sandbox),
    )
    .await;
    waited.assert_code(NOT_APPROVED);
    assert_eq!(waited.json()["status"], "denied");
    assert_eq!(waited.json()["sid"], denied.as_str());

    // Fetch shows the final state too.
    let fetched = run(
        &at(&sandbox, &["challenge", "fetch", &approved, "--user", user]),
        &env(&sandbox),
    )
    .await;
    fetched.assert_code(0);
    assert_eq!(fetched.field("status"), "approved");
    assert!(
        fetched.stdout.contains("Location: Berlin"),
        "{}",
        fetched.stdout
    );

    // Delete the phone: the list is empty, and a new challenge has no factor to go to.
    run(
        &at(&sandbox, &["factor", "delete", &factor, "--user", user]),
        &env(&sandbox),
    )
    .await
    .assert_code(0);
    let listed = run(
        &at(&sandbox, &["factor", "list", "--user", user, "--json"]),
        &env(&sandbox),
    )
    .await;
    listed.assert_code(0);
    assert_eq!(listed.json(), serde_json::json!([]));
    let none = run(
        &at(
            &sandbox,
            &["challenge", "create", "--user", user, "--message", "Hi?"],
        ),
        &env(&sandbox),
    )
    .await;
    none.assert_code(2);
    assert!(
        none.stderr.contains("no verified factor"),
        "{}",
        none.stderr
    );
}

#[tokio::test]
async fn an_expired_challenge_exits_3() {
    let sandbox = Sandbox::start().await.unwrap();
    let state = state_file("expired");
    enroll(&sandbox, "user-7", &state).await;
    let sid = create_challenge(&sandbox, "user-7").await;
    // Unanswered within --timeout: exit 1, not 3 (the challenge has not ended).
    let timed_out = run(
        &at(
            &sandbox,
            &[
                "challenge",
                "wait",
                &sid,
                "--user",
                "user-7",
                "--timeout",
                "1",
            ],
        ),
        &env(&sandbox),
    )
    .await;
    timed_out.assert_code(1);
    assert!(timed_out.stdout.is_empty(), "{}", timed_out.stdout);
    sandbox.advance_clock(Duration::from_secs(301));
    let waited = run(
        &at(&sandbox, &["challenge", "wait", &sid, "--user", "user-7"]),
        &env(&sandbox),
    )
    .await;
    waited.assert_code(NOT_APPROVED);
    assert_eq!(waited.field("status"), "expired");
}

#[tokio::test]
async fn create_with_wait_returns_when_the_phone_answers() {
    let sandbox = Sandbox::start().await.unwrap();
    let state = state_file("create-wait");
    enroll(&sandbox, "user-9", &state).await;

    let args = at(
        &sandbox,
        &[
            "challenge",
            "create",
            "--user",
            "user-9",
            "--message",
            "Log in?",
            "--wait",
            "--json",
        ],
    );
    let child = command(&args, &env(&sandbox))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    // The phone sees the challenge, then approves it.
    let mut sid = None;
    for _ in 0..100 {
        let pending = run(&["device", "challenges", "--state", &state], &[]).await;
        pending.assert_code(0);
        sid = pending
            .stdout
            .split_whitespace()
            .find(|word| word.starts_with("YC"))
            .map(str::to_string);
        if sid.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let sid = sid.expect("the challenge never reached the phone");
    run(&["device", "approve", &sid, "--state", &state], &[])
        .await
        .assert_code(0);

    let output = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("create --wait did not return after the approval")
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let json: Value = serde_json::from_str(&stdout).expect("only the JSON result on stdout");
    assert_eq!(json["sid"], sid.as_str());
    assert_eq!(json["status"], "approved");
}

#[tokio::test]
async fn webhook_create_list_delete() {
    let sandbox = Sandbox::start().await.unwrap();
    let env = env(&sandbox);
    let created = run(
        &at(
            &sandbox,
            &[
                "webhook",
                "create",
                "--name",
                "backend",
                "--url",
                "http://127.0.0.1:9/verify-events",
                "--event",
                "challenge.approved",
                "--event",
                "challenge.denied",
                "--json",
            ],
        ),
        &env,
    )
    .await;
    created.assert_code(0);
    let webhook = created.json();
    let sid = webhook["sid"].as_str().unwrap().to_string();
    assert!(sid.starts_with("YW"), "{webhook}");
    assert_eq!(webhook["friendly_name"], "backend");
    assert_eq!(
        webhook["event_types"],
        serde_json::json!(["challenge.approved", "challenge.denied"])
    );

    let listed = run(&at(&sandbox, &["webhook", "list", "--json"]), &env).await;
    listed.assert_code(0);
    assert_eq!(listed.json().as_array().unwrap().len(), 1);
    assert_eq!(listed.json()[0]["sid"], sid.as_str());
    let human = run(&at(&sandbox, &["webhook", "list"]), &env).await;
    human.assert_code(0);
    assert!(human.stdout.contains(&sid), "{}", human.stdout);
    assert!(
        human.stdout.contains("http://127.0.0.1:9/verify-events"),
        "{}",
        human.stdout
    );

    run(&at(&sandbox, &["webhook", "delete", &sid]), &env)
        .await
        .assert_code(0);
    let listed = run(&at(&sandbox, &["webhook", "list", "--json"]), &env).await;
    listed.assert_code(0);
    assert_eq!(listed.json(), serde_json::json!([]));
    // Twilio refuses the URL (here: not loopback): exit 1 with its code.
    let refused = run(
        &at(
            &sandbox,
            &[
                "webhook",
                "create",
                "--name",
                "x",
                "--url",
                "https://example.com/h",
                "--event",
                "*",
            ],
        ),
        &env,
    )
    .await;
    refused.assert_code(1);
    assert!(refused.stderr.contains("60200"), "{}", refused.stderr);
}

#[tokio::test]
async fn bad_input_exits_2_and_sends_nothing() {
    let sandbox = Sandbox::start().await.unwrap();
    let env = env(&sandbox);
    let factor = "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let create = ["challenge", "create", "--user", "u", "--factor", factor];
    for (extra, named) in [
        (&["--message", ""][..], "message"),
        (&["--message", "Hi", "--expires-in", "3601"], "expir"),
        (&["--message", "Hi", "--field", "no-equals-sign"], "--field"),
        (&["--message", "Hi", "--hidden", "=x"], "--hidden"),
    ] {
        let mut args = create.to_vec();
        args.extend(extra);
        let result = run(&at(&sandbox, &args), &env).await;
        result.assert_code(2);
        assert!(
            result.stderr.to_lowercase().contains(named),
            "{args:?}: {}",
            result.stderr
        );
    }
    for args in [
        &["challenge", "wait", "YC123"][..],
        &[
            "challenge",
            "create",
            "--user",
            "u",
            "--factor",
            factor,
            "--message",
            "Hi",
            "--timeout",
            "5",
        ],
        &["challenge", "wait", "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
        &[
            "factor",
            "list",
            "--user",
            "u",
            "--identity",
            "ff483d1ff591898a",
        ],
        &["factor", "delete", "YF1", "--user", "u"],
        &[
            "webhook",
            "create",
            "--name",
            "x",
            "--url",
            "http://127.0.0.1:9/",
        ],
        &["webhook", "delete", "YW1"],
    ] {
        run(&at(&sandbox, args), &env).await.assert_code(2);
    }
    assert_eq!(sandbox.request_count(), 0);
}

#[tokio::test]
async fn without_credentials_the_commands_use_an_empty_in_process_sandbox() {
    let listed = run(&["factor", "list", "--user", "user-42", "--json"], &[]).await;
    listed.assert_code(0);
    assert_eq!(listed.json(), serde_json::json!([]));
    assert!(listed.stderr.contains("local sandbox"), "{}", listed.stderr);
    let waited = run(
        &[
            "challenge",
            "wait",
            "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "--user",
            "user-42",
        ],
        &[],
    )
    .await;
    waited.assert_code(1);
    assert!(waited.stderr.contains("starts empty"), "{}", waited.stderr);
    let help = run(&["challenge", "--help"], &[]).await;
    help.assert_code(0);
    for text in ["starts empty", "verify-push sandbox", "3 denied or expired"] {
        assert!(help.stdout.contains(text), "{text}: {}", help.stdout);
    }
}

/// Runs `args` under `script(1)`, so stderr is a terminal; `None` where util-linux's `script`
/// is missing. Returns what the terminal showed (stdout and stderr together).
async fn on_a_terminal(args: &[&str], env: &[(String, String)]) -> Option<String> {
    if !std::path::Path::new("/usr/bin/script").exists() {
        return None;
    }
    let line = std::iter::once(common::BIN)
        .chain(args.iter().copied())
        .map(|arg| format!("'{arg}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut command = tokio::process::Command::new("/usr/bin/script");
    command
        .args(["-qec", &line, "/dev/null"])
        .env_clear()
        .kill_on_drop(true)
        .stdin(Stdio::null());
    for name in ["PATH", "HOME"] {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command.envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let output = tokio::time::timeout(Duration::from_secs(30), command.output())
        .await
        .expect("script did not finish")
        .unwrap();
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[tokio::test]
async fn on_a_terminal_wait_shows_what_it_waits_for_and_the_time_left_unless_json() {
    let sandbox = Sandbox::start().await.unwrap();
    let state = state_file("terminal");
    enroll(&sandbox, "user-5", &state).await;
    let sid = create_challenge(&sandbox, "user-5").await;
    let wait = [
        "challenge",
        "wait",
        &sid,
        "--user",
        "user-5",
        "--timeout",
        "2",
    ];
    let Some(shown) = on_a_terminal(&at(&sandbox, &wait), &env(&sandbox)).await else {
        eprintln!("skipped: no /usr/bin/script");
        return;
    };
    assert!(
        shown.contains(&format!("waiting for {sid}")),
        "no progress line:\n{shown:?}"
    );
    assert!(shown.contains(" left)"), "no time left:\n{shown:?}");
    let mut json = wait.to_vec();
    json.push("--json");
    let shown = on_a_terminal(&at(&sandbox, &json), &env(&sandbox))
        .await
        .unwrap();
    assert!(!shown.contains("waiting for"), "{shown:?}");
}
