//! A value Twilio adds tomorrow is kept, never fatal to the whole response.

mod common;

use common::*;
use verify_push::{FactorStatus, FactorType};

#[tokio::test]
async fn unknown_factor_status_and_type_are_kept() {
    let mut body: serde_json::Value =
        serde_json::from_str(&fixture("factors", "FetchFactor.fetchPush")).unwrap();
    body["status"] = "suspended".into();
    body["factor_type"] = "passkey-v9".into();
    let mut server = mockito::Server::new_async().await;
    let _m = json_mock(
        &mut server,
        "GET",
        mockito::Matcher::Any,
        200,
        body.to_string(),
    )
    .create_async()
    .await;
    let factor = client(&server.url())
        .service(VA)
        .entity(IDENTITY)
        .factors()
        .fetch(YF)
        .await
        .unwrap();
    assert_eq!(factor.status(), &FactorStatus::Unknown("suspended".into()));
    assert_eq!(
        factor.factor_type(),
        &FactorType::Unknown("passkey-v9".into())
    );
    assert!(!factor.is_verified());
    // Serialized back with Twilio's spelling.
    let json = serde_json::to_value(&factor).unwrap();
    assert_eq!(json["status"], "suspended");
}

#[tokio::test]
async fn unknown_webhook_event_types_and_status_are_kept() {
    let mut body: serde_json::Value =
        serde_json::from_str(&fixture("webhooks", "FetchWebhook.fetch")).unwrap();
    body["event_types"] = serde_json::json!(["factor.created", "challenge.escalated"]);
    body["status"] = "paused".into();
    let mut server = mockito::Server::new_async().await;
    let _m = json_mock(
        &mut server,
        "GET",
        mockito::Matcher::Any,
        200,
        body.to_string(),
    )
    .create_async()
    .await;
    let webhook = client(&server.url())
        .service(VA)
        .webhooks()
        .fetch(YW)
        .await
        .unwrap();
    let kinds: Vec<_> = webhook.event_types().iter().map(|e| e.as_str()).collect();
    assert_eq!(kinds, ["factor.created", "challenge.escalated"]);
    assert_eq!(webhook.status().unwrap().as_str(), "paused");
}
