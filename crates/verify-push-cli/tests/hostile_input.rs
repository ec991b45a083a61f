//! What the CLI does with hostile or broken surroundings: a `TWILIO_*` variable that is not
//! UTF-8, a closed or broken stdout, and control characters in what it echoes.

mod common;

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::process::Stdio;
use std::time::Duration;

use common::{BIN, IDENTITY, Run, auth_token_env, command, run, vars};
use verify_push_sandbox::Sandbox;

/// Not UTF-8: a lone continuation byte in the middle.
fn not_utf8() -> OsString {
    OsString::from_vec(b"ab\xffcd".to_vec())
}

async fn finish(mut command: tokio::process::Command) -> Run {
    let output = tokio::time::timeout(
        Duration::from_secs(60),
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output(),
    )
    .await
    .expect("verify-push finished")
    .expect("verify-push ran");
    Run {
        code: output.status.code().expect("exited"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[tokio::test]
async fn a_non_utf8_twilio_variable_exits_2_naming_it_never_the_sandbox() {
    let sandbox = Sandbox::start().await.unwrap();
    let ac = sandbox.account_sid().to_string();
    for (name, others) in [
        (
            "TWILIO_AUTH_TOKEN",
            vec![("TWILIO_ACCOUNT_SID", ac.as_str())],
        ),
        ("TWILIO_ACCOUNT_SID", vec![]),
        ("TWILIO_VERIFY_SERVICE_SID", vec![]),
    ] {
        let mut cmd = command(&["token", "create", "--identity", IDENTITY], &vars(&others));
        cmd.env(name, not_utf8());
        let result = finish(cmd).await;
        result.assert_code(2);
        assert!(result.stderr.contains(name), "{name}: {}", result.stderr);
        assert!(result.stderr.contains("UTF-8"), "{name}: {}", result.stderr);
        assert!(
            !result.stderr.contains("sandbox"),
            "{name}: fell back to the sandbox: {}",
            result.stderr
        );
        assert!(result.stdout.is_empty(), "{name}: {}", result.stdout);
    }
    assert_eq!(sandbox.request_count(), 0);
}

#[tokio::test]
async fn token_create_with_stdout_closed_exits_1_and_sends_nothing() {
    let sandbox = Sandbox::start().await.unwrap();
    let mut env = auth_token_env(&sandbox);
    env.extend(vars(&[(
        "TWILIO_VERIFY_SERVICE_SID",
        sandbox.service_sid(),
    )]));
    // `>&-` closes descriptor 1 before the binary starts, as a user's shell would.
    let mut cmd = tokio::process::Command::new("sh");
    cmd.args([
        "-c",
        r#"exec "$0" "$@" >&-"#,
        BIN,
        "token",
        "create",
        "--identity",
        IDENTITY,
        "--base-url",
        sandbox.base_url(),
    ])
    .env_clear()
    .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    .kill_on_drop(true);
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    let result = finish(cmd).await;
    result.assert_code(1);
    assert!(
        result.stderr.contains("stdout is closed"),
        "{}",
        result.stderr
    );
    assert_eq!(sandbox.request_count(), 0, "a token was created and lost");

    // A shell's `> /dev/null` is the user's choice, not a closed stdout.
    let mut cmd = command(
        &[
            "token",
            "create",
            "--identity",
            IDENTITY,
            "--base-url",
            sandbox.base_url(),
        ],
        &env,
    );
    let status = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn a_broken_pipe_on_the_result_exits_1_with_a_message() {
    let sandbox = Sandbox::start().await.unwrap();
    let mut env = auth_token_env(&sandbox);
    env.extend(vars(&[(
        "TWILIO_VERIFY_SERVICE_SID",
        sandbox.service_sid(),
    )]));
    let mut child = command(
        &[
            "token",
            "create",
            "--identity",
            IDENTITY,
            "--base-url",
            sandbox.base_url(),
        ],
        &env,
    )
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // The reader goes away before the token is written.
    drop(child.stdout.take());
    let output = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write the result"), "{stderr}");
    assert!(stderr.contains("not delivered"), "{stderr}");
    // The token's value never goes to stderr, even when stdout failed.
    assert!(!stderr.contains("eyJ"), "{stderr}");
}

#[tokio::test]
async fn control_characters_in_a_base_url_are_escaped_in_the_error() {
    let sandbox = Sandbox::start().await.unwrap();
    let env = auth_token_env(&sandbox);
    let hostile = format!("{}/\r\n\u{1b}[2Jerror: all good", sandbox.base_url());
    let result = run(
        &[
            "token",
            "create",
            "--identity",
            IDENTITY,
            "--service",
            sandbox.service_sid(),
            "--base-url",
            &hostile,
        ],
        &env,
    )
    .await;
    result.assert_code(2);
    assert!(result.stderr.contains("--base-url"), "{}", result.stderr);
    assert!(!result.stderr.contains('\r'), "{:?}", result.stderr);
    assert!(!result.stderr.contains('\u{1b}'), "{:?}", result.stderr);
    assert_eq!(
        result.stderr.trim_end().lines().count(),
        1,
        "{:?}",
        result.stderr
    );
    assert_eq!(sandbox.request_count(), 0);
}

#[tokio::test]
async fn bidi_characters_in_a_friendly_name_are_refused_and_shown_escaped() {
    let sandbox = Sandbox::start().await.unwrap();
    let env = auth_token_env(&sandbox);
    for name in ["evil\u{202E}gnp.exe", "two\u{2028}lines", "bell\u{7}"] {
        let result = run(
            &[
                "token",
                "create",
                "--identity",
                IDENTITY,
                "--service",
                sandbox.service_sid(),
                "--friendly-name",
                name,
                "--base-url",
                sandbox.base_url(),
            ],
            &env,
        )
        .await;
        result.assert_code(2);
        assert!(result.stderr.contains("friendly"), "{}", result.stderr);
        for raw in ['\u{202E}', '\u{2028}', '\u{7}'] {
            assert!(!result.stderr.contains(raw), "{:?}", result.stderr);
        }
    }
    assert_eq!(sandbox.request_count(), 0);
}

/// A stderr whose reader is gone (`verify-push … 2>&1 | head -c0` closes it early) must not
/// turn a delivered token into a panic: the sandbox note goes nowhere, the token still comes
/// out on stdout, and the exit status is 0.
#[tokio::test]
async fn a_broken_stderr_pipe_is_ignored_and_the_token_still_arrives() {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    // Gone before the child writes: every write to its stderr fails with EPIPE.
    drop(reader);
    // No TWILIO_* variables: the CLI starts its own sandbox and says so on stderr.
    // spawn, not output(): tokio's output() replaces stderr with a pipe of its own.
    let child = command(&["token", "create", "--identity", IDENTITY, "--json"], &[])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(writer))
        .spawn()
        .expect("verify-push starts");
    let output = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("verify-push finished")
        .expect("verify-push ran");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "stdout: {stdout}");
    let token: serde_json::Value = serde_json::from_str(stdout.trim()).expect("the token as JSON");
    assert!(token["token"].is_string(), "{token}");
}
