//! The phone page at `GET /`: shows the virtual phone's pending challenges, and its Approve /
//! Deny buttons answer them through the device's signed protocol.

use verify_push_sandbox::Sandbox;

async fn challenge(sandbox: &Sandbox, factor_sid: &str, message: &str) -> String {
    let response: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/v2/Services/{}/Entities/user-0001/Challenges",
            sandbox.base_url(),
            sandbox.service_sid()
        ))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(&[
            ("FactorSid", factor_sid),
            ("Details.Message", message),
            (
                "Details.Fields",
                r#"{"label":"Location","value":"Berlin <DE>"}"#,
            ),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    response["sid"].as_str().unwrap().to_string()
}

async fn status(sandbox: &Sandbox, sid: &str) -> String {
    let response: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{}/v2/Services/{}/Entities/user-0001/Challenges/{sid}",
            sandbox.base_url(),
            sandbox.service_sid()
        ))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    response["status"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_page_lists_pending_challenges_and_its_buttons_answer_them() {
    let sandbox = Sandbox::start().await.unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // Enroll through the page's own form, with the JSON a backend hands the app.
    let enrollment = sandbox.enrollment("user-0001").unwrap();
    let json = serde_json::json!({
        "token": enrollment.token,
        "serviceSid": enrollment.service_sid,
        "identity": enrollment.identity,
        "factorType": "push",
    })
    .to_string();
    let enrolled = http
        .post(format!("{}/phone/enroll", sandbox.base_url()))
        .form(&[("enrollment", json.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(enrolled.status(), 303);
    let factors = sandbox.phone().factors();
    assert_eq!(factors.len(), 1);

    let approve_me = challenge(&sandbox, &factors[0].sid, "Log in from Chrome?").await;
    let deny_me = challenge(&sandbox, &factors[0].sid, "Log in from Firefox?").await;
    let page = http
        .get(sandbox.phone_url())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Log in from Chrome?"), "{page}");
    assert!(
        page.contains("Berlin &lt;DE&gt;"),
        "field values are escaped"
    );
    assert!(page.contains(&format!("approve-{approve_me}")));
    assert!(page.contains("Local development only"));

    let answered = http
        .post(format!(
            "{}/phone/challenges/{approve_me}/approve",
            sandbox.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 303);
    assert_eq!(status(&sandbox, &approve_me).await, "approved");
    http.post(format!(
        "{}/phone/challenges/{deny_me}/deny",
        sandbox.base_url()
    ))
    .send()
    .await
    .unwrap();
    assert_eq!(status(&sandbox, &deny_me).await, "denied");

    // Answered challenges leave the page; a second answer is refused and says why.
    let page = http
        .get(sandbox.phone_url())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains(&format!("approve-{approve_me}")));
    let again = http
        .post(format!(
            "{}/phone/challenges/{approve_me}/approve",
            sandbox.base_url()
        ))
        .send()
        .await
        .unwrap();
    let location = again.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/?error="), "{location}");
}

#[tokio::test]
async fn bad_enrollment_json_is_reported_on_the_page() {
    let sandbox = Sandbox::start().await.unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = http
        .post(format!("{}/phone/enroll", sandbox.base_url()))
        .form(&[("enrollment", "not json")])
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/?error="), "{location}");
    assert!(sandbox.phone().factors().is_empty());
}
