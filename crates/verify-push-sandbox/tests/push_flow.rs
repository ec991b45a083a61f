//! The Verify Push flow end to end over HTTP: a backend (raw reqwest) and the virtual device,
//! and the rules and error codes of entities, factors, challenges and notifications. Signatures
//! made here for the "wrong key" cases use p256 directly, not the sandbox's device code.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::EncodePublicKey as _;
use reqwest::Response;
use serde_json::{Value, json};
use std::time::Duration;
use verify_push_sandbox::Sandbox;
use verify_push_sandbox::device::{DeviceError, Enrollment};

const IDENTITY: &str = "user-0001-abcdef";

fn entity_url(sandbox: &Sandbox, identity: &str) -> String {
    format!(
        "{}/v2/Services/{}/Entities/{identity}",
        sandbox.base_url(),
        sandbox.service_sid()
    )
}

async fn backend_post(sandbox: &Sandbox, url: &str, form: &[(&str, String)]) -> Response {
    reqwest::Client::new()
        .post(url)
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn backend_get(sandbox: &Sandbox, url: &str) -> Response {
    reqwest::Client::new()
        .get(url)
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .send()
        .await
        .unwrap()
}

async fn expect_error(response: Response, status: u16, code: u64) -> String {
    assert_eq!(response.status().as_u16(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    body["message"].as_str().unwrap().to_owned()
}

async fn create_challenge(
    sandbox: &Sandbox,
    factor_sid: &str,
    extra: &[(&str, String)],
) -> Response {
    let mut form = vec![
        ("FactorSid", factor_sid.to_owned()),
        (
            "Details.Message",
            "Approve the login from Berlin?".to_owned(),
        ),
        (
            "Details.Fields",
            json!({"label": "IP", "value": "10.0.0.1"}).to_string(),
        ),
        (
            "Details.Fields",
            json!({"label": "Browser", "value": "Firefox"}).to_string(),
        ),
        ("HiddenDetails", json!({"session": "s-1"}).to_string()),
    ];
    form.extend(extra.iter().cloned());
    backend_post(
        sandbox,
        &format!("{}/Challenges", entity_url(sandbox, IDENTITY)),
        &form,
    )
    .await
}

/// An enrollment the way a backend gets it: an access token over HTTP.
async fn enrollment_over_http(sandbox: &Sandbox) -> Enrollment {
    let token: Value = common::create(sandbox, &[("Identity", IDENTITY), ("FactorType", "push")])
        .await
        .json()
        .await
        .unwrap();
    Enrollment::from_json(
        &json!({
            "token": token["token"],
            "serviceSid": sandbox.service_sid(),
            "identity": IDENTITY,
            "factorType": "push",
        })
        .to_string(),
    )
    .unwrap()
}

#[tokio::test]
async fn enroll_challenge_approve_and_no_replay() {
    let sandbox = Sandbox::start().await.unwrap();
    let device = sandbox.device();
    let factor = device
        .enroll(&enrollment_over_http(&sandbox).await)
        .await
        .unwrap();

    // The backend sees a verified push factor, and the JSON decodes with the generated model.
    let fetched = backend_get(
        &sandbox,
        &format!("{}/Factors/{}", entity_url(&sandbox, IDENTITY), factor.sid),
    )
    .await;
    assert_eq!(fetched.status(), 200);
    let fetched: Value = fetched.json().await.unwrap();
    assert_eq!(fetched["status"], "verified");
    assert_eq!(fetched["factor_type"], "push");
    serde_json::from_value::<verify_v2::models::VerifyV2ServiceEntityFactor>(fetched).unwrap();

    let created = create_challenge(&sandbox, &factor.sid, &[]).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["status"], "pending");
    assert_eq!(
        created["details"]["fields"][1],
        json!({"label": "Browser", "value": "Firefox"})
    );
    assert_eq!(created["hidden_details"], json!({"session": "s-1"}));
    assert!(
        created["links"]["notifications"]
            .as_str()
            .unwrap()
            .ends_with("/Notifications")
    );
    serde_json::from_value::<verify_v2::models::VerifyV2ServiceEntityChallenge>(created.clone())
        .unwrap();
    let sid = created["sid"].as_str().unwrap();

    let pending = device.pending_challenges().await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].sid, sid);
    assert_eq!(pending[0].message, "Approve the login from Berlin?");
    assert_eq!(
        pending[0].fields[0],
        ("IP".to_owned(), "10.0.0.1".to_owned())
    );

    device.approve(sid).await.unwrap();
    let after: Value = backend_get(
        &sandbox,
        &format!("{}/Challenges/{sid}", entity_url(&sandbox, IDENTITY)),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(after["status"], "approved");
    assert!(after["date_responded"].is_string());
    assert!(device.pending_challenges().await.unwrap().is_empty());

    // The same signed answer again is refused; so is a second answer through the device.
    let answer = sandbox
        .requests()
        .iter()
        .rev()
        .find_map(|r| {
            r.form_field("AuthPayload")
                .filter(|p| p.contains('.'))
                .map(str::to_owned)
        })
        .unwrap();
    let replay = backend_post(
        &sandbox,
        &format!("{}/Challenges/{sid}", entity_url(&sandbox, IDENTITY)),
        &[("AuthPayload", answer)],
    )
    .await;
    expect_error(replay, 400, 60200).await;
    assert!(matches!(
        device.deny(sid).await,
        Err(DeviceError::NotPending { status, .. }) if status == "approved"
    ));
}

#[tokio::test]
async fn deny_and_expiry_by_the_clock() {
    let sandbox = Sandbox::start().await.unwrap();
    let device = sandbox.device();
    let factor = device
        .enroll(&sandbox.enrollment(IDENTITY).unwrap())
        .await
        .unwrap();

    let first: Value = create_challenge(&sandbox, &factor.sid, &[])
        .await
        .json()
        .await
        .unwrap();
    device.deny(first["sid"].as_str().unwrap()).await.unwrap();

    let expiry = (chrono::Utc::now() + chrono::Duration::minutes(2))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let second: Value =
        create_challenge(&sandbox, &factor.sid, &[("ExpirationDate", expiry.clone())])
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(second["expiration_date"], expiry);
    let sid = second["sid"].as_str().unwrap();
    sandbox.advance_clock(Duration::from_secs(121));
    assert!(matches!(
        device.approve(sid).await,
        Err(DeviceError::NotPending { status, .. }) if status == "expired"
    ));
    // Listing by status follows the clock too.
    let expired: Value = backend_get(
        &sandbox,
        &format!(
            "{}/Challenges?Status=expired",
            entity_url(&sandbox, IDENTITY)
        ),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(expired["challenges"].as_array().unwrap().len(), 1);
    let denied: Value = backend_get(
        &sandbox,
        &format!(
            "{}/Challenges?Status=denied",
            entity_url(&sandbox, IDENTITY)
        ),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(denied["challenges"][0]["sid"], first["sid"]);
    // A notification for an expired challenge: 60323.
    let notify = backend_post(
        &sandbox,
        &format!(
            "{}/Challenges/{sid}/Notifications",
            entity_url(&sandbox, IDENTITY)
        ),
        &[],
    )
    .await;
    expect_error(notify, 403, 60323).await;
}

async fn post_to(sandbox: &Sandbox, url: &str, form: Vec<(&'static str, String)>) -> Response {
    backend_post(sandbox, url, &form).await
}

/// A push factor created with the account's credentials and a key of the test's own.
async fn raw_factor(sandbox: &Sandbox, key: &SigningKey) -> Value {
    let public = STANDARD.encode(key.verifying_key().to_public_key_der().unwrap().as_bytes());
    let response = backend_post(
        sandbox,
        &format!("{}/Factors", entity_url(sandbox, IDENTITY)),
        &[
            ("FriendlyName", "test phone".to_owned()),
            ("FactorType", "push".to_owned()),
            ("Binding.Alg", "ES256".to_owned()),
            ("Binding.PublicKey", public),
            ("Config.NotificationPlatform", "none".to_owned()),
        ],
    )
    .await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

#[tokio::test]
async fn signatures_are_checked() {
    let sandbox = Sandbox::start().await.unwrap();
    let key = SigningKey::from_slice(&[3u8; 32]).unwrap();
    let wrong = SigningKey::from_slice(&[4u8; 32]).unwrap();
    let factor = raw_factor(&sandbox, &key).await;
    assert_eq!(factor["binding"]["alg"], "ES256");
    let sid = factor["sid"].as_str().unwrap();
    let factor_url = format!("{}/Factors/{sid}", entity_url(&sandbox, IDENTITY));

    // Unverified: no challenge (60318).
    expect_error(create_challenge(&sandbox, sid, &[]).await, 403, 60318).await;

    // Verification signed by another key: 60311.
    let der = |k: &SigningKey| {
        let s: Signature = k.sign(sid.as_bytes());
        STANDARD.encode(s.to_der().as_bytes())
    };
    let bad = backend_post(&sandbox, &factor_url, &[("AuthPayload", der(&wrong))]).await;
    expect_error(bad, 403, 60311).await;
    let good = backend_post(&sandbox, &factor_url, &[("AuthPayload", der(&key))]).await;
    assert_eq!(good.status(), 200);

    // A challenge answer signed by another key: 60324.
    let challenge = create_challenge(&sandbox, sid, &[]).await;
    let challenge_url = challenge.json::<Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let fetched = backend_get(&sandbox, &challenge_url).await;
    let fields = fetched
        .headers()
        .get("twilio-verify-signature-fields")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let body: Value = fetched.json().await.unwrap();
    let mut claims = serde_json::Map::new();
    for name in fields.split(',') {
        claims.insert(name.to_owned(), body[name].clone());
    }
    claims.insert("status".into(), "approved".into());
    let jwt = |k: &SigningKey, claims: &serde_json::Map<String, Value>| {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"ES256"}"#),
            URL_SAFE_NO_PAD.encode(Value::Object(claims.clone()).to_string())
        );
        let s: Signature = k.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(s.to_bytes()))
    };
    let answer = |payload: String| {
        let (sandbox, url) = (&sandbox, challenge_url.clone());
        async move { backend_post(sandbox, &url, &[("AuthPayload", payload)]).await }
    };
    expect_error(answer(jwt(&wrong, &claims)).await, 403, 60324).await;
    // Right key, but fields of another challenge: 60324.
    let mut other = claims.clone();
    other.insert("sid".into(), "YC00000000000000000000000000000000".into());
    expect_error(answer(jwt(&key, &other)).await, 403, 60324).await;
    let ok = answer(jwt(&key, &claims)).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.json::<Value>().await.unwrap()["status"], "approved");
}

#[tokio::test]
async fn device_credentials_are_checked() {
    let sandbox = Sandbox::start().await.unwrap();
    let mut enrollment = sandbox.enrollment(IDENTITY).unwrap();
    // An access token for another identity does not create a factor here.
    let other = sandbox.enrollment("someone-else-123").unwrap();
    enrollment.token = other.token;
    match sandbox.device().enroll(&enrollment).await {
        Err(DeviceError::Twilio {
            status: 401,
            code: 20003,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    // An expired token does not either (TTL 300 s on the sandbox's clock).
    let late = sandbox.enrollment(IDENTITY).unwrap();
    sandbox.advance_clock(Duration::from_secs(301));
    assert!(sandbox.device().enroll(&late).await.is_err());
    // A device credential cannot call the backend's routes.
    let response = reqwest::Client::new()
        .get(format!("{}/Challenges", entity_url(&sandbox, IDENTITY)))
        .basic_auth("token", Some("not-a-jwt"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn challenge_rules() {
    let sandbox = Sandbox::start().await.unwrap();
    let factor = sandbox
        .device()
        .enroll(&sandbox.enrollment(IDENTITY).unwrap())
        .await
        .unwrap();
    let sid = factor.sid.as_str();
    let url = format!("{}/Challenges", entity_url(&sandbox, IDENTITY));
    let post = |form: Vec<(&'static str, String)>| {
        let sandbox = &sandbox;
        let url = url.clone();
        async move { backend_post(sandbox, &url, &form).await }
    };
    // Details.Message is required for push (60368) and at most 256 characters.
    expect_error(post(vec![("FactorSid", sid.into())]).await, 400, 60368).await;
    expect_error(
        post(vec![
            ("FactorSid", sid.into()),
            ("Details.Message", "x".repeat(257)),
        ])
        .await,
        400,
        60368,
    )
    .await;
    let field = |label: &str, value: &str| json!({"label": label, "value": value}).to_string();
    let mut too_many = vec![
        ("FactorSid", sid.to_owned()),
        ("Details.Message", "hi".to_owned()),
    ];
    too_many.extend((0..21).map(|i| ("Details.Fields", field(&format!("l{i}"), "v"))));
    expect_error(post(too_many).await, 400, 60368).await;
    expect_error(
        post(vec![
            ("FactorSid", sid.into()),
            ("Details.Message", "hi".into()),
            ("Details.Fields", field(&"l".repeat(37), "v")),
        ])
        .await,
        400,
        60368,
    )
    .await;
    expect_error(
        post(vec![
            ("FactorSid", sid.into()),
            ("Details.Message", "hi".into()),
            ("Details.Fields", "not json".into()),
        ])
        .await,
        400,
        60368,
    )
    .await;
    // ExpirationDate: RFC 3339 only (chrono's Display form is refused), at most 60 minutes ahead.
    expect_error(
        post(vec![
            ("FactorSid", sid.into()),
            ("Details.Message", "hi".into()),
            ("ExpirationDate", "2026-01-01 12:00:00 +00:00".into()),
        ])
        .await,
        400,
        60200,
    )
    .await;
    let far = (chrono::Utc::now() + chrono::Duration::minutes(61)).to_rfc3339();
    expect_error(
        post(vec![
            ("FactorSid", sid.into()),
            ("Details.Message", "hi".into()),
            ("ExpirationDate", far),
        ])
        .await,
        400,
        60200,
    )
    .await;
    // Unknown factor, entity and challenge.
    expect_error(
        post(vec![
            ("FactorSid", "YF00000000000000000000000000000000".into()),
            ("Details.Message", "hi".into()),
        ])
        .await,
        404,
        60390,
    )
    .await;
    expect_error(
        backend_get(&sandbox, &entity_url(&sandbox, "nobody-at-all")).await,
        404,
        60392,
    )
    .await;
    let stranger = format!("{}/Challenges", entity_url(&sandbox, "nobody-at-all"));
    expect_error(
        post_to(
            &sandbox,
            &stranger,
            vec![("FactorSid", sid.into()), ("Details.Message", "hi".into())],
        )
        .await,
        404,
        60392,
    )
    .await;
    expect_error(
        backend_get(
            &sandbox,
            &format!("{url}/YC00000000000000000000000000000000"),
        )
        .await,
        404,
        60391,
    )
    .await;

    // Notifications: Ttl 0..=300, at most 3 pushes per challenge (the creation's included).
    let challenge: Value = post(vec![
        ("FactorSid", sid.into()),
        ("Details.Message", "hi".into()),
    ])
    .await
    .json()
    .await
    .unwrap();
    let notifications = format!("{}/Notifications", challenge["url"].as_str().unwrap());
    expect_error(
        backend_post(&sandbox, &notifications, &[("Ttl", "301".into())]).await,
        400,
        60200,
    )
    .await;
    let sent = backend_post(&sandbox, &notifications, &[("Ttl", "0".into())]).await;
    assert_eq!(sent.status(), 201);
    let sent: Value = sent.json().await.unwrap();
    assert_eq!(
        (sent["ttl"].clone(), sent["priority"].clone()),
        (json!(0), json!("high"))
    );
    assert_eq!(
        backend_post(&sandbox, &notifications, &[]).await.status(),
        201
    );
    expect_error(
        backend_post(&sandbox, &notifications, &[]).await,
        429,
        60309,
    )
    .await;
}

#[tokio::test]
async fn twenty_push_factors_per_entity_and_pagination() {
    let sandbox = Sandbox::start().await.unwrap();
    for i in 0..20u8 {
        raw_factor(&sandbox, &SigningKey::from_slice(&[i + 10; 32]).unwrap()).await;
    }
    let key = SigningKey::from_slice(&[99u8; 32]).unwrap();
    let public = STANDARD.encode(key.verifying_key().to_public_key_der().unwrap().as_bytes());
    let one_more = backend_post(
        &sandbox,
        &format!("{}/Factors", entity_url(&sandbox, IDENTITY)),
        &[
            ("FriendlyName", "21st".to_owned()),
            ("FactorType", "push".to_owned()),
            ("Binding.Alg", "ES256".to_owned()),
            ("Binding.PublicKey", public),
        ],
    )
    .await;
    expect_error(one_more, 400, 60315).await;

    // Pages of 8: 8, 8, 4, following meta.next_page_url as Twilio's SDKs do.
    let mut url = Some(format!(
        "{}/Factors?PageSize=8",
        entity_url(&sandbox, IDENTITY)
    ));
    let mut sizes = Vec::new();
    while let Some(next) = url.take() {
        let page: Value = backend_get(&sandbox, &next).await.json().await.unwrap();
        serde_json::from_value::<verify_v2::models::ListFactorResponse>(page.clone()).unwrap();
        sizes.push(page["factors"].as_array().unwrap().len());
        assert_eq!(page["meta"]["key"], "factors");
        assert_eq!(page["meta"]["page_size"], 8);
        url = page["meta"]["next_page_url"].as_str().map(str::to_owned);
        if let Some(next) = &url {
            assert!(next.contains("PageToken="), "{next}");
        }
    }
    assert_eq!(sizes, [8, 8, 4]);
    expect_error(
        backend_get(
            &sandbox,
            &format!("{}/Factors?PageSize=1001", entity_url(&sandbox, IDENTITY)),
        )
        .await,
        400,
        60200,
    )
    .await;
}

#[tokio::test]
async fn entities_create_list_fetch_delete() {
    let sandbox = Sandbox::start().await.unwrap();
    let list_url = format!(
        "{}/v2/Services/{}/Entities",
        sandbox.base_url(),
        sandbox.service_sid()
    );
    let created = backend_post(&sandbox, &list_url, &[("Identity", IDENTITY.into())]).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert!(created["sid"].as_str().unwrap().starts_with("YE"));
    assert!(
        created["links"]["factors"]
            .as_str()
            .unwrap()
            .ends_with("/Factors")
    );
    serde_json::from_value::<verify_v2::models::VerifyV2ServiceEntity>(created).unwrap();
    expect_error(
        backend_post(&sandbox, &list_url, &[("Identity", "bad".into())]).await,
        400,
        60200,
    )
    .await;
    let listed: Value = backend_get(&sandbox, &list_url).await.json().await.unwrap();
    assert_eq!(listed["entities"].as_array().unwrap().len(), 1);
    assert_eq!(listed["meta"]["next_page_url"], Value::Null);

    // Deleting the entity deletes its factors.
    let device = sandbox.device();
    device
        .enroll(&sandbox.enrollment(IDENTITY).unwrap())
        .await
        .unwrap();
    let deleted = reqwest::Client::new()
        .delete(entity_url(&sandbox, IDENTITY))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    expect_error(
        backend_get(&sandbox, &entity_url(&sandbox, IDENTITY)).await,
        404,
        60392,
    )
    .await;
    let factors: Value = backend_get(
        &sandbox,
        &format!("{}/Factors", entity_url(&sandbox, IDENTITY)),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(factors["factors"], json!([]));
}
