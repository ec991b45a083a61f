//! Creating an access token: the 201 body, field by field, and that it decodes with the generated
//! client's model.

mod common;

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use common::{IDENTITY, create, create_ok, is_sid};
use serde_json::Value;
use verify_push_sandbox::Sandbox;
use verify_v2::models::{AccessTokenEnumFactorTypes, VerifyV2ServiceAccessToken};

#[tokio::test]
async fn returns_201_with_the_full_resource() {
    let sandbox = Sandbox::start().await.unwrap();
    let before = Utc::now();
    let response = create(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")]).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();

    let fields: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "sid",
        "account_sid",
        "service_sid",
        "entity_identity",
        "factor_type",
        "factor_friendly_name",
        "token",
        "ttl",
        "date_created",
        "url",
    ];
    let mut sorted = fields.clone();
    sorted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sorted, expected);

    let sid = body["sid"].as_str().unwrap();
    assert!(is_sid("YK", sid), "{sid}");
    assert_eq!(body["account_sid"], sandbox.account_sid());
    assert_eq!(body["service_sid"], sandbox.service_sid());
    assert_eq!(body["entity_identity"], IDENTITY);
    assert_eq!(body["factor_type"], "push");
    assert!(body["factor_friendly_name"].is_null());
    assert_eq!(body["ttl"], 60);
    assert_eq!(
        body["url"],
        format!(
            "{}/v2/Services/{}/AccessTokens/{sid}",
            sandbox.base_url(),
            sandbox.service_sid()
        )
    );

    let date_created = body["date_created"].as_str().unwrap();
    assert_eq!(
        date_created.len(),
        "2015-07-30T20:00:00Z".len(),
        "{date_created}"
    );
    assert!(date_created.ends_with('Z'), "{date_created}");
    let created = DateTime::parse_from_rfc3339(date_created).unwrap();
    // Whole seconds: compare against the start of the second the request began in.
    assert!(created.timestamp() >= before.timestamp());
    assert!(created.timestamp() <= Utc::now().timestamp());
}

#[tokio::test]
async fn token_is_shaped_like_a_compact_jwe() {
    let sandbox = Sandbox::start().await.unwrap();
    let body = create_ok(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")]).await;
    let token = body["token"].as_str().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 5, "{token}");
    for part in &parts {
        assert!(
            part.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "not base64url without padding: {part}"
        );
    }
    assert!(parts[1].is_empty(), "alg dir has no encrypted key");
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["alg"], "dir");
    assert_eq!(header["enc"], "A256GCM");
    assert_eq!(URL_SAFE_NO_PAD.decode(parts[2]).unwrap().len(), 12, "IV");
    assert!(
        URL_SAFE_NO_PAD.decode(parts[3]).unwrap().len() >= 100,
        "ciphertext"
    );
    assert_eq!(URL_SAFE_NO_PAD.decode(parts[4]).unwrap().len(), 16, "tag");
}

#[tokio::test]
async fn friendly_name_and_ttl_are_kept() {
    let sandbox = Sandbox::start().await.unwrap();
    let body = create_ok(
        &sandbox,
        &[
            ("Identity", IDENTITY),
            ("FactorType", "push"),
            ("FactorFriendlyName", "John Doe iPhone"),
            ("Ttl", "300"),
        ],
    )
    .await;
    assert_eq!(body["factor_friendly_name"], "John Doe iPhone");
    assert_eq!(body["ttl"], 300);
}

#[tokio::test]
async fn every_create_is_fresh() {
    let sandbox = Sandbox::start().await.unwrap();
    let form = [("Identity", IDENTITY), ("FactorType", "push")];
    let first = create_ok(&sandbox, &form).await;
    let second = create_ok(&sandbox, &form).await;
    assert_ne!(first["sid"], second["sid"]);
    assert_ne!(first["token"], second["token"]);
    assert_eq!(sandbox.access_tokens().len(), 2);
}

#[tokio::test]
async fn sandboxes_get_distinct_random_sids_and_secrets() {
    let a = Sandbox::start().await.unwrap();
    let b = Sandbox::start().await.unwrap();
    assert!(is_sid("AC", a.account_sid()));
    assert!(is_sid("SK", a.api_key_sid()));
    assert!(is_sid("VA", a.service_sid()));
    assert_ne!(a.account_sid(), b.account_sid());
    assert_ne!(a.auth_token(), b.auth_token());
    assert_ne!(a.api_key_sid(), b.api_key_sid());
    assert_ne!(a.api_key_secret(), b.api_key_secret());
    assert_ne!(a.service_sid(), b.service_sid());
}

#[tokio::test]
async fn decodes_with_the_generated_model() {
    let sandbox = Sandbox::start().await.unwrap();
    let response = create(
        &sandbox,
        &[
            ("Identity", IDENTITY),
            ("FactorType", "push"),
            ("FactorFriendlyName", "Pixel"),
        ],
    )
    .await;
    let text = response.text().await.unwrap();
    let model: VerifyV2ServiceAccessToken = serde_json::from_str(&text).unwrap();
    let issued = &sandbox.access_tokens()[0];
    assert_eq!(model.sid, Some(Some(issued.sid.clone())));
    assert_eq!(model.factor_type, Some(AccessTokenEnumFactorTypes::Push));
    assert_eq!(model.factor_friendly_name, Some(Some("Pixel".to_owned())));
    assert_eq!(model.token, Some(Some(issued.token.clone())));
    assert_eq!(model.ttl, Some(60));
    assert_eq!(model.url, Some(Some(issued.url.clone())));
    assert!(matches!(model.date_created, Some(Some(_))));

    // Without a friendly name the field is JSON null, which the model reads as Some(None).
    let text = create(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")])
        .await
        .text()
        .await
        .unwrap();
    let model: VerifyV2ServiceAccessToken = serde_json::from_str(&text).unwrap();
    assert_eq!(model.factor_friendly_name, Some(None));
}

#[tokio::test]
async fn access_tokens_match_the_responses() {
    let sandbox = Sandbox::start().await.unwrap();
    let body = create_ok(&sandbox, &[("Identity", IDENTITY), ("FactorType", "push")]).await;
    let issued = sandbox.access_tokens();
    assert_eq!(issued.len(), 1);
    assert_eq!(serde_json::to_value(&issued[0]).unwrap(), body);
}

#[tokio::test]
async fn form_content_type_with_charset_is_read() {
    let sandbox = Sandbox::start().await.unwrap();
    let response = common::client()
        .post(common::create_url(&sandbox))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .body(format!(
            "Identity={IDENTITY}&FactorType=push&FactorFriendlyName=caf%C3%A9+phone"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["factor_friendly_name"], "caf\u{e9} phone");
}

#[tokio::test]
async fn json_body_is_not_read_like_twilio() {
    let sandbox = Sandbox::start().await.unwrap();
    let response = common::client()
        .post(common::create_url(&sandbox))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .json(&serde_json::json!({"Identity": IDENTITY, "FactorType": "push"}))
        .send()
        .await
        .unwrap();
    common::twilio_error(response, 400, 60305).await;
}
