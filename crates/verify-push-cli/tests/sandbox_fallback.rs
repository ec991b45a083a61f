//! With no TWILIO_* variables and no `--base-url`, commands run against an in-process sandbox
//! and say so in one line on stderr: the README's first command works on a fresh machine.

mod common;

use common::{IDENTITY, run, vars};

#[tokio::test]
async fn create_with_an_empty_environment_prints_a_token_and_one_sandbox_line() {
    let result = run(&["token", "create", "--identity", IDENTITY], &[]).await;
    result.assert_code(0);
    let token = result.field("token");
    assert_eq!(token.split('.').count(), 5, "not a compact JWE: {token}");
    assert!(result.field("sid").starts_with("YK"));
    assert!(result.field("service_sid").starts_with("VA"));
    assert_eq!(result.field("identity"), IDENTITY);

    let lines: Vec<&str> = result.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "stderr:\n{}", result.stderr);
    assert!(
        lines[0].starts_with(
            "verify-push: no TWILIO_* credentials found; using a local sandbox at http://127.0.0.1:"
        ),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with("(tokens are fake)"), "{}", lines[0]);
}

#[tokio::test]
async fn the_service_flag_becomes_the_sandbox_service() {
    let service = "VA0123456789abcdef0123456789abcdef";
    let result = run(
        &[
            "token",
            "create",
            "--identity",
            IDENTITY,
            "--service",
            service,
            "--enrollment",
        ],
        &[],
    )
    .await;
    result.assert_code(0);
    assert_eq!(result.json()["serviceSid"], service);
}

#[tokio::test]
async fn a_bad_ttl_exits_2_before_any_sandbox_starts() {
    let result = run(
        &["token", "create", "--identity", IDENTITY, "--ttl", "301"],
        &[],
    )
    .await;
    result.assert_code(2);
    assert!(result.stderr.contains("ttl"), "{}", result.stderr);
    assert!(result.stderr.contains("60 to 300"), "{}", result.stderr);
    assert!(!result.stderr.contains("sandbox"), "{}", result.stderr);
    assert!(result.stdout.is_empty());
}

#[tokio::test]
async fn fetch_against_the_fresh_sandbox_is_an_honest_404() {
    let result = run(
        &["token", "fetch", "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
        &[],
    )
    .await;
    result.assert_code(1);
    assert!(result.stderr.contains("20404"), "{}", result.stderr);
    assert!(result.stderr.contains("starts empty"), "{}", result.stderr);
}

#[tokio::test]
async fn only_the_service_variable_still_uses_the_sandbox() {
    // TWILIO_VERIFY_SERVICE_SID is the CLI's own variable, not a credential.
    let service = "VAfedcba9876543210fedcba9876543210";
    let result = run(
        &["token", "create", "--identity", IDENTITY, "--json"],
        &vars(&[("TWILIO_VERIFY_SERVICE_SID", service)]),
    )
    .await;
    result.assert_code(0);
    assert_eq!(result.json()["service_sid"], service);
    assert!(result.stderr.contains("local sandbox"), "{}", result.stderr);
}
