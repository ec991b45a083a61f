//! Verify webhook deliveries end to end through the public API: a delivery signed the way
//! Twilio signs (written here independently of the library, from
//! <https://www.twilio.com/docs/usage/webhooks/webhooks-security>), then `verify`.

use base64::{Engine as _, engine::general_purpose::STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use verify_push::webhooks::{EventType, WebhookError, WebhookValidator};

const AUTH_TOKEN: &str = "0123456789abcdef0123456789abcdef";
const URL: &str = "https://backend.example.com/twilio/verify-events";

/// A Verify Push `challenge.approved` payload with the documented fields and the recalled ones.
fn challenge_approved() -> Vec<(&'static str, &'static str)> {
    vec![
        ("uuid", "0d5b3fc4-1f0e-4f7e-9b1e-1c0a3a5e8e11"),
        ("type", "challenge.approved"),
        ("account_sid", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("service_sid", "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("entity_identity", "ff483d1ff591898a9942916050d2ca3f"),
        ("factor_sid", "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("factor_type", "push"),
        ("factor_friendly_name", "John's iPhone"),
        ("challenge_sid", "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        (
            "challenge_details",
            r#"{"message":"Login to Example","fields":[{"label":"Location","value":"Berlin"}]}"#,
        ),
        ("challenge_metadata", r#"{"attempt":"1"}"#),
        ("updated_date", "2026-11-22T06:30:00Z"),
    ]
}

/// What Twilio does for a form body: HMAC-SHA1 over the URL and the params sorted by name.
fn sign_form(token: &str, url: &str, params: &[(&str, &str)]) -> (String, Vec<u8>) {
    let mut sorted = params.to_vec();
    sorted.sort();
    let mut data = url.to_owned();
    for (name, value) in &sorted {
        data.push_str(name);
        data.push_str(value);
    }
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
        .into_bytes();
    (hmac_base64(token, &data), body)
}

/// What Twilio does for a JSON body: `bodySHA256` added to the URL, the URL alone signed.
fn sign_json(token: &str, url: &str, body: &serde_json::Value) -> (String, String, Vec<u8>) {
    let body = serde_json::to_vec(body).unwrap();
    let hash: String = Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let separator = if url.contains('?') { '&' } else { '?' };
    let signed_url = format!("{url}{separator}bodySHA256={hash}");
    (signed_url.clone(), hmac_base64(token, &signed_url), body)
}

fn hmac_base64(token: &str, data: &str) -> String {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(token.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

fn validator() -> WebhookValidator {
    WebhookValidator::new(AUTH_TOKEN).unwrap()
}

const FORM: Option<&str> = Some("application/x-www-form-urlencoded; charset=UTF-8");
const JSON: Option<&str> = Some("application/json");

#[test]
fn a_signed_form_delivery_becomes_a_typed_event() {
    let (signature, body) = sign_form(AUTH_TOKEN, URL, &challenge_approved());
    let event = validator()
        .verify(URL, Some(&signature), FORM, &body)
        .unwrap();

    assert_eq!(event.uuid(), "0d5b3fc4-1f0e-4f7e-9b1e-1c0a3a5e8e11");
    assert_eq!(event.event_type(), &EventType::ChallengeApproved);
    assert_eq!(
        event.account_sid(),
        Some("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        event.service_sid(),
        Some("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        event.entity_identity(),
        Some("ff483d1ff591898a9942916050d2ca3f")
    );
    assert_eq!(
        event.factor_sid(),
        Some("YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(event.factor_type(), Some("push"));
    assert_eq!(event.factor_friendly_name(), Some("John's iPhone"));
    assert_eq!(
        event.challenge_sid(),
        Some("YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        event.challenge_details(),
        Some(
            &json!({"message": "Login to Example", "fields": [{"label": "Location", "value": "Berlin"}]})
        )
    );
    assert_eq!(event.challenge_metadata(), Some(&json!({"attempt": "1"})));
    assert_eq!(event.challenge_hidden_details(), None);
    assert_eq!(
        event.other_fields().get("updated_date"),
        Some(&json!("2026-11-22T06:30:00Z"))
    );
    assert_eq!(event.other_fields().len(), 1);
}

#[test]
fn a_signed_json_delivery_becomes_the_same_event() {
    let (signature, form_body) = sign_form(AUTH_TOKEN, URL, &challenge_approved());
    let from_form = validator()
        .verify(URL, Some(&signature), FORM, &form_body)
        .unwrap();

    let object: serde_json::Map<_, _> = challenge_approved()
        .into_iter()
        .map(|(name, value)| (name.to_owned(), json!(value)))
        .collect();
    let (signed_url, signature, body) = sign_json(AUTH_TOKEN, URL, &json!(object));
    let from_json = validator()
        .verify(&signed_url, Some(&signature), JSON, &body)
        .unwrap();
    assert_eq!(from_json, from_form);
}

#[test]
fn every_event_type_and_a_future_one_are_read() {
    for (name, expected) in [
        ("factor.created", EventType::FactorCreated),
        ("factor.verified", EventType::FactorVerified),
        ("factor.deleted", EventType::FactorDeleted),
        ("challenge.approved", EventType::ChallengeApproved),
        ("challenge.denied", EventType::ChallengeDenied),
        (
            "factor.renamed",
            EventType::Unknown("factor.renamed".to_owned()),
        ),
    ] {
        let params = [("uuid", "u-1"), ("type", name), ("factor_type", "push")];
        let (signature, body) = sign_form(AUTH_TOKEN, URL, &params);
        let event = validator()
            .verify(URL, Some(&signature), FORM, &body)
            .unwrap();
        assert_eq!(event.event_type(), &expected);
    }
}

#[test]
fn a_delivery_signed_with_another_token_is_rejected_unless_rotating() {
    let (signature, body) = sign_form("the-old-auth-token", URL, &challenge_approved());
    assert_eq!(
        validator().verify(URL, Some(&signature), FORM, &body),
        Err(WebhookError::SignatureMismatch)
    );
    let rotating = validator().also_accept("the-old-auth-token").unwrap();
    rotating.verify(URL, Some(&signature), FORM, &body).unwrap();
}

#[test]
fn a_changed_field_is_rejected() {
    let (signature, _) = sign_form(AUTH_TOKEN, URL, &challenge_approved());
    let mut forged = challenge_approved();
    forged[1] = ("type", "challenge.denied");
    let (_, forged_body) = sign_form(AUTH_TOKEN, URL, &forged);
    assert_eq!(
        validator().verify(URL, Some(&signature), FORM, &forged_body),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn a_json_body_swapped_under_a_genuine_url_is_rejected() {
    let (signed_url, signature, _) = sign_json(
        AUTH_TOKEN,
        URL,
        &json!({"uuid": "u-1", "type": "challenge.denied"}),
    );
    let forged = serde_json::to_vec(&json!({"uuid": "u-1", "type": "challenge.approved"})).unwrap();
    assert_eq!(
        validator().verify(&signed_url, Some(&signature), JSON, &forged),
        Err(WebhookError::BodyHashMismatch)
    );
    // The query string dropped on the way (a proxy): the body is unsigned, and refused.
    assert_eq!(
        validator().verify(URL, Some(&signature), JSON, &forged),
        Err(WebhookError::MissingBodyHash)
    );
}

#[test]
fn the_url_seen_behind_a_proxy_is_not_the_url_twilio_signed() {
    let (signature, body) = sign_form(AUTH_TOKEN, URL, &challenge_approved());
    for seen in [
        "http://10.0.0.5:8080/twilio/verify-events",
        "http://backend.example.com/twilio/verify-events",
        "https://backend.example.com/twilio/verify-events/",
    ] {
        assert_eq!(
            validator().verify(seen, Some(&signature), FORM, &body),
            Err(WebhookError::SignatureMismatch),
            "{seen}"
        );
    }
    // The explicit default port is fine either way.
    validator()
        .verify(
            "https://backend.example.com:443/twilio/verify-events",
            Some(&signature),
            FORM,
            &body,
        )
        .unwrap();
}

#[test]
fn a_genuine_delivery_without_uuid_or_type_is_unreadable_not_forged() {
    let (signature, body) = sign_form(AUTH_TOKEN, URL, &[("type", "factor.created")]);
    let err = validator()
        .verify(URL, Some(&signature), FORM, &body)
        .unwrap_err();
    assert_eq!(err, WebhookError::MissingField { field: "uuid" });
    assert!(!err.is_unauthenticated());
    assert_eq!(err.to_string(), "webhook rejected: missing field uuid");
}

#[test]
fn check_signature_alone_accepts_a_body_verify_cannot_read() {
    // Signature checking does not depend on the payload's fields.
    let (signature, body) = sign_form(AUTH_TOKEN, URL, &[("Digits", "1234")]);
    validator()
        .check_signature(URL, Some(&signature), FORM, &body)
        .unwrap();
    assert!(
        validator()
            .verify(URL, Some(&signature), FORM, &body)
            .is_err()
    );
}

/// The guide's handler (`docs/webhooks.md`) behind a real axum server on 127.0.0.1, called over
/// HTTP the way Twilio calls it: the URL it rebuilds from its public origin and the raw path and
/// query must be the one Twilio signed.
mod over_http {
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode, Uri};
    use axum::routing::post;
    use verify_push::webhooks::{WebhookEvent, WebhookValidator};

    use super::*;

    /// The public origin Twilio calls (a proxy in front of this server in real life).
    const PUBLIC_BASE_URL: &str = "https://backend.example.com";
    /// A query value whose encoding must survive untouched: `%2B` is not `+`.
    const PATH_AND_QUERY: &str = "/twilio/verify-events?tenant=a%2Bb&v=1";

    #[derive(Clone)]
    struct App {
        validator: Arc<WebhookValidator>,
        received: Arc<Mutex<Vec<WebhookEvent>>>,
        /// The origin the handler puts in front of the path: the public one, or (the pitfall)
        /// the address the server itself listens on.
        origin: String,
    }

    async fn verify_webhook(
        State(app): State<App>,
        uri: Uri,
        headers: HeaderMap,
        body: Bytes,
    ) -> StatusCode {
        let path_and_query = uri.path_and_query().map_or("/", |pq| pq.as_str());
        let url = format!("{}{path_and_query}", app.origin);
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        match app.validator.verify(
            &url,
            header("x-twilio-signature"),
            header("content-type"),
            &body,
        ) {
            Ok(event) => {
                app.received.lock().unwrap().push(event);
                StatusCode::NO_CONTENT
            }
            Err(e) if e.is_unauthenticated() => StatusCode::FORBIDDEN,
            Err(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// Starts the server; returns its local base URL and the events it accepted.
    async fn serve(public_origin: bool) -> (String, Arc<Mutex<Vec<WebhookEvent>>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let local = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let app = App {
            validator: Arc::new(validator()),
            received: Arc::clone(&received),
            origin: if public_origin {
                PUBLIC_BASE_URL.to_owned()
            } else {
                local.clone()
            },
        };
        let router = Router::new()
            .route("/twilio/verify-events", post(verify_webhook))
            .with_state(app);
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        (local, received)
    }

    async fn post_to(local: &str, signature: &str, content_type: &str, body: Vec<u8>) -> u16 {
        reqwest::Client::new()
            .post(format!("{local}{PATH_AND_QUERY}"))
            .header("X-Twilio-Signature", signature)
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    #[tokio::test]
    async fn a_signed_delivery_is_accepted_and_a_forged_one_refused() {
        let (local, received) = serve(true).await;
        let public_url = format!("{PUBLIC_BASE_URL}{PATH_AND_QUERY}");
        let (signature, body) = sign_form(AUTH_TOKEN, &public_url, &challenge_approved());
        let form = FORM.unwrap();

        assert_eq!(post_to(&local, &signature, form, body.clone()).await, 204);
        let mut forged = challenge_approved();
        forged[1] = ("type", "challenge.denied");
        let (_, forged_body) = sign_form(AUTH_TOKEN, &public_url, &forged);
        assert_eq!(post_to(&local, &signature, form, forged_body).await, 403);

        let object: serde_json::Map<_, _> = challenge_approved()
            .into_iter()
            .map(|(name, value)| (name.to_owned(), json!(value)))
            .collect();
        let (signed_url, json_signature, json_body) =
            sign_json(AUTH_TOKEN, &public_url, &json!(object));
        // The JSON delivery goes to the URL with bodySHA256 appended.
        let json_path = signed_url.strip_prefix(PUBLIC_BASE_URL).unwrap();
        let status = reqwest::Client::new()
            .post(format!("{local}{json_path}"))
            .header("X-Twilio-Signature", json_signature)
            .header("Content-Type", "application/json")
            .body(json_body)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 204);

        let received = received.lock().unwrap();
        assert_eq!(received.len(), 2);
        assert_eq!(received[0], received[1]);
        assert_eq!(received[0].event_type(), &EventType::ChallengeApproved);
    }

    #[tokio::test]
    async fn a_handler_that_uses_its_own_address_rejects_genuine_deliveries() {
        let (local, received) = serve(false).await;
        let public_url = format!("{PUBLIC_BASE_URL}{PATH_AND_QUERY}");
        let (signature, body) = sign_form(AUTH_TOKEN, &public_url, &challenge_approved());
        assert_eq!(post_to(&local, &signature, FORM.unwrap(), body).await, 403);
        assert!(received.lock().unwrap().is_empty());
    }
}
