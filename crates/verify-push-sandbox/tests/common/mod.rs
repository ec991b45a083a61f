//! Helpers shared by the integration tests: requests against a started sandbox and checks of
//! Twilio's error body.

// Each test file is its own crate and uses only some of these helpers.
#![allow(dead_code)]

use reqwest::{Response, StatusCode};
use serde_json::Value;
use verify_push_sandbox::Sandbox;

/// A valid identity (the SHA-256-hex style Twilio's sample backend sends, shortened).
pub const IDENTITY: &str = "ff483d1ff591898a9942916050d2ca3f";

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}

pub fn create_url(sandbox: &Sandbox) -> String {
    format!(
        "{}/v2/Services/{}/AccessTokens",
        sandbox.base_url(),
        sandbox.service_sid()
    )
}

pub fn fetch_url(sandbox: &Sandbox, sid: &str) -> String {
    format!("{}/{sid}", create_url(sandbox))
}

/// POST a create with the account's auth token.
pub async fn create(sandbox: &Sandbox, form: &[(&str, &str)]) -> Response {
    client()
        .post(create_url(sandbox))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(form)
        .send()
        .await
        .expect("the sandbox answers")
}

/// A create that must succeed; returns its JSON body.
pub async fn create_ok(sandbox: &Sandbox, form: &[(&str, &str)]) -> Value {
    let response = create(sandbox, form).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("a JSON body")
}

/// GET a URL with the account's auth token.
pub async fn get(sandbox: &Sandbox, url: &str) -> Response {
    client()
        .get(url)
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .send()
        .await
        .expect("the sandbox answers")
}

/// Checks a Twilio error response (status, JSON content type, the four fields, `more_info` built
/// from the code) and returns its message.
pub async fn twilio_error(response: Response, status: u16, code: u64) -> String {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.expect("a JSON error body");
    let object = body.as_object().expect("an object");
    assert_eq!(object.len(), 4, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(
        body["more_info"],
        format!("https://www.twilio.com/docs/errors/{code}")
    );
    body["message"].as_str().expect("a message").to_owned()
}

/// Whether `value` is `prefix` and 32 lowercase hex digits.
pub fn is_sid(prefix: &str, value: &str) -> bool {
    value.len() == 34
        && value.starts_with(prefix)
        && value[2..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
