//! The control API under `/_sandbox/`: enroll from the access-token resource as an SDK returns
//! it, list and answer challenges, advance the clock, reset; errors are JSON with a code.

use serde_json::{Value, json};
use verify_push_sandbox::Sandbox;

async fn call(sandbox: &Sandbox, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let url = format!("{}/_sandbox{path}", sandbox.base_url());
    let client = reqwest::Client::new();
    let mut request = match method {
        "GET" => client.get(url),
        _ => client.post(url),
    };
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Mints an access token through the API and returns the resource as twilio-python shows it.
async fn access_token(sandbox: &Sandbox, identity: &str) -> Value {
    reqwest::Client::new()
        .post(format!(
            "{}/v2/Services/{}/AccessTokens",
            sandbox.base_url(),
            sandbox.service_sid()
        ))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(&[("Identity", identity), ("FactorType", "push")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn challenge(sandbox: &Sandbox, identity: &str, factor_sid: &str) -> Value {
    reqwest::Client::new()
        .post(format!(
            "{}/v2/Services/{}/Entities/{identity}/Challenges",
            sandbox.base_url(),
            sandbox.service_sid()
        ))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(&[
            ("FactorSid", factor_sid),
            ("Details.Message", "Log in?"),
            ("Details.Fields", r#"{"label":"Location","value":"Berlin"}"#),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn enroll_list_approve_deny_through_the_control_api() {
    let sandbox = Sandbox::start().await.unwrap();
    // The access-token resource in snake_case, as twilio-python returns it.
    let token = access_token(&sandbox, "user-00000001").await;
    let (status, device) = call(&sandbox, "POST", "/devices", Some(token)).await;
    assert_eq!(status, 201, "{device}");
    assert_eq!(device["identity"], "user-00000001");
    assert_eq!(device["status"], "verified");
    let factor_sid = device["factor_sid"].as_str().unwrap().to_owned();

    let first = challenge(&sandbox, "user-00000001", &factor_sid).await;
    let second = challenge(&sandbox, "user-00000001", &factor_sid).await;
    let (status, listed) = call(&sandbox, "GET", "/challenges", None).await;
    assert_eq!(status, 200);
    let pending = listed["challenges"].as_array().unwrap();
    assert_eq!(pending.len(), 2);
    assert_eq!(pending[0]["sid"], first["sid"]);
    assert_eq!(pending[0]["factor_sid"], factor_sid.as_str());
    assert_eq!(pending[0]["message"], "Log in?");
    assert_eq!(
        pending[0]["fields"],
        json!([{"label": "Location", "value": "Berlin"}])
    );
    let filtered = call(
        &sandbox,
        "GET",
        &format!("/challenges?factor_sid={factor_sid}"),
        None,
    )
    .await
    .1;
    assert_eq!(filtered["challenges"].as_array().unwrap().len(), 2);
    let none = call(&sandbox, "GET", "/challenges?factor_sid=YFnone", None)
        .await
        .1;
    assert_eq!(none["challenges"], json!([]));

    let sid = first["sid"].as_str().unwrap();
    let (status, answered) = call(
        &sandbox,
        "POST",
        &format!("/challenges/{sid}/approve"),
        None,
    )
    .await;
    assert_eq!(
        (status, answered),
        (200, json!({"sid": sid, "status": "approved"}))
    );
    let sid = second["sid"].as_str().unwrap();
    let (status, answered) = call(&sandbox, "POST", &format!("/challenges/{sid}/deny"), None).await;
    assert_eq!(
        (status, answered),
        (200, json!({"sid": sid, "status": "denied"}))
    );
    assert_eq!(
        call(&sandbox, "GET", "/challenges", None).await.1["challenges"],
        json!([])
    );
}

#[tokio::test]
async fn advancing_the_clock_expires_challenges_and_unverified_factors() {
    let sandbox = Sandbox::start().await.unwrap();
    let token = access_token(&sandbox, "user-00000001").await;
    let factor_sid = call(&sandbox, "POST", "/devices", Some(token)).await.1["factor_sid"]
        .as_str()
        .unwrap()
        .to_owned();
    let sid = challenge(&sandbox, "user-00000001", &factor_sid).await["sid"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, clock) = call(
        &sandbox,
        "POST",
        "/clock/advance",
        Some(json!({"seconds": 301})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(clock["offset_seconds"], 301);
    assert_eq!(
        call(&sandbox, "GET", "/challenges", None).await.1["challenges"],
        json!([])
    );
    let (status, error) = call(
        &sandbox,
        "POST",
        &format!("/challenges/{sid}/approve"),
        None,
    )
    .await;
    assert_eq!(status, 409, "{error}");
    assert_eq!(error["code"], "challenge_not_pending");

    // A factor created but never verified is deleted an hour later.
    let token = access_token(&sandbox, "user-00000002").await;
    let factors = format!(
        "{}/v2/Services/{}/Entities/user-00000002/Factors",
        sandbox.base_url(),
        sandbox.service_sid()
    );
    let created: Value = reqwest::Client::new()
        .post(&factors)
        .basic_auth("token", token["token"].as_str())
        .form(&[
            ("FriendlyName", "never verified"),
            ("FactorType", "push"),
            ("Binding.Alg", "ES256"),
            (
                "Binding.PublicKey",
                "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEBiun4oyFmN8jXkh2RNivIvWtFIeXbochHcF3fKy8CGOdGDEXJGDjpbmRffNylt70Vb7Uzukp6g/P7i5aMrjR5A==",
            ),
            ("Config.NotificationPlatform", "none"),
            ("Config.AppId", "com.example"),
            ("Config.SdkVersion", "0.9.0"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(created["status"], "unverified", "{created}");
    let fetch = || {
        reqwest::Client::new()
            .get(format!("{factors}/{}", created["sid"].as_str().unwrap()))
            .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
            .send()
    };
    assert_eq!(fetch().await.unwrap().status(), 200);
    call(
        &sandbox,
        "POST",
        "/clock/advance",
        Some(json!({"seconds": 3601})),
    )
    .await;
    assert_eq!(fetch().await.unwrap().status(), 404);
}

#[tokio::test]
async fn reset_forgets_everything_and_errors_are_json_with_a_code() {
    let sandbox = Sandbox::start().await.unwrap();
    let token = access_token(&sandbox, "user-00000001").await;
    call(&sandbox, "POST", "/devices", Some(token)).await;
    call(
        &sandbox,
        "POST",
        "/clock/advance",
        Some(json!({"seconds": 60})),
    )
    .await;
    assert_eq!(
        call(&sandbox, "POST", "/reset", None).await,
        (200, json!({}))
    );
    assert_eq!(
        call(&sandbox, "GET", "/devices", None).await.1,
        json!({"devices": []})
    );
    assert_eq!(
        call(&sandbox, "GET", "/clock", None).await.1["offset_seconds"],
        0
    );
    assert!(sandbox.phone().factors().is_empty());

    for (method, path, body, status, code) in [
        (
            "POST",
            "/challenges/YCunknown/approve",
            None,
            404,
            "unknown_challenge",
        ),
        (
            "POST",
            "/devices",
            Some(json!({"token": "t"})),
            400,
            "invalid_enrollment",
        ),
        (
            "POST",
            "/clock/advance",
            Some(json!({"seconds": -1})),
            400,
            "invalid_seconds",
        ),
        (
            "POST",
            "/clock/advance",
            Some(json!([1])),
            400,
            "invalid_json",
        ),
        ("GET", "/nothing", None, 404, "unknown_route"),
    ] {
        let (got, error) = call(&sandbox, method, path, body).await;
        assert_eq!(
            (got, error["code"].as_str()),
            (status, Some(code)),
            "{path}: {error}"
        );
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}
