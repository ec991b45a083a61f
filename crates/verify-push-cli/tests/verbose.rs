//! `-v` logs each request on stderr, and neither the logs nor anything else the CLI prints
//! (outside the token on stdout) carries a credential or the access token.

mod common;

use common::{IDENTITY, Run, api_key_env, auth_token_env, run, vars};
use verify_push_sandbox::{Failure, Sandbox};

/// Asserts none of `secrets` appears in either stream, and no Basic auth header.
#[track_caller]
fn assert_no_secrets(result: &Run, secrets: &[&str]) {
    let output = result.all_output();
    for secret in secrets {
        assert!(!output.contains(secret), "a secret leaked:\n{output}");
    }
    assert!(!output.contains("Basic "), "{output}");
    assert!(
        !output.to_ascii_lowercase().contains("authorization"),
        "{output}"
    );
}

#[tokio::test]
async fn verbose_create_and_fetch_log_requests_without_secrets() {
    let sandbox = Sandbox::start().await.unwrap();
    let mut env = auth_token_env(&sandbox);
    env.extend(vars(&[(
        "TWILIO_VERIFY_SERVICE_SID",
        sandbox.service_sid(),
    )]));
    let created = run(
        &[
            "-v",
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
    created.assert_code(0);
    let issued = sandbox.access_tokens()[0].clone();
    for text in [
        "POST",
        "/v2/Services/{ServiceSid}/AccessTokens",
        "status=201",
        "attempt=1",
        sandbox.requests()[0].request_id.as_str(),
        sandbox.base_url(),
        "TWILIO_AUTH_TOKEN",
    ] {
        assert!(
            created.stderr.contains(text),
            "no {text:?}:\n{}",
            created.stderr
        );
    }
    // The token is on stdout, on its line, and nowhere in the logs.
    assert!(
        !created.stderr.contains(&issued.token),
        "{}",
        created.stderr
    );
    assert_eq!(
        created.stdout.matches(issued.token.as_str()).count(),
        1,
        "{}",
        created.stdout
    );
    let without_token = created.stdout.replace(issued.token.as_str(), "");
    let check = Run {
        code: 0,
        stdout: without_token,
        stderr: created.stderr.clone(),
    };
    assert_no_secrets(&check, &[sandbox.auth_token(), sandbox.api_key_secret()]);

    let fetched = run(
        &[
            "token",
            "fetch",
            &issued.sid,
            "--verbose",
            "--enrollment",
            "--base-url",
            sandbox.base_url(),
        ],
        &env,
    )
    .await;
    fetched.assert_code(0);
    for text in [
        "GET",
        "/v2/Services/{ServiceSid}/AccessTokens/{Sid}",
        "status=200",
    ] {
        assert!(
            fetched.stderr.contains(text),
            "no {text:?}:\n{}",
            fetched.stderr
        );
    }
    assert!(
        !fetched.stderr.contains(&issued.token),
        "{}",
        fetched.stderr
    );
}

#[tokio::test]
async fn verbose_failures_with_an_api_key_log_without_secrets() {
    let sandbox = Sandbox::start().await.unwrap();
    let mut env = api_key_env(&sandbox);
    env.extend(vars(&[(
        "TWILIO_VERIFY_SERVICE_SID",
        sandbox.service_sid(),
    )]));
    // Busy once (retried), then a 404 for an unknown token.
    sandbox.fail_next(Failure::status(429).code(20429).retry_after(0));
    let result = run(
        &[
            "-v",
            "token",
            "fetch",
            "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "--base-url",
            sandbox.base_url(),
        ],
        &env,
    )
    .await;
    result.assert_code(1);
    for text in [
        "status=429",
        "attempt=1",
        "status=404",
        "attempt=2",
        "TWILIO_API_KEY",
    ] {
        assert!(
            result.stderr.contains(text),
            "no {text:?}:\n{}",
            result.stderr
        );
    }
    assert_no_secrets(&result, &[sandbox.api_key_secret(), sandbox.auth_token()]);
}

#[tokio::test]
async fn without_verbose_nothing_is_logged() {
    let sandbox = Sandbox::start().await.unwrap();
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
    result.assert_code(0);
    assert!(result.stderr.is_empty(), "{}", result.stderr);
}
