//! Webhooks: the CRUD resource, and delivery of signed events to a receiver on 127.0.0.1. The
//! signature is checked here with the test's own HMAC-SHA1, itself checked first against
//! twilio-python's test vector.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha1::Sha1;
use verify_push_sandbox::Sandbox;

const IDENTITY: &str = "user-0001-abcdef";

/// Twilio's algorithm, written again for the test: URL, then each sorted name and value.
fn expected_signature(key: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort();
    let mut data = url.to_owned();
    for (k, v) in &sorted {
        data.push_str(k);
        data.push_str(v);
    }
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// One delivery: its `X-Twilio-Signature` and its form parameters.
type Delivery = (Option<String>, Vec<(String, String)>);

#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<Delivery>>>);

/// A receiver on 127.0.0.1 that answers `fail_first` requests with 500, then 204.
async fn receiver(fail_first: usize) -> (String, Received) {
    let received = Received::default();
    let attempts = Arc::new(Mutex::new(0usize));
    let store = received.clone();
    let app = Router::new().route(
        "/hooks/verify",
        post(move |headers: HeaderMap, body: Bytes| {
            let store = store.clone();
            let attempts = attempts.clone();
            async move {
                let mut n = attempts.lock().unwrap();
                *n += 1;
                if *n <= fail_first {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                let signature = headers
                    .get("x-twilio-signature")
                    .map(|v| v.to_str().unwrap().to_owned());
                let params = form_urlencoded::parse(&body).into_owned().collect();
                store.0.lock().unwrap().push((signature, params));
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks/verify", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

async fn wait_for(
    received: &Received,
    count: usize,
) -> Vec<(Option<String>, Vec<(String, String)>)> {
    for _ in 0..100 {
        if received.0.lock().unwrap().len() >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    received.0.lock().unwrap().clone()
}

fn webhooks_url(sandbox: &Sandbox) -> String {
    format!(
        "{}/v2/Services/{}/Webhooks",
        sandbox.base_url(),
        sandbox.service_sid()
    )
}

async fn create_webhook(sandbox: &Sandbox, url: &str, types: &[&str]) -> reqwest::Response {
    let mut form = vec![("FriendlyName", "backend"), ("WebhookUrl", url)];
    form.extend(types.iter().map(|t| ("EventTypes", *t)));
    reqwest::Client::new()
        .post(webhooks_url(sandbox))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(&form)
        .send()
        .await
        .unwrap()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn the_tests_own_signature_matches_twilio_python() {
    let params: Vec<(String, String)> = [
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+14158675309"),
        ("Digits", "1234"),
        ("From", "+14158675309"),
        ("To", "+18005551212"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(
        expected_signature(
            "12345",
            "https://mycompany.com/myapp.php?foo=1&bar=2",
            &params
        ),
        "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    );
}

#[tokio::test]
async fn events_are_delivered_signed_and_filtered() {
    let sandbox = Sandbox::start().await.unwrap();
    let (all_url, all) = receiver(0).await;
    let (some_url, some) = receiver(0).await;
    assert_eq!(
        create_webhook(&sandbox, &all_url, &["*"]).await.status(),
        201
    );
    let created = create_webhook(
        &sandbox,
        &some_url,
        &["challenge.approved", "factor.deleted"],
    )
    .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(
        created["event_types"],
        json!(["challenge.approved", "factor.deleted"])
    );
    assert_eq!(created["webhook_method"], "POST");
    assert_eq!(created["version"], "v2");
    serde_json::from_value::<verify_v2::models::VerifyV2ServiceWebhook>(created).unwrap();

    let device = sandbox.device();
    let factor = device
        .enroll(&sandbox.enrollment(IDENTITY).unwrap())
        .await
        .unwrap();
    let challenge: Value = reqwest::Client::new()
        .post(format!(
            "{}/v2/Services/{}/Entities/{IDENTITY}/Challenges",
            sandbox.base_url(),
            sandbox.service_sid()
        ))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(&[
            ("FactorSid", factor.sid.as_str()),
            ("Details.Message", "Log in?"),
            ("HiddenDetails", r#"{"ip":"10.0.0.1"}"#),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    device
        .approve(challenge["sid"].as_str().unwrap())
        .await
        .unwrap();

    let events = wait_for(&all, 3).await;
    let types: Vec<&str> = events
        .iter()
        .map(|(_, p)| param(p, "type").unwrap())
        .collect();
    assert_eq!(types.len(), 3, "{types:?}");
    for expected in ["factor.created", "factor.verified", "challenge.approved"] {
        assert!(types.contains(&expected), "{types:?}");
    }
    for (signature, params) in &events {
        assert_eq!(
            signature.as_deref(),
            Some(expected_signature(sandbox.auth_token(), &all_url, params).as_str())
        );
        assert_eq!(param(params, "account_sid"), Some(sandbox.account_sid()));
        assert_eq!(param(params, "service_sid"), Some(sandbox.service_sid()));
        assert_eq!(param(params, "entity_identity"), Some(IDENTITY));
        assert_eq!(param(params, "factor_sid"), Some(factor.sid.as_str()));
        assert_eq!(param(params, "factor_type"), Some("push"));
        assert_eq!(param(params, "uuid").unwrap().len(), 36);
    }
    let approved = &events
        .iter()
        .find(|(_, p)| param(p, "type") == Some("challenge.approved"))
        .unwrap()
        .1;
    assert_eq!(param(approved, "challenge_sid"), challenge["sid"].as_str());
    let details: Value =
        serde_json::from_str(param(approved, "challenge_details").unwrap()).unwrap();
    assert_eq!(details["message"], "Log in?");
    assert_eq!(
        param(approved, "challenge_hidden_details"),
        Some(r#"{"ip":"10.0.0.1"}"#)
    );

    // The filtered webhook got only challenge.approved (so far).
    let filtered = wait_for(&some, 1).await;
    assert_eq!(filtered.len(), 1);
    assert_eq!(param(&filtered[0].1, "type"), Some("challenge.approved"));

    // The backend deletes the factor: factor.deleted reaches both.
    let deleted = reqwest::Client::new()
        .delete(format!(
            "{}/v2/Services/{}/Entities/{IDENTITY}/Factors/{}",
            sandbox.base_url(),
            sandbox.service_sid(),
            factor.sid
        ))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let filtered = wait_for(&some, 2).await;
    assert_eq!(param(&filtered[1].1, "type"), Some("factor.deleted"));
    assert_eq!(
        param(&filtered[1].1, "factor_sid"),
        Some(factor.sid.as_str())
    );
    assert_eq!(wait_for(&all, 4).await.len(), 4);
}

#[tokio::test]
async fn failed_deliveries_are_retried_and_never_block_the_api() {
    let sandbox = Sandbox::start().await.unwrap();
    let (url, received) = receiver(2).await;
    assert_eq!(
        create_webhook(&sandbox, &url, &["factor.created"])
            .await
            .status(),
        201
    );
    // A dead receiver too: the API answers anyway.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_url = format!("http://{}/gone", dead.local_addr().unwrap());
    drop(dead);
    assert_eq!(
        create_webhook(&sandbox, &dead_url, &["*"]).await.status(),
        201
    );

    let started = std::time::Instant::now();
    sandbox
        .device()
        .enroll(&sandbox.enrollment(IDENTITY).unwrap())
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    // Two 500s, then delivered on the third attempt.
    let events = wait_for(&received, 1).await;
    assert_eq!(events.len(), 1);
    assert_eq!(param(&events[0].1, "type"), Some("factor.created"));
}

#[tokio::test]
async fn webhook_resource_rules() {
    let sandbox = Sandbox::start().await.unwrap();
    for url in [
        "https://example.com/hook",
        "http://10.0.0.1/hook",
        "not a url",
    ] {
        let response = create_webhook(&sandbox, url, &["*"]).await;
        assert_eq!(response.status(), 400, "{url}");
        assert_eq!(response.json::<Value>().await.unwrap()["code"], 60200);
    }
    let bad_type = create_webhook(&sandbox, "http://127.0.0.1:9/x", &["challenge.expired"]).await;
    assert_eq!(bad_type.status(), 400);
    let created: Value = create_webhook(&sandbox, "http://127.0.0.1:9/x", &["*"])
        .await
        .json()
        .await
        .unwrap();
    let instance = format!(
        "{}/{}",
        webhooks_url(&sandbox),
        created["sid"].as_str().unwrap()
    );
    let client = reqwest::Client::new();
    let updated: Value = client
        .post(&instance)
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(&[("Status", "disabled"), ("FriendlyName", "renamed")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            updated["status"].as_str(),
            updated["friendly_name"].as_str()
        ),
        (Some("disabled"), Some("renamed"))
    );
    let listed: Value = client
        .get(webhooks_url(&sandbox))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["webhooks"].as_array().unwrap().len(), 1);
    let deleted = client
        .delete(&instance)
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let gone = client
        .get(&instance)
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 404);
}
