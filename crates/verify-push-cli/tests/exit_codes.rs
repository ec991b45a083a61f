//! Exit codes: 2 for bad input, configuration or usage (and then no request is sent), 1 for a
//! Twilio error or a transport failure (with the code, status and more-info URL).

mod common;

use common::{IDENTITY, Run, auth_token_env, closed_port_url, run, vars};
use verify_push_sandbox::{Failure, Sandbox};

/// Runs `args` (with `--base-url` and the service appended) against a fresh sandbox with its
/// auth-token credentials; asserts exit 2, no request, and each of `expected` in stderr.
async fn rejected_before_sending(args: &[&str], expected: &[&str]) -> Run {
    let sandbox = Sandbox::start().await.unwrap();
    let mut env = auth_token_env(&sandbox);
    env.extend(vars(&[(
        "TWILIO_VERIFY_SERVICE_SID",
        sandbox.service_sid(),
    )]));
    let mut all = args.to_vec();
    all.extend(["--base-url", sandbox.base_url()]);
    let result = run(&all, &env).await;
    result.assert_code(2);
    for text in expected {
        assert!(
            result.stderr.contains(text),
            "{args:?}: stderr lacks {text:?}:\n{}",
            result.stderr
        );
    }
    assert!(result.stdout.is_empty(), "{args:?}: {}", result.stdout);
    assert_eq!(sandbox.request_count(), 0, "{args:?} sent a request");
    result
}

#[tokio::test]
async fn out_of_range_ttls_exit_2_naming_the_ttl_and_the_range() {
    let create = ["token", "create", "--identity", IDENTITY];
    for ttl in ["301", "59", "0", "60.5", "-1", "five"] {
        let mut args = create.to_vec();
        args.extend(["--ttl", ttl]);
        rejected_before_sending(&args, &["--ttl", "ttl", "60 to 300"]).await;
    }
}

#[tokio::test]
async fn bad_identities_and_friendly_names_exit_2() {
    for identity in [
        "short",
        "has space in it",
        "user@example.com",
        "trailing-dash-",
        "",
    ] {
        rejected_before_sending(
            &["token", "create", "--identity", identity],
            &["--identity", "identity"],
        )
        .await;
    }
    let long_name = "x".repeat(65);
    rejected_before_sending(
        &[
            "token",
            "create",
            "--identity",
            IDENTITY,
            "--friendly-name",
            &long_name,
        ],
        &["--friendly-name", "1 to 64 characters, got 65"],
    )
    .await;
}

#[tokio::test]
async fn bad_sids_exit_2() {
    rejected_before_sending(
        &[
            "token",
            "create",
            "--identity",
            IDENTITY,
            "--service",
            "VA123",
        ],
        &["--service", "VA followed by 32 hexadecimal digits"],
    )
    .await;
    rejected_before_sending(
        &["token", "fetch", "../x"],
        &["SID", "YK followed by 32 hexadecimal digits"],
    )
    .await;
    rejected_before_sending(
        &[
            "token",
            "fetch",
            "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "--service",
            "../../Accounts",
        ],
        &["--service"],
    )
    .await;
}

#[tokio::test]
async fn usage_errors_exit_2() {
    rejected_before_sending(&["token", "mint", "--identity", IDENTITY], &["mint"]).await;
    rejected_before_sending(&["tokens"], &["tokens"]).await;
    rejected_before_sending(
        &["token", "create", "--identity", IDENTITY, "--colour"],
        &["--colour"],
    )
    .await;
    rejected_before_sending(&["token", "create"], &["--identity"]).await;
    rejected_before_sending(&["token", "fetch"], &["<SID>"]).await;
    rejected_before_sending(
        &[
            "token",
            "create",
            "--json",
            "--identity",
            IDENTITY,
            "--enrollment",
        ],
        &["--json", "--enrollment"],
    )
    .await;
    // Output options belong to the commands that print: elsewhere they are unknown.
    // (`sandbox --json` is the sandbox's own option since issue 22: one machine-readable line.)
    rejected_before_sending(&["sandbox", "--enrollment"], &["--enrollment", "sandbox"]).await;
    rejected_before_sending(
        &["--json", "token", "create", "--identity", IDENTITY],
        &["--json"],
    )
    .await;
    rejected_before_sending(&["webhook", "list", "--enrollment"], &["--enrollment"]).await;
}

