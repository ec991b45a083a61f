//! Every response carries a `Twilio-Request-Id` (`RQ` + 32 hex digits), whatever its kind.

mod common;

use std::collections::HashSet;

use common::{IDENTITY, client, create, create_url, fetch_url, get, is_sid};
use reqwest::Response;
use verify_push_sandbox::{Failure, Sandbox};

fn request_id(response: &Response) -> String {
    let value = response
        .headers()
        .get("twilio-request-id")
        .unwrap_or_else(|| panic!("no Twilio-Request-Id on a {}", response.status()));
    let value = value.to_str().unwrap().to_owned();
    assert!(is_sid("RQ", &value), "{value}");
    value
}

#[tokio::test]
async fn every_kind_of_response_has_a_request_id() {
    let sandbox = Sandbox::start().await.unwrap();
    let mut responses = Vec::new();

    let created = create(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")]).await;
    assert_eq!(created.status(), 201);
    responses.push(created);

    let sid = sandbox.access_tokens()[0].sid.clone();
    let fetched = get(&sandbox, &fetch_url(&sandbox, &sid)).await;
    assert_eq!(fetched.status(), 200);
    responses.push(fetched);

    let invalid = create(&sandbox, &[("Identity", IDENTITY)]).await;
    assert_eq!(invalid.status(), 400);
    responses.push(invalid);

    let unauthorized = client().post(create_url(&sandbox)).send().await.unwrap();
    assert_eq!(unauthorized.status(), 401);
    responses.push(unauthorized);

    let not_found = get(&sandbox, &format!("{}/nowhere", sandbox.base_url())).await;
    assert_eq!(not_found.status(), 404);
    responses.push(not_found);

    let wrong_method = get(&sandbox, &create_url(&sandbox)).await;
    assert_eq!(wrong_method.status(), 405);
    responses.push(wrong_method);

    sandbox.fail_next(Failure::status(503));
    let injected = get(&sandbox, &create_url(&sandbox)).await;
    assert_eq!(injected.status(), 503);
    responses.push(injected);

    sandbox.fail_next(
        Failure::status(200)
            .raw_body("ok")
            .content_type("text/plain"),
    );
    let raw = get(&sandbox, &create_url(&sandbox)).await;
    responses.push(raw);

    let ids: Vec<String> = responses.iter().map(request_id).collect();
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "request ids repeat: {ids:?}");

    // The log knows which id each request got (401s for bad credentials are not kept).
    let recorded: Vec<String> = sandbox
        .requests()
        .into_iter()
        .map(|r| r.request_id)
        .collect();
    let kept: Vec<String> = responses
        .iter()
        .filter(|r| r.status() != 401)
        .map(request_id)
        .collect();
    assert_eq!(recorded, kept);
}
