//! Wire parity: for every wrapped operation, the method, path and exact form or query that
//! goes out, pinned against what twilio-python 9.x sends for the same call
//! (`twilio/rest/verify/v2/service/...`: `values.of({...})` with `serialize.map` for lists and
//! `serialize.object` (`json.dumps`) for JSON), and the decoding of the spec's example bodies.

mod common;

use std::time::Duration;

use common::*;
use verify_push::challenges::ChallengeOrder;
use verify_push::types::{WebhookStatus, WebhookVersion};
use verify_push::webhooks::EventType;
use verify_push::{ChallengeStatus, FactorStatus, FactorType};

fn one(seen: &std::sync::Mutex<Vec<Seen>>) -> Seen {
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "expected exactly one request: {seen:?}");
    seen[0].clone()
}

#[tokio::test]
async fn create_challenge_sends_what_twilio_python_sends() {
    let mut server = mockito::Server::new_async().await;
    let (_m, seen) = capture(
        &mut server,
        "POST",
        "/Challenges(\\?|$)",
        201,
        fixture("challenges", "CreateChallenge.createPush"),
    )
    .await;
    let expires = chrono::Utc::now() + chrono::Duration::minutes(2);
    let expires = chrono::Timelike::with_nanosecond(&expires, 0).unwrap();
    let challenge = client(&server.url())
        .service(VA)
        .entity(IDENTITY)
        .challenges()
        .create(YF)
        .message("Log in to Example from Chrome on macOS?")
        .field("Location", "Berlin, DE")
        .field("Browser", "Chrome")
        .hidden_detail("ip", "203.0.113.7")
        .expires_at(expires)
        .send()
        .await
        .unwrap();

    let request = one(&seen);
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, format!("{ENTITY_PATH}/Challenges"));
    // python: serialize.iso8601_datetime → strftime("%Y-%m-%dT%H:%M:%SZ")
    let python_date = expires.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    assert_same_form(
        &request.form,
        &[
            ("FactorSid", YF),
            ("ExpirationDate", &python_date),
            ("Details.Message", "Log in to Example from Chrome on macOS?"),
            (
                "Details.Fields",
                r#"{"label": "Location", "value": "Berlin, DE"}"#,
            ),
            (
                "Details.Fields",
                r#"{"label": "Browser", "value": "Chrome"}"#,
            ),
            ("HiddenDetails", r#"{"ip": "203.0.113.7"}"#),
        ],
        &["Details.Fields", "HiddenDetails"],
    );
    // The fields keep their order: the phone shows them as given.
    let fields: Vec<_> = request
        .form
        .iter()
        .filter(|(k, _)| k == "Details.Fields")
        .map(|(_, v)| v.clone())
        .collect();
    assert!(fields[0].contains("Location") && fields[1].contains("Browser"));

    assert_eq!(
        challenge.sid().as_str(),
        "YC03aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    );
    assert_eq!(challenge.status(), &ChallengeStatus::Pending);
    let details = challenge.details().unwrap();
    assert_eq!(
        details.message(),
        Some("Hi! Mr. John Doe, would you like to sign up?")
    );
    assert_eq!(
        details.fields(),
        &[("Action".to_string(), "Sign up in portal".to_string())]
    );
    assert_eq!(challenge.hidden_details().unwrap()["ip"], "172.168.1.234");
    assert_eq!(challenge.factor_type(), Some(&FactorType::Push));
}

#[tokio::test]
async fn fetch_and_list_challenges_send_get_with_twilios_query() {
    let mut server = mockito::Server::new_async().await;
    let (_f, fetched) = capture(
        &mut server,
        "GET",
        "/Challenges/YC",
        200,
        fixture("challenges", "FetchChallenge.fetchSid"),
    )
    .await;
    let (_l, listed) = capture(
        &mut server,
        "GET",
        "/Challenges(\\?|$)",
        200,
        fixture("challenges", "ListChallenge.readFull"),
    )
    .await;
    let challenges = client(&server.url())
        .service(VA)
        .entity(IDENTITY)
        .challenges();

    let challenge = challenges.fetch(YC).await.unwrap();
    let request = one(&fetched);
    assert_eq!(request.path, format!("{ENTITY_PATH}/Challenges/{YC}"));
    assert!(request.form.is_empty() && request.query.is_empty());
    assert_eq!(challenge.sid().as_str(), YC);

    let list = challenges
        .list()
        .status(ChallengeStatus::Pending)
        .factor(YF)
        .order(ChallengeOrder::Desc)
        .page_size(20)
        .await
        .unwrap();
    let request = one(&listed);
    assert_same_form(
        &request.query,
        &[
            ("FactorSid", YF),
            ("Status", "pending"),
            ("Order", "desc"),
            ("PageSize", "20"),
        ],
        &[],
    );
    assert_eq!(list.len(), 2, "both challenges of the spec's example");
}

#[tokio::test]
async fn create_notification_sends_ttl_like_twilio_python() {
    let mut server = mockito::Server::new_async().await;
    let (_m, seen) = capture(
        &mut server,
        "POST",
        "/Notifications$",
        201,
        fixture("notifications", "CreateNotification.createWithTtl"),
    )
    .await;
    let notification = client(&server.url())
        .service(VA)
        .entity(IDENTITY)
        .challenges()
        .notifications(YC)
        .create()
        .ttl(Duration::from_secs(60))
        .send()
        .await
        .unwrap();
    let request = one(&seen);
    assert_eq!(
        request.path,
        format!("{ENTITY_PATH}/Challenges/{YC}/Notifications")
    );
    assert_same_form(&request.form, &[("Ttl", "60")], &[]);
    assert!(notification.sid().as_str().starts_with("NT"));
    assert_eq!(notification.priority(), Some("high"));
}

#[tokio::test]
async fn factor_operations_send_what_twilio_python_sends() {
    let mut server = mockito::Server::new_async().await;
    let (_l, listed) = capture(
        &mut server,
        "GET",
        "/Factors(\\?|$)",
        200,
        fixture("factors", "ListFactor.readFullPush"),
    )
    .await;
    let (_f, fetched) = capture(
        &mut server,
        "GET",
        "/Factors/YF",
        200,
        fixture("factors", "FetchFactor.fetchPush"),
    )
    .await;
    let (_u, updated) = capture(
        &mut server,
        "POST",
        "/Factors/YF",
        200,
        fixture("factors", "UpdateFactor.verifyPush"),
    )
    .await;
    let (_d, deleted) = capture(&mut server, "DELETE", "/Factors/YF", 204, String::new()).await;
    let factors = client(&server.url()).service(VA).entity(IDENTITY).factors();

    let list = factors.list().await.unwrap();
    let request = one(&listed);
    assert_eq!(request.path, format!("{ENTITY_PATH}/Factors"));
    assert!(request.query.is_empty(), "{:?}", request.query);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].factor_type(), &FactorType::Push);
    assert_eq!(list[0].config().unwrap()["notification_platform"], "fcm");

    let factor = factors.fetch(YF).await.unwrap();
    assert_eq!(one(&fetched).path, format!("{ENTITY_PATH}/Factors/{YF}"));
    assert!(matches!(
        factor.status(),
        FactorStatus::Verified | FactorStatus::Unverified
    ));

    factors.rename(YF, "Work phone").await.unwrap();
    let request = one(&updated);
    assert_same_form(&request.form, &[("FriendlyName", "Work phone")], &[]);

    factors.delete(YF).await.unwrap();
    let request = one(&deleted);
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.path, format!("{ENTITY_PATH}/Factors/{YF}"));
}

