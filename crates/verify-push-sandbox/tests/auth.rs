//! HTTP Basic authentication: the account's auth token and the API key both work; anything else
//! gets Twilio's 401.

mod common;

use common::{IDENTITY, client, create_url, fetch_url, twilio_error};
use verify_push_sandbox::Sandbox;

const FORM: &[(&str, &str)] = &[("Identity", IDENTITY), ("FactorType", "push")];

#[tokio::test]
async fn auth_token_is_accepted() {
    let sandbox = Sandbox::start().await.unwrap();
    let response = client()
        .post(create_url(&sandbox))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(FORM)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn api_key_is_accepted() {
    let sandbox = Sandbox::start().await.unwrap();
    let response = client()
        .post(create_url(&sandbox))
        .basic_auth(sandbox.api_key_sid(), Some(sandbox.api_key_secret()))
        .form(FORM)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: serde_json::Value = response.json().await.unwrap();
    // The resource belongs to the account whichever credential created it.
    assert_eq!(body["account_sid"], sandbox.account_sid());
}

#[tokio::test]
async fn wrong_password_gets_401_with_twilios_body_and_challenge() {
    let sandbox = Sandbox::start().await.unwrap();
    let response = client()
        .post(create_url(&sandbox))
        .basic_auth(sandbox.account_sid(), Some("wrong"))
        .form(FORM)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.headers()["www-authenticate"],
        r#"Basic realm="Twilio API""#
    );
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.text().await.unwrap(),
        r#"{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"#
    );
    assert!(sandbox.access_tokens().is_empty(), "nothing was created");
}

#[tokio::test]
async fn missing_header_gets_401() {
    let sandbox = Sandbox::start().await.unwrap();
    let response = client()
        .post(create_url(&sandbox))
        .form(FORM)
        .send()
        .await
        .unwrap();
    assert!(response.headers().contains_key("www-authenticate"));
    assert_eq!(twilio_error(response, 401, 20003).await, "Authenticate");
}

#[tokio::test]
async fn pairs_do_not_mix() {
    let sandbox = Sandbox::start().await.unwrap();
    let pairs = [
        (sandbox.account_sid(), sandbox.api_key_secret()),
        (sandbox.api_key_sid(), sandbox.auth_token()),
        ("AC00000000000000000000000000000000", sandbox.auth_token()),
        (sandbox.account_sid(), ""),
    ];
    for (username, password) in pairs {
        let response = client()
            .post(create_url(&sandbox))
            .basic_auth(username, Some(password))
            .form(FORM)
            .send()
            .await
            .unwrap();
        twilio_error(response, 401, 20003).await;
    }
}

#[tokio::test]
async fn prefix_of_the_password_is_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let token = sandbox.auth_token();
    let response = client()
        .post(create_url(&sandbox))
        .basic_auth(sandbox.account_sid(), Some(&token[..token.len() - 1]))
        .form(FORM)
        .send()
        .await
        .unwrap();
    twilio_error(response, 401, 20003).await;
}

#[tokio::test]
async fn bearer_scheme_is_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let response = client()
        .post(create_url(&sandbox))
        .bearer_auth(sandbox.auth_token())
        .form(FORM)
        .send()
        .await
        .unwrap();
    twilio_error(response, 401, 20003).await;
}

#[tokio::test]
async fn fetch_and_unknown_routes_need_credentials_too() {
    let sandbox = Sandbox::start().await.unwrap();
    let fetch = fetch_url(&sandbox, "YK00000000000000000000000000000000");
    // `/` itself is the phone page (loopback, no credentials); any other unknown route is the
    // API's and needs them.
    let unknown = format!("{}/v2/Unknown", sandbox.base_url());
    for url in [fetch.as_str(), unknown.as_str()] {
        let response = client().get(url).send().await.unwrap();
        twilio_error(response, 401, 20003).await;
    }
}

#[tokio::test]
async fn configured_credentials_are_the_ones_checked() {
    let sandbox = Sandbox::builder()
        .account_sid("AC0123456789abcdef0123456789abcdef")
        .auth_token("my-auth-token")
        .api_key("SK0123456789abcdef0123456789abcdef", "my:api:secret")
        .start()
        .await
        .unwrap();
    for (username, password) in [
        ("AC0123456789abcdef0123456789abcdef", "my-auth-token"),
        ("SK0123456789abcdef0123456789abcdef", "my:api:secret"),
    ] {
        let response = client()
            .post(create_url(&sandbox))
            .basic_auth(username, Some(password))
            .form(FORM)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{username}");
    }
}
