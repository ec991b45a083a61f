//! Fetching a token, and the 404s and 405s of everything the sandbox does not serve.

mod common;

use common::{IDENTITY, client, create, create_ok, fetch_url, get, twilio_error};
use serde_json::Value;
use verify_push_sandbox::Sandbox;

const OTHER_SERVICE: &str = "VA0123456789abcdef0123456789abcdef";

#[tokio::test]
async fn fetch_returns_what_was_created() {
    let sandbox = Sandbox::start().await.unwrap();
    let created = create_ok(
        &sandbox,
        &[
            ("Identity", IDENTITY),
            ("FactorType", "push"),
            ("FactorFriendlyName", "Pixel 9"),
            ("Ttl", "120"),
        ],
    )
    .await;
    let response = get(&sandbox, created["url"].as_str().unwrap()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let fetched: Value = response.json().await.unwrap();
    assert_eq!(fetched, created);
}

#[tokio::test]
async fn fetch_with_the_api_key_works() {
    let sandbox = Sandbox::start().await.unwrap();
    let created = create_ok(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")]).await;
    let response = client()
        .get(created["url"].as_str().unwrap())
        .basic_auth(sandbox.api_key_sid(), Some(sandbox.api_key_secret()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn unknown_token_sid_is_404() {
    let sandbox = Sandbox::start().await.unwrap();
    create_ok(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")]).await;
    let sid = "YK00000000000000000000000000000000";
    let message = twilio_error(get(&sandbox, &fetch_url(&sandbox, sid)).await, 404, 20404).await;
    assert_eq!(
        message,
        format!(
            "The requested resource /Services/{}/AccessTokens/{sid} was not found",
            sandbox.service_sid()
        )
    );
}

#[tokio::test]
async fn token_of_the_sandbox_under_another_service_is_404() {
    let sandbox = Sandbox::start().await.unwrap();
    let created = create_ok(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")]).await;
    let sid = created["sid"].as_str().unwrap();
    let url = format!(
        "{}/v2/Services/{OTHER_SERVICE}/AccessTokens/{sid}",
        sandbox.base_url()
    );
    let message = twilio_error(get(&sandbox, &url).await, 404, 20404).await;
    assert!(message.contains(OTHER_SERVICE), "{message}");
}

#[tokio::test]
async fn create_under_another_service_is_404() {
    let sandbox = Sandbox::start().await.unwrap();
    for service in [OTHER_SERVICE, "not-a-service-sid"] {
        let response = client()
            .post(format!(
                "{}/v2/Services/{service}/AccessTokens",
                sandbox.base_url()
            ))
            .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
            .form(&[("Identity", IDENTITY), ("FactorType", "push")])
            .send()
            .await
            .unwrap();
        let message = twilio_error(response, 404, 20404).await;
        assert_eq!(
            message,
            format!("The requested resource /Services/{service}/AccessTokens was not found")
        );
    }
    assert!(sandbox.access_tokens().is_empty());
}

#[tokio::test]
async fn service_is_checked_before_validation() {
    let sandbox = Sandbox::start().await.unwrap();
    let response = client()
        .post(format!(
            "{}/v2/Services/{OTHER_SERVICE}/AccessTokens",
            sandbox.base_url()
        ))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(&[("FactorType", "push")])
        .send()
        .await
        .unwrap();
    twilio_error(response, 404, 20404).await;
}

#[tokio::test]
async fn unknown_routes_are_404() {
    let sandbox = Sandbox::start().await.unwrap();
    // `/` is the phone page, not an API route. (`/v2/Services` and `/v2/Services/{Sid}` are
    // served since issue 22: tests/services.rs.)
    for path in [
        "/v2",
        &format!("/v2/Services/{}/Verifications", sandbox.service_sid()),
        &format!("/v2/Services/{}/AccessTokens/", sandbox.service_sid()),
        &format!(
            "/v1/Services/{}/AccessTokens/YK00000000000000000000000000000000",
            sandbox.service_sid()
        ),
    ] {
        let response = get(&sandbox, &format!("{}{path}", sandbox.base_url())).await;
        let message = twilio_error(response, 404, 20404).await;
        assert_eq!(
            message,
            format!("The requested resource {path} was not found")
        );
    }
}

#[tokio::test]
async fn wrong_methods_are_405() {
    let sandbox = Sandbox::start().await.unwrap();
    let created = create_ok(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")]).await;
    let list = common::create_url(&sandbox);
    let instance = created["url"].as_str().unwrap();
    let requests = [
        (client().get(&list), "POST"),
        (client().delete(&list), "POST"),
        (client().post(instance), "GET,HEAD"),
        (client().delete(instance), "GET,HEAD"),
        (client().put(instance), "GET,HEAD"),
    ];
    for (request, allow) in requests {
        let response = request
            .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["allow"], allow);
        let message = twilio_error(response, 405, 20004).await;
        assert!(message.starts_with("Method not allowed"), "{message}");
    }
    // Nothing was deleted.
    assert_eq!(get(&sandbox, instance).await.status(), 200);
}

#[tokio::test]
async fn tokens_do_not_leak_between_sandboxes() {
    let a = Sandbox::start().await.unwrap();
    let b = Sandbox::builder()
        .account_sid(a.account_sid())
        .auth_token(a.auth_token())
        .service_sid(a.service_sid())
        .start()
        .await
        .unwrap();
    let created = create(&a, &[("Identity", IDENTITY), ("FactorType", "push")])
        .await
        .json::<Value>()
        .await
        .unwrap();
    let url = fetch_url(&b, created["sid"].as_str().unwrap());
    twilio_error(get(&b, &url).await, 404, 20404).await;
}
