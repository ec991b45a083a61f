//! The request log and counter, and that no secret shows up in Debug or Display output.

mod common;

use common::{IDENTITY, client, create_url};
use verify_push_sandbox::{Failure, Sandbox};

#[tokio::test]
async fn request_count_counts_every_request() {
    let sandbox = Sandbox::start().await.unwrap();
    assert_eq!(sandbox.request_count(), 0);
    // Unauthorized, unknown route, injected failure, validation error, success.
    client().post(create_url(&sandbox)).send().await.unwrap();
    client()
        .get(format!("{}/nowhere", sandbox.base_url()))
        .send()
        .await
        .unwrap();
    sandbox.fail_next(Failure::status(500));
    common::create(&sandbox, &[]).await;
    common::create(&sandbox, &[]).await;
    common::create(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")]).await;
    assert_eq!(sandbox.request_count(), 5);
    // The two 401s are counted but nothing of them is kept; the rest are, with their status.
    let statuses: Vec<u16> = sandbox.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [500, 400, 201]);
}

#[tokio::test]
async fn requests_record_method_path_form_username_and_user_agent() {
    let sandbox = Sandbox::start().await.unwrap();
    client()
        .post(create_url(&sandbox))
        .basic_auth(sandbox.api_key_sid(), Some(sandbox.api_key_secret()))
        .header("user-agent", "backend-test/1.0 (Linux x86_64) Rust/1.85")
        .form(&[
            ("Ttl", "120"),
            ("FactorType", "push"),
            ("Identity", IDENTITY),
            ("FactorFriendlyName", "Jo's phone & tablet"),
        ])
        .send()
        .await
        .unwrap();
    client()
        .get(format!("{}/v2/Unknown?Page=1", sandbox.base_url()))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .send()
        .await
        .unwrap();

    let requests = sandbox.requests();
    assert_eq!(requests.len(), 2);
    let post = &requests[0];
    assert_eq!(post.method, "POST");
    assert_eq!(
        post.path,
        format!("/v2/Services/{}/AccessTokens", sandbox.service_sid())
    );
    let expected: Vec<(String, String)> = [
        ("Ttl", "120"),
        ("FactorType", "push"),
        ("Identity", IDENTITY),
        ("FactorFriendlyName", "Jo's phone & tablet"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(post.form_fields, expected);
    assert_eq!(
        post.form_field("FactorFriendlyName"),
        Some("Jo's phone & tablet")
    );
    assert_eq!(post.username.as_deref(), Some(sandbox.api_key_sid()));
    assert_eq!(
        post.user_agent.as_deref(),
        Some("backend-test/1.0 (Linux x86_64) Rust/1.85")
    );

    let get = &requests[1];
    assert_eq!(get.method, "GET");
    assert_eq!(get.path, "/v2/Unknown", "no query string");
    assert!(get.form_fields.is_empty());
    assert_eq!(get.username.as_deref(), Some(sandbox.account_sid()));
    assert_eq!(get.status, 404);
}

#[tokio::test]
async fn passwords_are_never_recorded() {
    let sandbox = Sandbox::start().await.unwrap();
    client()
        .post(create_url(&sandbox))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(&[("Identity", IDENTITY), ("FactorType", "push")])
        .send()
        .await
        .unwrap();
    client()
        .post(create_url(&sandbox))
        .basic_auth(sandbox.account_sid(), Some("a-wrong-guess"))
        .send()
        .await
        .unwrap();
    let requests = sandbox.requests();
    assert_eq!(requests[0].username.as_deref(), Some(sandbox.account_sid()));
    // Rejected for bad credentials: counted, not kept.
    assert_eq!(requests.len(), 1);
    assert_eq!(sandbox.request_count(), 2);
    let logged = format!("{requests:?}");
    assert!(!logged.contains(sandbox.auth_token()), "{logged}");
    assert!(!logged.contains("a-wrong-guess"), "{logged}");
}

#[tokio::test]
async fn debug_and_display_show_no_secret() {
    let sandbox = Sandbox::builder()
        .auth_token("secret-auth-token-value")
        .api_key("SK0123456789abcdef0123456789abcdef", "secret-api-key-value")
        .start()
        .await
        .unwrap();
    let builder = Sandbox::builder()
        .auth_token("secret-auth-token-value")
        .api_key("SK0123456789abcdef0123456789abcdef", "secret-api-key-value");
    common::create(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")]).await;
    let issued = sandbox.access_tokens();

    for output in [
        format!("{sandbox:?}"),
        format!("{sandbox:#?}"),
        format!("{sandbox}"),
        format!("{builder:?}"),
        format!("{issued:?}"),
    ] {
        assert!(!output.contains("secret-auth-token-value"), "{output}");
        assert!(!output.contains("secret-api-key-value"), "{output}");
        assert!(!output.contains(&issued[0].token), "{output}");
    }
    let debug = format!("{sandbox:?}");
    assert!(debug.contains("auth_token: \"[REDACTED]\""), "{debug}");
    assert!(debug.contains("api_key_secret: \"[REDACTED]\""), "{debug}");
    assert!(debug.contains(sandbox.account_sid()), "{debug}");
    let display = sandbox.to_string();
    assert!(display.contains(sandbox.base_url()), "{display}");
    assert!(display.contains(sandbox.service_sid()), "{display}");
}