#[tokio::test]
async fn entity_operations_send_what_twilio_python_sends() {
    let mut server = mockito::Server::new_async().await;
    let entities_path = "/v2/Services/VAcccccccccccccccccccccccccccccccc/Entities";
    let (_c, created) = capture(
        &mut server,
        "POST",
        "/Entities(\\?|$)",
        201,
        fixture("entities", "CreateEntity.create"),
    )
    .await;
    let (_l, listed) = capture(
        &mut server,
        "GET",
        "/Entities(\\?|$)",
        200,
        fixture("entities", "ListEntity.readFull"),
    )
    .await;
    let (_f, fetched) = capture(
        &mut server,
        "GET",
        "/Entities/ff48",
        200,
        fixture("entities", "FetchEntity.fetch"),
    )
    .await;
    let (_d, deleted) = capture(&mut server, "DELETE", "/Entities/ff48", 204, String::new()).await;
    let service = client(&server.url()).service(VA);

    let entity = service.entities().create(IDENTITY).await.unwrap();
    let request = one(&created);
    assert_eq!(request.path, entities_path);
    assert_same_form(&request.form, &[("Identity", IDENTITY)], &[]);
    assert_eq!(entity.sid().as_str(), "YEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

    let all = service.entities().list().limit(5).await.unwrap();
    assert_same_form(&one(&listed).query, &[("PageSize", "5")], &[]);
    assert_eq!(all.len(), 1);

    service.entity(IDENTITY).fetch().await.unwrap();
    assert_eq!(one(&fetched).path, ENTITY_PATH);
    service.entity(IDENTITY).delete().await.unwrap();
    assert_eq!(one(&deleted).method, "DELETE");
}

#[tokio::test]
async fn webhook_operations_send_what_twilio_python_sends() {
    let mut server = mockito::Server::new_async().await;
    let webhooks_path = "/v2/Services/VAcccccccccccccccccccccccccccccccc/Webhooks";
    let (_c, created) = capture(
        &mut server,
        "POST",
        "/Webhooks(\\?|$)",
        201,
        fixture("webhooks", "CreateWebhook.create"),
    )
    .await;
    let (_u, updated) = capture(
        &mut server,
        "POST",
        "/Webhooks/YW",
        200,
        fixture("webhooks", "UpdateWebhook.update"),
    )
    .await;
    let (_l, listed) = capture(
        &mut server,
        "GET",
        "/Webhooks(\\?|$)",
        200,
        fixture("webhooks", "ListWebhook.readFull"),
    )
    .await;
    let (_f, fetched) = capture(
        &mut server,
        "GET",
        "/Webhooks/YW",
        200,
        fixture("webhooks", "FetchWebhook.fetch"),
    )
    .await;
    let (_d, deleted) = capture(&mut server, "DELETE", "/Webhooks/YW", 204, String::new()).await;
    let webhooks = client(&server.url()).service(VA).webhooks();

    let webhook = webhooks
        .create("login answers", "https://example.com/webhooks/verify")
        .event(EventType::ChallengeApproved)
        .event(EventType::ChallengeDenied)
        .status(WebhookStatus::Enabled)
        .version(WebhookVersion::V2)
        .send()
        .await
        .unwrap();
    let request = one(&created);
    assert_eq!(request.path, webhooks_path);
    // python: "EventTypes": serialize.map(event_types, lambda e: e) → one key per value.
    assert_same_form(
        &request.form,
        &[
            ("FriendlyName", "login answers"),
            ("EventTypes", "challenge.approved"),
            ("EventTypes", "challenge.denied"),
            ("WebhookUrl", "https://example.com/webhooks/verify"),
            ("Status", "enabled"),
            ("Version", "v2"),
        ],
        &[],
    );
    assert!(!webhook.event_types().is_empty());

    webhooks
        .update(YW)
        .set_events(vec![EventType::All])
        .status(WebhookStatus::Disabled)
        .send()
        .await
        .unwrap();
    assert_same_form(
        &one(&updated).form,
        &[("EventTypes", "*"), ("Status", "disabled")],
        &[],
    );

    assert_eq!(webhooks.list().await.unwrap().len(), 1);
    assert!(one(&listed).query.is_empty());
    webhooks.fetch(YW).await.unwrap();
    assert_eq!(one(&fetched).path, format!("{webhooks_path}/{YW}"));
    webhooks.delete(YW).await.unwrap();
    assert_eq!(one(&deleted).method, "DELETE");
}

#[tokio::test]
async fn challenge_serializes_details_in_twilios_shape() {
    let mut server = mockito::Server::new_async().await;
    let _m = json_mock(
        &mut server,
        "GET",
        mockito::Matcher::Any,
        200,
        fixture("challenges", "FetchChallenge.fetchSid"),
    )
    .create_async()
    .await;
    let challenge = client(&server.url())
        .service(VA)
        .entity(IDENTITY)
        .challenges()
        .fetch(YC)
        .await
        .unwrap();
    let json = serde_json::to_value(&challenge).unwrap();
    let fields = &json["details"]["fields"];
    assert!(fields[0]["label"].is_string(), "{json}");
    assert!(fields[0]["value"].is_string(), "{json}");
    assert_eq!(json["status"], challenge.status().as_str());
}