/// Runs a create with `env` (no sandbox needed: nothing may be sent) and expects exit 2
/// naming each of `expected`.
async fn bad_configuration(env: &[(&str, &str)], extra: &[&str], expected: &[&str]) {
    let sandbox = Sandbox::start().await.unwrap();
    let mut args = vec!["token", "create", "--identity", IDENTITY];
    args.extend_from_slice(extra);
    let result = run(&args, &vars(env)).await;
    result.assert_code(2);
    for text in expected {
        assert!(
            result.stderr.contains(text),
            "{env:?}: stderr lacks {text:?}:\n{}",
            result.stderr
        );
    }
    // Never a silent fallback to the in-process sandbox when something was configured.
    assert!(
        !result.stderr.contains("local sandbox"),
        "{}",
        result.stderr
    );
    assert_eq!(sandbox.request_count(), 0);
}

#[tokio::test]
async fn bad_configuration_exits_2_naming_the_variable() {
    const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const VA: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let service = ("TWILIO_VERIFY_SERVICE_SID", VA);
    bad_configuration(
        &[
            ("TWILIO_ACCOUNT_SID", "AC123"),
            ("TWILIO_AUTH_TOKEN", "t"),
            service,
        ],
        &[],
        &["TWILIO_ACCOUNT_SID", "32 hexadecimal"],
    )
    .await;
    bad_configuration(
        &[("TWILIO_AUTH_TOKEN", "t"), service],
        &[],
        &["TWILIO_ACCOUNT_SID", "not set"],
    )
    .await;
    bad_configuration(
        &[("TWILIO_ACCOUNT_SID", AC), service],
        &[],
        &["TWILIO_AUTH_TOKEN"],
    )
    .await;
    bad_configuration(
        &[
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_API_KEY", "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
            service,
        ],
        &[],
        &["TWILIO_API_SECRET"],
    )
    .await;
    bad_configuration(
        &[
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_AUTH_TOKEN", "t"),
            ("TWILIO_REGION", "ie1"),
            service,
        ],
        &[],
        &["TWILIO_EDGE", "TWILIO_REGION"],
    )
    .await;
    bad_configuration(
        &[("TWILIO_ACCOUNT_SID", AC), ("TWILIO_AUTH_TOKEN", "t")],
        &[],
        &["--service", "TWILIO_VERIFY_SERVICE_SID"],
    )
    .await;
    bad_configuration(
        &[
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_AUTH_TOKEN", "t"),
            ("TWILIO_VERIFY_SERVICE_SID", "VA-not-a-sid"),
        ],
        &[],
        &["TWILIO_VERIFY_SERVICE_SID", "VA followed by 32"],
    )
    .await;
    // A custom base URL still needs credentials.
    bad_configuration(
        &[service],
        &["--base-url", "http://127.0.0.1:9"],
        &["--base-url", "TWILIO_ACCOUNT_SID"],
    )
    .await;
    // Plain HTTP only to loopback: credentials never cross a network in clear text.
    bad_configuration(
        &[
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_AUTH_TOKEN", "t"),
            service,
        ],
        &["--base-url", "http://example.com"],
        &["--base-url"],
    )
    .await;
}

#[tokio::test]
async fn a_product_limit_exits_1_with_code_status_and_url_and_is_not_retried() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(
        Failure::status(429)
            .code(60203)
            .message("Max send attempts reached"),
    );
    let result = run(
        &[
            "token",
            "create",
            "--identity",
            IDENTITY,
            "--service",
            sandbox.service_sid(),
            "--base-url",
            sandbox.base_url(),
        ],
        &auth_token_env(&sandbox),
    )
    .await;
    result.assert_code(1);
    let request_id = &sandbox.requests()[0].request_id;
    for text in [
        "error: Twilio error 60203",
        "HTTP 429",
        "Max send attempts reached",
        "https://www.twilio.com/docs/errors/60203",
        request_id.as_str(),
    ] {
        assert!(
            result.stderr.contains(text),
            "no {text:?}:\n{}",
            result.stderr
        );
    }
    assert!(result.stdout.is_empty());
    assert_eq!(sandbox.request_count(), 1);
}

