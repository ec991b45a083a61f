//! The `axum` feature's `VerifiedEvent` extractor behind a real axum server on 127.0.0.1: a
//! signed delivery reaches the handler; a forged one gets 403 with an empty body; a delivery
//! signed with the old token is accepted while rotating.
#![cfg(feature = "axum")]

use std::sync::{Arc, Mutex};

use axum::routing::post;
use axum::{Extension, Router};
use base64::{Engine as _, engine::general_purpose::STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use verify_push::webhooks::{VerifiedEvent, WebhookEndpoint, WebhookValidator};

const NEW_TOKEN: &str = "0123456789abcdef0123456789abcdef";
const OLD_TOKEN: &str = "fedcba9876543210fedcba9876543210";
/// The origin Twilio calls (a tunnel, say): not the address the server listens on.
const PUBLIC_ORIGIN: &str = "https://backend.example.com";
const PATH: &str = "/twilio/verify-events";

/// Signed as Twilio signs a form body (written here independently of the library).
fn signed(token: &str, params: &[(&str, &str)]) -> (String, String) {
    let mut sorted = params.to_vec();
    sorted.sort();
    let mut data = format!("{PUBLIC_ORIGIN}{PATH}");
    for (name, value) in &sorted {
        data.push_str(name);
        data.push_str(value);
    }
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(token.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    (STANDARD.encode(mac.finalize().into_bytes()), body)
}

const EVENT: &[(&str, &str)] = &[
    ("uuid", "0d5b3fc4-1f0e-4f7e-9b1e-1c0a3a5e8e11"),
    ("type", "challenge.approved"),
    ("challenge_sid", "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
];

async fn serve(with_endpoint: bool) -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let validator = WebhookValidator::new(NEW_TOKEN)
        .and_then(|v| v.also_accept(OLD_TOKEN))
        .unwrap();
    let mut router = Router::new().route(
        PATH,
        post(move |VerifiedEvent(event): VerifiedEvent| async move {
            record.lock().unwrap().push(event.uuid().to_string());
            axum::http::StatusCode::NO_CONTENT
        }),
    );
    if with_endpoint {
        router = router.layer(Extension(WebhookEndpoint::new(validator, PUBLIC_ORIGIN)));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let local = format!("http://{}{PATH}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (local, seen)
}

async fn deliver(url: &str, signature: &str, body: String) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(url)
        .header("X-Twilio-Signature", signature)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn signed_events_pass_forged_ones_get_403_and_no_echo() {
    let (url, seen) = serve(true).await;
    let (signature, body) = signed(NEW_TOKEN, EVENT);
    assert_eq!(deliver(&url, &signature, body.clone()).await.0, 204);
    // Rotation: the old token still signs valid deliveries.
    let (old_signature, _) = signed(OLD_TOKEN, EVENT);
    assert_eq!(deliver(&url, &old_signature, body.clone()).await.0, 204);
    // A forgery: 403, and nothing of the request in the response.
    let (forged, _) = signed("not-the-token", EVENT);
    assert_eq!(deliver(&url, &forged, body).await, (403, String::new()));
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn without_an_endpoint_nothing_is_accepted() {
    let (url, seen) = serve(false).await;
    let (signature, body) = signed(NEW_TOKEN, EVENT);
    assert_eq!(deliver(&url, &signature, body).await, (500, String::new()));
    assert!(seen.lock().unwrap().is_empty());
}
