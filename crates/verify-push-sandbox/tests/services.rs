//! Services: create, fetch, list, update and delete; each service keeps its own data, and
//! `Push.IncludeDate` puts `date` in challenge details.

use serde_json::{Value, json};
use verify_push_sandbox::Sandbox;

async fn send(
    sandbox: &Sandbox,
    method: reqwest::Method,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let response = reqwest::Client::new()
        .request(method, format!("{}{path}", sandbox.base_url()))
        .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn services_are_created_fetched_listed_updated_and_deleted() {
    let sandbox = Sandbox::start().await.unwrap();
    let cr1 = format!("CR{}", "1".repeat(32));
    let (status, created) = send(
        &sandbox,
        reqwest::Method::POST,
        "/v2/Services",
        &[
            ("FriendlyName", "Owl Bank tests"),
            ("Push.IncludeDate", "true"),
            ("Push.ApnCredentialSid", &cr1),
        ],
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let sid = created["sid"].as_str().unwrap().to_owned();
    assert!(sid.starts_with("VA") && sid != sandbox.service_sid());
    assert_eq!(created["push"]["include_date"], true);
    assert_eq!(created["push"]["apn_credential_sid"], cr1.as_str());
    assert_eq!(created["push"]["fcm_credential_sid"], Value::Null);

    let path = format!("/v2/Services/{sid}");
    let (status, fetched) = send(&sandbox, reqwest::Method::GET, &path, &[]).await;
    assert_eq!(
        (status, &fetched["friendly_name"]),
        (200, &json!("Owl Bank tests"))
    );
    let (_, updated) = send(
        &sandbox,
        reqwest::Method::POST,
        &path,
        &[("FriendlyName", "Staging")],
    )
    .await;
    assert_eq!(updated["friendly_name"], "Staging");
    assert_eq!(
        updated["push"]["include_date"], true,
        "unsent fields keep their value"
    );
    let (_, listed) = send(&sandbox, reqwest::Method::GET, "/v2/Services", &[]).await;
    let sids: Vec<&str> = listed["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sid"].as_str().unwrap())
        .collect();
    assert_eq!(sids, [sandbox.service_sid(), sid.as_str()]);

    let (status, _) = send(&sandbox, reqwest::Method::DELETE, &path, &[]).await;
    assert_eq!(status, 204);
    let (status, error) = send(&sandbox, reqwest::Method::GET, &path, &[]).await;
    assert_eq!((status, &error["code"]), (404, &json!(20404)));
}

#[tokio::test]
async fn bad_service_fields_are_400_naming_the_field() {
    let sandbox = Sandbox::start().await.unwrap();
    for (form, named) in [
        (vec![], "FriendlyName"),
        (
            vec![("FriendlyName", "x"), ("Push.IncludeDate", "yes")],
            "Push.IncludeDate",
        ),
        (
            vec![("FriendlyName", "x"), ("Push.FcmCredentialSid", "CR1")],
            "Push.FcmCredentialSid",
        ),
    ] {
        let (status, error) = send(&sandbox, reqwest::Method::POST, "/v2/Services", &form).await;
        assert_eq!(status, 400, "{error}");
        assert!(
            error["message"].as_str().unwrap().contains(named),
            "{error}"
        );
    }
}

#[tokio::test]
async fn each_service_has_its_own_data_and_include_date_dates_details() {
    let sandbox = Sandbox::start().await.unwrap();
    let (_, created) = send(
        &sandbox,
        reqwest::Method::POST,
        "/v2/Services",
        &[("FriendlyName", "dated"), ("Push.IncludeDate", "true")],
    )
    .await;
    let sid = created["sid"].as_str().unwrap().to_owned();
    let (_, token) = send(
        &sandbox,
        reqwest::Method::POST,
        &format!("/v2/Services/{sid}/AccessTokens"),
        &[("Identity", "user-00000001"), ("FactorType", "push")],
    )
    .await;
    assert_eq!(token["service_sid"], sid.as_str());
    // The default service does not know this token, nor the new service's entity.
    let (status, _) = send(
        &sandbox,
        reqwest::Method::GET,
        &format!(
            "/v2/Services/{}/AccessTokens/{}",
            sandbox.service_sid(),
            token["sid"].as_str().unwrap()
        ),
        &[],
    )
    .await;
    assert_eq!(status, 404);

    let device = sandbox.device();
    let enrollment =
        verify_push_sandbox::device::Enrollment::from_json(&token.to_string()).unwrap();
    let factor = device.enroll(&enrollment).await.unwrap();
    let entity = "/Entities/user-00000001";
    let (status, _) = send(
        &sandbox,
        reqwest::Method::GET,
        &format!("/v2/Services/{}{entity}", sandbox.service_sid()),
        &[],
    )
    .await;
    assert_eq!(status, 404);
    let (_, challenge) = send(
        &sandbox,
        reqwest::Method::POST,
        &format!("/v2/Services/{sid}{entity}/Challenges"),
        &[("FactorSid", &factor.sid), ("Details.Message", "Log in?")],
    )
    .await;
    assert_eq!(
        challenge["details"]["date"], challenge["date_created"],
        "{challenge}"
    );
    assert_eq!(device.pending_challenges().await.unwrap().len(), 1);
    device
        .approve(challenge["sid"].as_str().unwrap())
        .await
        .unwrap();

    // Once its entity is deleted, the phone's requests are refused with 401.
    send(
        &sandbox,
        reqwest::Method::DELETE,
        &format!("/v2/Services/{sid}{entity}"),
        &[],
    )
    .await;
    match device.pending_challenges().await {
        Err(verify_push_sandbox::device::DeviceError::Twilio { status, .. }) => {
            assert_eq!(status, 401)
        }
        other => panic!("expected a 401, got {other:?}"),
    }
}

#[tokio::test]
async fn an_entity_twice_in_one_service_is_409_60301_and_fine_in_another() {
    let sandbox = Sandbox::start().await.unwrap();
    let entities = format!("/v2/Services/{}/Entities", sandbox.service_sid());
    let form = [("Identity", "user-00000001")];
    let (status, _) = send(&sandbox, reqwest::Method::POST, &entities, &form).await;
    assert_eq!(status, 201);
    // Twilio: https://www.twilio.com/docs/api/errors/60301
    let (status, error) = send(&sandbox, reqwest::Method::POST, &entities, &form).await;
    assert_eq!((status, &error["code"]), (409, &json!(60301)), "{error}");

    let (_, other) = send(
        &sandbox,
        reqwest::Method::POST,
        "/v2/Services",
        &[("FriendlyName", "other")],
    )
    .await;
    let other = format!("/v2/Services/{}/Entities", other["sid"].as_str().unwrap());
    let (status, _) = send(&sandbox, reqwest::Method::POST, &other, &form).await;
    assert_eq!(status, 201);
}