#[tokio::test]
async fn fetching_an_unknown_token_exits_1_with_20404() {
    let sandbox = Sandbox::start().await.unwrap();
    let result = run(
        &[
            "token",
            "fetch",
            "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "--service",
            sandbox.service_sid(),
            "--base-url",
            sandbox.base_url(),
        ],
        &auth_token_env(&sandbox),
    )
    .await;
    result.assert_code(1);
    for text in [
        "20404",
        "HTTP 404",
        "https://www.twilio.com/docs/errors/20404",
        "request RQ",
    ] {
        assert!(
            result.stderr.contains(text),
            "no {text:?}:\n{}",
            result.stderr
        );
    }
    assert_eq!(sandbox.request_count(), 1);
}

#[tokio::test]
async fn wrong_credentials_exit_1_with_20003() {
    let sandbox = Sandbox::start().await.unwrap();
    let env = vars(&[
        ("TWILIO_ACCOUNT_SID", sandbox.account_sid()),
        ("TWILIO_AUTH_TOKEN", "not-the-auth-token"),
        ("TWILIO_VERIFY_SERVICE_SID", sandbox.service_sid()),
    ]);
    let result = run(
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
    .await;
    result.assert_code(1);
    assert!(result.stderr.contains("20003"), "{}", result.stderr);
    assert!(result.stderr.contains("HTTP 401"), "{}", result.stderr);
    assert!(!result.stderr.contains("not-the-auth-token"));
}

#[tokio::test]
async fn a_server_error_on_create_exits_1_without_a_second_create() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(Failure::status(503));
    let result = run(
        &[
            "token",
            "create",
            "--identity",
            IDENTITY,
            "--service",
            sandbox.service_sid(),
            "--base-url",
            sandbox.base_url(),
        ],
        &auth_token_env(&sandbox),
    )
    .await;
    result.assert_code(1);
    assert!(result.stderr.contains("HTTP 503"), "{}", result.stderr);
    assert!(result.stderr.contains("20503"), "{}", result.stderr);
    assert_eq!(sandbox.request_count(), 1);
    assert!(sandbox.access_tokens().is_empty());
}

#[tokio::test]
async fn a_refused_connection_exits_1() {
    let url = closed_port_url().await;
    let env = vars(&[
        ("TWILIO_ACCOUNT_SID", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("TWILIO_AUTH_TOKEN", "t"),
        (
            "TWILIO_VERIFY_SERVICE_SID",
            "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ),
    ]);
    let result = run(
        &[
            "token",
            "create",
            "--identity",
            IDENTITY,
            "--base-url",
            &url,
        ],
        &env,
    )
    .await;
    result.assert_code(1);
    assert!(
        result.stderr.contains("could not connect"),
        "{}",
        result.stderr
    );
    assert!(result.stderr.contains(&url), "{}", result.stderr);
}

#[tokio::test]
async fn help_and_version_exit_0_and_help_names_every_subcommand() {
    let help = run(&["--help"], &[]).await;
    help.assert_code(0);
    for text in [
        "token",
        "sandbox",
        "token create",
        "token fetch",
        "factor list",
        "challenge create",
        "challenge wait",
        "webhook create",
        "3 challenge wait",
        "--base-url",
        "--verbose",
        "TWILIO_VERIFY_SERVICE_SID",
    ] {
        assert!(
            help.stdout.contains(text),
            "--help lacks {text:?}:\n{}",
            help.stdout
        );
    }
    let token_help = run(&["token", "--help"], &[]).await;
    token_help.assert_code(0);
    for text in ["create", "fetch"] {
        assert!(token_help.stdout.contains(text), "{}", token_help.stdout);
    }
    let create_help = run(&["token", "create", "--help"], &[]).await;
    create_help.assert_code(0);
    for text in [
        "--identity",
        "--service",
        "--friendly-name",
        "--ttl",
        "60 to 300",
        "--json",
        "--enrollment",
    ] {
        assert!(create_help.stdout.contains(text), "{}", create_help.stdout);
    }
    let version = run(&["--version"], &[]).await;
    version.assert_code(0);
    assert!(
        version.stdout.starts_with("verify-push "),
        "{}",
        version.stdout
    );
    // No subcommand at all is a usage error.
    run(&[], &[]).await.assert_code(2);
}
