//! Create and fetch against a sandbox, in each output format, with each kind of credentials,
//! with global options before and after the subcommand.

mod common;

use common::{IDENTITY, api_key_env, auth_token_env, run, vars};
use verify_push_sandbox::Sandbox;

#[tokio::test]
async fn create_in_human_format_then_fetch_returns_the_same_token() {
    let sandbox = Sandbox::start().await.unwrap();
    let url = sandbox.base_url().to_string();
    let service = sandbox.service_sid().to_string();
    let env = auth_token_env(&sandbox);

    let created = run(
        &[
            "token",
            "create",
            "--identity",
            IDENTITY,
            "--service",
            &service,
            "--friendly-name",
            "John's iPhone",
            "--ttl",
            "300",
            "--base-url",
            &url,
        ],
        &env,
    )
    .await;
    created.assert_code(0);

    let issued = &sandbox.access_tokens()[0];
    assert_eq!(created.field("sid"), issued.sid);
    assert_eq!(created.field("service_sid"), service);
    assert_eq!(created.field("account_sid"), sandbox.account_sid());
    assert_eq!(created.field("identity"), IDENTITY);
    assert_eq!(created.field("factor_type"), "push");
    assert_eq!(created.field("friendly_name"), "John's iPhone");
    assert_eq!(created.field("ttl"), "300 s");
    assert_eq!(created.field("url"), issued.url);
    // The token is printed, last, on a line of its own.
    let last = created.stdout.lines().last().unwrap();
    assert_eq!(last, format!("token:         {}", issued.token));
    assert_eq!(created.field("token"), issued.token);
    // What reached the sandbox is what was asked for.
    let request = &sandbox.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.form_field("Identity"), Some(IDENTITY));
    assert_eq!(request.form_field("FactorType"), Some("push"));
    assert_eq!(
        request.form_field("FactorFriendlyName"),
        Some("John's iPhone")
    );
    assert_eq!(request.form_field("Ttl"), Some("300"));
    assert_eq!(request.username.as_deref(), Some(sandbox.account_sid()));

    let fetched = run(
        &[
            "token",
            "fetch",
            &issued.sid,
            "--service",
            &service,
            "--base-url",
            &url,
        ],
        &env,
    )
    .await;
    fetched.assert_code(0);
    assert_eq!(fetched.stdout, created.stdout);
    assert_eq!(sandbox.requests()[1].method, "GET");
    assert_eq!(sandbox.request_count(), 2);
}

#[tokio::test]
async fn json_output_uses_twilio_field_names_with_options_after_the_subcommand() {
    let sandbox = Sandbox::start().await.unwrap();
    let env = auth_token_env(&sandbox);
    let created = run(
        &[
            "token",
            "create",
            "--identity",
            IDENTITY,
            "--service",
            sandbox.service_sid(),
            "--json",
            "--base-url",
            sandbox.base_url(),
        ],
        &env,
    )
    .await;
    created.assert_code(0);
    let json = created.json();
    let issued = &sandbox.access_tokens()[0];
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "account_sid",
            "date_created",
            "entity_identity",
            "factor_friendly_name",
            "factor_type",
            "service_sid",
            "sid",
            "token",
            "ttl",
            "url"
        ]
    );
    assert_eq!(json["sid"], issued.sid.as_str());
    assert_eq!(json["token"], issued.token.as_str());
    assert_eq!(json["entity_identity"], IDENTITY);
    assert_eq!(json["factor_friendly_name"], serde_json::Value::Null);
    assert_eq!(json["ttl"], 60);
    assert_eq!(json["date_created"], issued.date_created.as_str());
    // No TTL given: none sent, Twilio's default applies.
    assert_eq!(sandbox.requests()[0].form_field("Ttl"), None);

    let fetched = run(
        &[
            "token",
            "fetch",
            &issued.sid,
            "--service",
            sandbox.service_sid(),
            "--json",
            "--base-url",
            sandbox.base_url(),
        ],
        &env,
    )
    .await;
    fetched.assert_code(0);
    assert_eq!(fetched.json(), json);
}

#[tokio::test]
async fn enrollment_output_has_exactly_the_four_keys_with_global_options_before_the_subcommand() {
    let sandbox = Sandbox::start().await.unwrap();
    let mut env = auth_token_env(&sandbox);
    // The service from the variable, not --service.
    env.extend(vars(&[(
        "TWILIO_VERIFY_SERVICE_SID",
        sandbox.service_sid(),
    )]));
    let created = run(
        &[
            "--base-url",
            sandbox.base_url(),
            "token",
            "create",
            "--enrollment",
            "--identity",
            IDENTITY,
        ],
        &env,
    )
    .await;
    created.assert_code(0);
    let issued = &sandbox.access_tokens()[0];
    assert_eq!(
        created.json(),
        serde_json::json!({
            "token": issued.token,
            "serviceSid": sandbox.service_sid(),
            "identity": IDENTITY,
            "factorType": "push",
        })
    );
}

#[tokio::test]
async fn api_key_credentials_work() {
    let sandbox = Sandbox::start().await.unwrap();
    let mut env = api_key_env(&sandbox);
    env.extend(vars(&[(
        "TWILIO_VERIFY_SERVICE_SID",
        sandbox.service_sid(),
    )]));
    let created = run(
        &[
            "token",
            "create",
            "--json",
            "--identity",
            IDENTITY,
            "--base-url",
            sandbox.base_url(),
        ],
        &env,
    )
    .await;
    created.assert_code(0);
    assert_eq!(
        created.json()["sid"],
        sandbox.access_tokens()[0].sid.as_str()
    );
    assert_eq!(
        sandbox.requests()[0].username.as_deref(),
        Some(sandbox.api_key_sid())
    );

    // Twilio's Verify docs name the secret TWILIO_API_KEY_SECRET; that works too.
    let env = vars(&[
        ("TWILIO_ACCOUNT_SID", sandbox.account_sid()),
        ("TWILIO_API_KEY", sandbox.api_key_sid()),
        ("TWILIO_API_KEY_SECRET", sandbox.api_key_secret()),
        ("TWILIO_VERIFY_SERVICE_SID", sandbox.service_sid()),
    ]);
    let sid = sandbox.access_tokens()[0].sid.clone();
    run(
        &["token", "fetch", &sid, "--base-url", sandbox.base_url()],
        &env,
    )
    .await
    .assert_code(0);
}
