//! Injected failures: status, code, Retry-After, raw bodies, delays, counts, and the queue
//! draining back to normal.

mod common;

use std::time::{Duration, Instant};

use common::{IDENTITY, client, create, create_url, twilio_error};
use verify_push_sandbox::{Failure, Sandbox};

const FORM: &[(&str, &str)] = &[("Identity", IDENTITY), ("FactorType", "push")];

#[tokio::test]
async fn status_code_message_and_retry_after() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(
        Failure::status(429)
            .code(20429)
            .message("Too many requests")
            .retry_after(1),
    );
    let response = create(&sandbox, FORM).await;
    assert_eq!(response.headers()["retry-after"], "1");
    let message = twilio_error(response, 429, 20429).await;
    assert_eq!(message, "Too many requests");
    assert!(
        sandbox.access_tokens().is_empty(),
        "the request was not processed"
    );
}

#[tokio::test]
async fn status_alone_gets_a_default_twilio_body() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(Failure::status(503));
    let response = create(&sandbox, FORM).await;
    assert!(response.headers().get("retry-after").is_none());
    let message = twilio_error(response, 503, 20503).await;
    assert_eq!(message, "Service Unavailable");
}

#[tokio::test]
async fn raw_body_and_content_type() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(
        Failure::status(200)
            .raw_body("not json")
            .content_type("text/plain"),
    );
    let response = create(&sandbox, FORM).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/plain");
    assert_eq!(response.text().await.unwrap(), "not json");
}

#[tokio::test]
async fn raw_body_keeps_the_json_content_type_by_default() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(Failure::status(201).raw_body(r#"{"sid":"YK"#));
    let response = create(&sandbox, FORM).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.text().await.unwrap(), r#"{"sid":"YK"#);
}

#[tokio::test]
async fn extra_headers() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(
        Failure::status(503)
            .header("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT")
            .header("X-Extra", "a")
            .header("X-Extra", "b"),
    );
    let response = create(&sandbox, FORM).await;
    assert_eq!(
        response.headers()["retry-after"],
        "Wed, 21 Oct 2026 07:28:00 GMT"
    );
    let extra: Vec<_> = response.headers().get_all("x-extra").iter().collect();
    assert_eq!(extra, ["a", "b"]);
}

#[tokio::test]
async fn delay_makes_a_client_time_out() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(Failure::delay(Duration::from_millis(1500)));
    let started = Instant::now();
    let error = client()
        .post(create_url(&sandbox))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(FORM)
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert!(started.elapsed() < Duration::from_millis(1500));
    // The next request is not delayed.
    assert_eq!(create(&sandbox, FORM).await.status(), 201);
}

#[tokio::test]
async fn delay_alone_then_handles_the_request_normally() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(Failure::delay(Duration::from_millis(300)));
    let started = Instant::now();
    let response = create(&sandbox, FORM).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(response.status(), 201);
    assert_eq!(sandbox.access_tokens().len(), 1);
}

#[tokio::test]
async fn delay_alone_still_authenticates() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(Failure::delay(Duration::from_millis(10)));
    let response = client()
        .post(create_url(&sandbox))
        .form(FORM)
        .send()
        .await
        .unwrap();
    twilio_error(response, 401, 20003).await;
}

#[tokio::test]
async fn delay_combines_with_a_status() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(Failure::status(504).with_delay(Duration::from_millis(300)));
    sandbox.fail_next(Failure::delay(Duration::from_millis(300)).with_status(500));
    for (status, code) in [(504, 20504), (500, 20500)] {
        let started = Instant::now();
        let response = create(&sandbox, FORM).await;
        assert!(started.elapsed() >= Duration::from_millis(300));
        twilio_error(response, status, code).await;
    }
}

#[tokio::test]
async fn fail_next_n_fails_exactly_n_then_drains() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next_n(3, Failure::status(500));
    assert_eq!(sandbox.pending_failures(), 3);
    for remaining in [2, 1, 0] {
        twilio_error(create(&sandbox, FORM).await, 500, 20500).await;
        assert_eq!(sandbox.pending_failures(), remaining);
    }
    assert_eq!(create(&sandbox, FORM).await.status(), 201);
    assert_eq!(create(&sandbox, FORM).await.status(), 201);
    assert_eq!(sandbox.request_count(), 5);
    assert_eq!(sandbox.access_tokens().len(), 2);
}

#[tokio::test]
async fn failures_are_used_in_the_order_queued() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next(Failure::status(429));
    sandbox.fail_next_n(2, Failure::status(503));
    sandbox.fail_next(Failure::status(500));
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(create(&sandbox, FORM).await.status().as_u16());
    }
    assert_eq!(statuses, [429, 503, 503, 500, 201]);
}

#[tokio::test]
async fn fail_next_n_zero_queues_nothing() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next_n(0, Failure::status(500));
    assert_eq!(sandbox.pending_failures(), 0);
    assert_eq!(create(&sandbox, FORM).await.status(), 201);
}

#[tokio::test]
async fn failure_applies_whatever_the_route_or_credentials() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next_n(2, Failure::status(503));
    // No credentials at all: the injected failure, not a 401.
    let response = client().post(create_url(&sandbox)).send().await.unwrap();
    twilio_error(response, 503, 20503).await;
    // An unknown route: the injected failure, not a 404.
    let response = client()
        .get(format!("{}/nowhere", sandbox.base_url()))
        .send()
        .await
        .unwrap();
    twilio_error(response, 503, 20503).await;
    assert_eq!(sandbox.request_count(), 2);
    assert_eq!(sandbox.requests()[1].path, "/nowhere");
}

#[tokio::test]
async fn clear_failures_returns_to_normal() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.fail_next_n(10, Failure::status(500));
    sandbox.clear_failures();
    assert_eq!(sandbox.pending_failures(), 0);
    assert_eq!(create(&sandbox, FORM).await.status(), 201);
}

#[test]
#[should_panic(expected = "not a final HTTP status")]
fn status_outside_http_is_a_test_bug() {
    let _ = Failure::status(1000);
}

#[test]
#[should_panic(expected = "not a valid header name")]
fn invalid_header_name_is_a_test_bug() {
    let _ = Failure::status(500).header("bad header", "x");
}
