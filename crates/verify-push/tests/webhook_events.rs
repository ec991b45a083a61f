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
