//! The whole push login, end to end on one machine: the library against the sandbox, with the
//! sandbox's virtual device in the phone's place and a webhook receiver on 127.0.0.1.
//!
//! access token → device enrolls → one verified factor → challenge → device answers → `wait`
//! returns the answer, and the receiver got the matching event, whose signature the library's
//! webhook verifier accepts.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use verify_push::challenges::Outcome;
use verify_push::webhooks::{EventType, WebhookEvent, WebhookValidator};
use verify_push::{Client, Credentials, FactorStatus, Identity};
use verify_push_sandbox::Sandbox;
use verify_push_sandbox::device::Enrollment as DeviceEnrollment;

/// What the receiver got: the signature header, content type and body of each delivery.
type Deliveries = Arc<Mutex<Vec<(Option<String>, Option<String>, Vec<u8>)>>>;

/// A webhook receiver on 127.0.0.1 that records every delivery; returns its URL.
async fn receiver() -> (String, Deliveries) {
    let deliveries = Deliveries::default();
    let app = axum::Router::new()
        .route(
            "/webhooks/verify",
            axum::routing::post(
                |State(log): State<Deliveries>, headers: HeaderMap, body: Bytes| async move {
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned)
                    };
                    log.lock().unwrap().push((
                        header("x-twilio-signature"),
                        header("content-type"),
                        body.to_vec(),
                    ));
                    axum::http::StatusCode::NO_CONTENT
                },
            ),
        )
        .with_state(deliveries.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks/verify", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, deliveries)
}

/// Waits (up to 5 s) for a delivery of `kind`, verified by the library.
async fn delivered(
    deliveries: &Deliveries,
    url: &str,
    validator: &WebhookValidator,
    kind: EventType,
) -> WebhookEvent {
    for _ in 0..100 {
        let found = deliveries
            .lock()
            .unwrap()
            .iter()
            .map(|(signature, content_type, body)| {
                validator
                    .verify(url, signature.as_deref(), content_type.as_deref(), body)
                    .expect("every delivery is signed with the sandbox's auth token")
            })
            .find(|event| event.event_type() == &kind);
        if let Some(event) = found {
            return event;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no {kind} delivery arrived");
}

struct World {
    sandbox: Sandbox,
    client: Client,
    user: verify_push::entities::Entity,
    device: verify_push_sandbox::device::VirtualDevice,
    factor_sid: String,
    url: String,
    deliveries: Deliveries,
    validator: WebhookValidator,
}

/// Sandbox, library client, webhook, and an enrolled virtual phone.
async fn enrolled() -> World {
    let sandbox = Sandbox::start().await.unwrap();
    let client = Client::builder()
        .credentials(Credentials::auth_token(
            sandbox.account_sid(),
            sandbox.auth_token(),
        ))
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    let push = client.service(sandbox.service_sid());
    let (url, deliveries) = receiver().await;
    push.webhooks()
        .create("end to end", url.as_str())
        .event(EventType::All)
        .send()
        .await
        .unwrap();
    let validator = WebhookValidator::new(sandbox.auth_token()).unwrap();

    let user = push.entity(Identity::hashed("user-42"));
    let token = push
        .access_tokens()
        .create(user.identity())
        .factor_friendly_name("Virtual phone")
        .ttl(Duration::from_secs(300))
        .send()
        .await
        .unwrap();
    // The app receives exactly this JSON from the backend.
    let json = serde_json::to_string(&token.enrollment()).unwrap();
    let device = sandbox.device();
    device
        .enroll(&DeviceEnrollment::from_json(&json).unwrap())
        .await
        .unwrap();

    let factors = user.factors().list().await.unwrap();
    assert_eq!(factors.len(), 1, "{factors:?}");
    assert_eq!(factors[0].status(), &FactorStatus::Verified);
    assert!(factors[0].friendly_name().is_some());
    let factor_sid = factors[0].sid().to_string();

    let verified = delivered(&deliveries, &url, &validator, EventType::FactorVerified).await;
    assert_eq!(verified.factor_sid(), Some(factor_sid.as_str()));
    World {
        sandbox,
        client,
        user,
        device,
        factor_sid,
        url,
        deliveries,
        validator,
    }
}

async fn challenge(world: &World, expires_in: Duration) -> String {
    world
        .user
        .challenges()
        .create(&world.factor_sid)
        .message("Log in to Example from Chrome on macOS?")
        .field("Location", "Berlin, DE")
        .hidden_detail("ip", "203.0.113.7")
        .expires_in(expires_in)
        .send()
        .await
        .unwrap()
        .sid()
        .to_string()
}

#[tokio::test]
async fn approved_on_the_phone_logs_in() {
    let world = enrolled().await;
    let sid = challenge(&world, Duration::from_secs(120)).await;

    let pending = world.device.pending_challenges().await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        pending[0].message,
        "Log in to Example from Chrome on macOS?"
    );
    assert_eq!(
        pending[0].fields,
        [("Location".to_string(), "Berlin, DE".to_string())]
    );
    world.device.approve(&sid).await.unwrap();

    let outcome = world
        .user
        .challenges()
        .wait(&sid)
        .interval(Duration::from_millis(100))
        .timeout(Duration::from_secs(10))
        .await
        .unwrap();
    assert!(outcome.is_approved(), "{outcome:?}");
    let event = delivered(
        &world.deliveries,
        &world.url,
        &world.validator,
        EventType::ChallengeApproved,
    )
    .await;
    assert_eq!(event.challenge_sid(), Some(sid.as_str()));
    assert_eq!(event.entity_identity(), Some(world.user.identity()));
    // A replayed answer to a finished challenge is refused.
    assert!(world.device.deny(&sid).await.is_err());
    drop(world.client);
}

#[tokio::test]
async fn denied_on_the_phone_does_not_log_in() {
    let world = enrolled().await;
    let sid = challenge(&world, Duration::from_secs(120)).await;
    world.device.deny(&sid).await.unwrap();
    let outcome = world
        .user
        .challenges()
        .wait(&sid)
        .interval(Duration::from_millis(100))
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Denied(_)), "{outcome:?}");
    let event = delivered(
        &world.deliveries,
        &world.url,
        &world.validator,
        EventType::ChallengeDenied,
    )
    .await;
    assert_eq!(event.challenge_sid(), Some(sid.as_str()));
}

#[tokio::test]
async fn unanswered_challenge_expires() {
    let world = enrolled().await;
    let sid = challenge(&world, Duration::from_secs(1)).await;
    let outcome = world
        .user
        .challenges()
        .wait(&sid)
        .interval(Duration::from_millis(100))
        .grace(Duration::from_secs(3))
        .timeout(Duration::from_secs(10))
        .await
        .unwrap();
    match outcome {
        Outcome::Expired(c) => {
            assert_eq!(c.status().as_str(), "expired", "the sandbox's own clock")
        }
        other => panic!("{other:?}"),
    }
    // An expired challenge cannot be answered any more.
    assert!(world.device.approve(&sid).await.is_err());
    assert_eq!(world.sandbox.service_sid().len(), 34);
}
