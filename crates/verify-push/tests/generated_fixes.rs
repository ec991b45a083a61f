//! The project's fixes to the generated crate (`verify_push::raw`), checked through the
//! generated functions against a local server: open response enums and RFC 3339 UTC date-time
//! form fields. See docs/regenerating.md, "The project's fixes to the generator".

mod common;

use chrono::DateTime;
use common::*;
use mockito::Matcher;
use verify_push::raw::apis::{verify_v2_access_token_api, verify_v2_challenge_api};
use verify_push::raw::models::{
    AccessTokenEnumFactorTypes, ChallengeEnumChallengeStatuses, ChallengeEnumFactorTypes,
};

const YF: &str = "YFeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
const YC: &str = "YCffffffffffffffffffffffffffffffff";

fn challenges_path() -> String {
    format!("/v2/Services/{VA}/Entities/{IDENTITY}/Challenges")
}

/// A factor type Twilio adds after this crate was generated must not cost the caller the token
/// that was just created (a create is never sent again).
#[tokio::test]
async fn created_access_token_with_an_unknown_factor_type_decodes() {
    let mut server = mockito::Server::new_async().await;
    let body =
        token_json(600, None).replace(r#""factor_type":"push""#, r#""factor_type":"passkey-v9""#);
    assert!(body.contains("passkey-v9"), "the fixture changed: {body}");
    let mock = json_mock(&mut server, "POST", CREATE_PATH, 201, body)
        // The known request value still goes out as Twilio's name for it.
        .match_body(Matcher::UrlEncoded("FactorType".into(), "push".into()))
        .expect(1)
        .create_async()
        .await;
    let client = client(&server.url());

    let token = verify_v2_access_token_api::create_access_token(
        &client.raw(),
        VA,
        IDENTITY,
        AccessTokenEnumFactorTypes::Push,
        None,
        None,
    )
    .await
    .expect("a 201 with a new factor type decodes");

    mock.assert_async().await;
    assert_eq!(token.token.flatten().as_deref(), Some(TOKEN));
    assert_eq!(token.sid.flatten().as_deref(), Some(YK));
    // Kept as received, and written back the same way.
    let factor_type = token.factor_type.expect("factor_type is present");
    assert_eq!(factor_type.to_string(), "passkey-v9");
    assert_eq!(
        serde_json::to_string(&factor_type).unwrap(),
        r#""passkey-v9""#
    );
}

/// A challenge status Twilio adds later decodes, and the known fields beside it still decode
/// as their own variants.
#[tokio::test]
async fn fetched_challenge_with_an_unknown_status_decodes() {
    let mut server = mockito::Server::new_async().await;
    let body = serde_json::json!({
        "sid": YC,
        "account_sid": AC,
        "service_sid": VA,
        "identity": IDENTITY,
        "factor_sid": YF,
        "date_created": "2026-01-01T11:55:00Z",
        "expiration_date": "2026-01-01T12:00:00Z",
        "status": "escalated",
        "responded_reason": "none",
        "factor_type": "push",
        "details": {"message": "Hi", "fields": [], "date": "2026-01-01T11:55:00Z"},
    })
    .to_string();
    let mock = json_mock(
        &mut server,
        "GET",
        format!("{}/{YC}", challenges_path()).as_str(),
        200,
        body,
    )
    .expect(1)
    .create_async()
    .await;
    let client = client(&server.url());

    let challenge = verify_v2_challenge_api::fetch_challenge(&client.raw(), VA, IDENTITY, YC)
        .await
        .expect("a challenge with a new status decodes");

    mock.assert_async().await;
    let status = challenge.status.expect("status is present");
    assert_eq!(status.to_string(), "escalated");
    assert_eq!(challenge.sid.flatten().as_deref(), Some(YC));
    assert_eq!(
        format!("{:?}", challenge.factor_type),
        format!("{:?}", Some(ChallengeEnumFactorTypes::Push)),
        "a known value must not fall into the catch-all"
    );
}

/// The catch-all keeps the value, known values keep their variants, `Default` is unchanged, and
/// an unknown value can be sent as a form parameter.
#[tokio::test]
async fn open_enums_round_trip_and_send_unknown_values_as_is() {
    let decoded: Vec<ChallengeEnumChallengeStatuses> =
        serde_json::from_str(r#"["pending","escalated","approved"]"#).unwrap();
    assert_eq!(
        decoded,
        vec![
            ChallengeEnumChallengeStatuses::Pending,
            ChallengeEnumChallengeStatuses::Unknown("escalated".into()),
            ChallengeEnumChallengeStatuses::Approved,
        ]
    );
    assert_eq!(
        serde_json::to_string(&decoded).unwrap(),
        r#"["pending","escalated","approved"]"#
    );
    assert_eq!(
        ChallengeEnumChallengeStatuses::default(),
        ChallengeEnumChallengeStatuses::Pending
    );
    assert_eq!(
        AccessTokenEnumFactorTypes::default(),
        AccessTokenEnumFactorTypes::Push
    );
    // Not a string: still a decode error, not a silent catch-all.
    assert!(serde_json::from_str::<ChallengeEnumChallengeStatuses>("42").is_err());

    let mut server = mockito::Server::new_async().await;
    let mock = json_mock(&mut server, "POST", CREATE_PATH, 201, token_json(600, None))
        .match_body(Matcher::UrlEncoded("FactorType".into(), "passkeys".into()))
        .expect(1)
        .create_async()
        .await;
    let client = client(&server.url());
    verify_v2_access_token_api::create_access_token(
        &client.raw(),
        VA,
        IDENTITY,
        AccessTokenEnumFactorTypes::Unknown("passkeys".into()),
        None,
        None,
    )
    .await
    .unwrap();
    mock.assert_async().await;
}

/// `ExpirationDate` goes out as RFC 3339 in UTC with whole seconds, as Twilio's SDKs send it,
/// whatever offset (and sub-second part) the caller's date has. chrono's `Display` would send
/// `2026-01-01 14:00:00.250 +02:00`, which is not an RFC 3339 date-time.
#[tokio::test]
async fn create_challenge_sends_the_expiration_date_as_rfc3339_utc() {
    let mut server = mockito::Server::new_async().await;
    let mock = json_mock(&mut server, "POST", challenges_path().as_str(), 201, "{}")
        .match_body(Matcher::Exact(format!(
            "FactorSid={YF}&ExpirationDate=2026-01-01T12%3A00%3A00Z&Details.Message=Login+request"
        )))
        .expect(1)
        .create_async()
        .await;
    let client = client(&server.url());
    let expires = DateTime::parse_from_rfc3339("2026-01-01T14:00:00.250+02:00").unwrap();

    verify_v2_challenge_api::create_challenge(
        &client.raw(),
        VA,
        IDENTITY,
        YF,
        Some(expires),
        Some("Login request"),
        None,
        None,
        None,
    )
    .await
    .expect("the mock matched the body");

    mock.assert_async().await;
}

/// The wrapper reads a generated enum's wire spelling through its `AsRef<str>` (call/decode.rs,
/// `open_enum`), and the generated code sends it through its `Display`; both are cheaper than
/// serialising it. This holds both to what serde reads and writes, for every value the vendored
/// spec lists for each enum the wrapper converts.
#[test]
fn generated_enums_display_their_wire_spelling() {
    use verify_push::raw::models::{
        ChallengeEnumChallengeReasons, FactorEnumFactorStatuses, FactorEnumFactorTypes,
        WebhookEnumStatus, WebhookEnumVersion,
    };
    let spec: serde_json::Value =
        serde_json::from_str(include_str!("../../../openapi/twilio_verify_v2.json")).unwrap();
    fn check<T>(spec: &serde_json::Value, schema: &str)
    where
        T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Display + AsRef<str>,
    {
        let values = spec["components"]["schemas"][schema]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("the spec has no enum {schema}"));
        assert!(!values.is_empty(), "{schema} lists no values");
        for value in values {
            let spelling = value.as_str().expect("string enum");
            let decoded: T = serde_json::from_value(value.clone()).unwrap();
            assert_eq!(decoded.to_string(), spelling, "{schema}");
            assert_eq!(decoded.as_ref(), spelling, "{schema}");
            assert_eq!(serde_json::to_value(&decoded).unwrap(), *value, "{schema}");
        }
        // A value added later is displayed as received too.
        let decoded: T = serde_json::from_str(r#""added-later""#).unwrap();
        assert_eq!(decoded.to_string(), "added-later", "{schema}");
        assert_eq!(decoded.as_ref(), "added-later", "{schema}");
    }
    check::<AccessTokenEnumFactorTypes>(&spec, "access_token_enum_factor_types");
    check::<ChallengeEnumChallengeStatuses>(&spec, "challenge_enum_challenge_statuses");
    check::<ChallengeEnumChallengeReasons>(&spec, "challenge_enum_challenge_reasons");
    check::<ChallengeEnumFactorTypes>(&spec, "challenge_enum_factor_types");
    check::<FactorEnumFactorStatuses>(&spec, "factor_enum_factor_statuses");
    check::<FactorEnumFactorTypes>(&spec, "factor_enum_factor_types");
    check::<WebhookEnumStatus>(&spec, "webhook_enum_status");
    check::<WebhookEnumVersion>(&spec, "webhook_enum_version");
}

/// The success-body patch (docs/regenerating.md, "Success bodies decoded at full speed"): a bad
/// field still fails with its path, as `serde_path_to_error` reported it on every response.
#[tokio::test]
async fn a_bad_field_in_a_success_body_still_names_its_path() {
    let mut server = mockito::Server::new_async().await;
    let body = token_json(600, None).replace(r#""ttl":600"#, r#""ttl":"ten minutes""#);
    assert!(body.contains("ten minutes"), "the fixture changed: {body}");
    let mock = json_mock(&mut server, "GET", FETCH_PATH, 200, body)
        .expect(1)
        .create_async()
        .await;
    let client = client(&server.url());

    let error = verify_v2_access_token_api::fetch_access_token(&client.raw(), VA, YK)
        .await
        .expect_err("a string ttl does not decode");

    mock.assert_async().await;
    match error {
        verify_push::raw::apis::Error::SerdePathToError(e) => {
            assert_eq!(e.path().to_string(), "ttl", "{e}");
        }
        other => panic!("expected a decode error with a path, got {other:?}"),
    }
}

/// The success-body patch reads the bytes instead of `Response::text()`, and decodes a body
/// that is not valid UTF-8 as `text()` did: the bad bytes become U+FFFD.
#[tokio::test]
async fn a_success_body_with_invalid_utf8_decodes_as_before() {
    let mut server = mockito::Server::new_async().await;
    let body = token_json(600, Some("Phone-NAME"));
    let mut bytes = body.into_bytes();
    let at = bytes
        .windows(4)
        .position(|w| w == b"NAME")
        .expect("the friendly name is in the body");
    bytes[at..at + 4].copy_from_slice(b"\xff\xfe\xfd\xfc");
    let mock = server
        .mock("GET", FETCH_PATH)
        .with_status(200)
        .with_header("content-type", "application/json")
        .with_body(bytes)
        .expect(1)
        .create_async()
        .await;
    let client = client(&server.url());

    let token = verify_v2_access_token_api::fetch_access_token(&client.raw(), VA, YK)
        .await
        .expect("invalid UTF-8 inside a string is decoded lossily, not refused");

    mock.assert_async().await;
    let name = token
        .factor_friendly_name
        .flatten()
        .expect("a friendly name");
    assert!(name.starts_with("Phone-\u{FFFD}"), "{name:?}");
}

/// Nullable date-times are read by the generated `models::date_time` (a template patch): RFC 3339
/// through chrono's fast parser, anything else chrono's `FromStr` accepts as before; absent,
/// `null` and a date stay three different values; a bad date is still a decode error.
#[test]
fn nullable_date_times_decode_as_before() {
    use verify_push::raw::models::VerifyV2ServiceEntityChallenge as Model;
    let decode = |dates: &str| serde_json::from_str::<Model>(&format!("{{{dates}}}"));

    let model = decode(
        r#""date_created": "2015-07-30T20:00:00Z", "date_updated": null,
           "date_responded": "2015-07-30T22:00:00+02:00""#,
    )
    .unwrap();
    let expected = DateTime::parse_from_rfc3339("2015-07-30T20:00:00Z").unwrap();
    assert_eq!(model.date_created, Some(Some(expected)));
    assert_eq!(model.date_updated, Some(None), "null");
    assert_eq!(model.expiration_date, None, "absent");
    assert_eq!(
        model.date_responded,
        Some(Some(expected)),
        "an offset is kept as the same instant"
    );
    assert_eq!(
        model
            .date_responded
            .unwrap()
            .unwrap()
            .offset()
            .local_minus_utc(),
        7200
    );

    // Not RFC 3339 (a space for the `T`), which `FromStr` has always accepted.
    let model = decode(r#""date_created": "2015-07-30 20:00:00Z""#).unwrap();
    assert_eq!(model.date_created, Some(Some(expected)));

    let err = decode(r#""date_created": "yesterday""#).unwrap_err();
    assert!(
        err.to_string()
            .contains("input contains invalid characters"),
        "{err}"
    );
    assert!(
        decode(r#""date_created": 1438286400"#).is_err(),
        "a number is not a date"
    );

    // Written back as before: RFC 3339, `null` kept, absent left out.
    let json = serde_json::to_value(
        decode(r#""date_created": "2015-07-30T20:00:00Z", "date_updated": null"#).unwrap(),
    )
    .unwrap();
    assert_eq!(json["date_created"], "2015-07-30T20:00:00Z");
    assert!(json["date_updated"].is_null() && json.get("date_updated").is_some());
    assert!(json.get("expiration_date").is_none());
}
