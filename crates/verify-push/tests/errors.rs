//! Each shape of failure becomes a typed error, never a panic.

mod common;

use common::*;
use verify_push::{Error, RetryPolicy};

async fn create_against(
    status: usize,
    content_type: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> Error {
    let mut server = mockito::Server::new_async().await;
    let mut mock = server
        .mock("POST", CREATE_PATH)
        .with_status(status)
        .with_header("content-type", content_type)
        .with_body(body);
    for (name, value) in headers {
        mock = mock.with_header(*name, value);
    }
    mock.create_async().await;
    client_with(&server.url(), RetryPolicy::none())
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn twilio_error_has_status_code_message_link_and_request_id() {
    let body = error_json(
        20404,
        404,
        "The requested resource /Services/VAccc/AccessTokens was not found",
    );
    let err = create_against(
        404,
        "application/json",
        &body,
        &[("Twilio-Request-Id", "RQ0123456789abcdef0123456789abcdef")],
    )
    .await;
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some(20404));
    assert_eq!(err.request_id(), Some("RQ0123456789abcdef0123456789abcdef"));
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "Twilio error 20404 (HTTP 404): The requested resource /Services/VAccc/AccessTokens was not found (https://www.twilio.com/docs/errors/20404)"
    );
    let api = err.as_api().unwrap();
    assert_eq!(
        api.more_info(),
        Some("https://www.twilio.com/docs/errors/20404")
    );
}

#[tokio::test]
async fn authentication_failure_is_typed() {
    let err = create_against(
        401,
        "application/json",
        &error_json(20003, 401, "Authenticate"),
        &[],
    )
    .await;
    assert_eq!((err.status(), err.code()), (Some(401), Some(20003)));
    assert!(matches!(err, Error::Api(_)));
}

#[tokio::test]
async fn missing_code_and_empty_more_info_are_handled() {
    let err = create_against(
        400,
        "application/json",
        r#"{"message":"Bad things","more_info":"","status":400}"#,
        &[],
    )
    .await;
    assert_eq!(err.code(), None);
    assert_eq!(err.as_api().unwrap().more_info(), None);
    assert_eq!(err.to_string(), "Twilio error (HTTP 400): Bad things");
}

#[tokio::test]
async fn details_and_retry_after_are_kept() {
    let body = r#"{"code":60200,"message":"Invalid parameter","more_info":"https://www.twilio.com/docs/errors/60200","status":400,"details":{"param":"Ttl"}}"#;
    let err = create_against(400, "application/json", body, &[("Retry-After", "7")]).await;
    assert_eq!(err.as_api().unwrap().details().unwrap()["param"], "Ttl");
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(7)));
}

#[tokio::test]
async fn non_json_error_body_is_a_typed_api_error() {
    let err = create_against(
        502,
        "text/html",
        "<html><h1>502 Bad Gateway</h1></html>",
        &[],
    )
    .await;
    assert_eq!((err.status(), err.code()), (Some(502), None));
    assert!(
        err.to_string()
            .starts_with("Twilio error (HTTP 502): Bad Gateway (body is not Twilio's error JSON"),
        "{err}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn malformed_success_body_is_a_decode_error_with_a_secret_free_excerpt() {
    let body = format!(r#"{{"sid":"{YK}","ttl":"sixty","token":"{TOKEN}"}}"#);
    let err = create_against(201, "application/json", &body, &[]).await;
    let Error::Decode(decode) = &err else {
        panic!("expected decode error, got {err:?}")
    };
    assert_eq!(err.status(), Some(201));
    assert!(decode.reason().contains("ttl"), "{err}");
    assert!(decode.excerpt().contains(YK), "{err}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(&TOKEN[..30]), "token leaked: {shown}");
}

#[tokio::test]
async fn success_without_required_fields_is_a_decode_error() {
    let body = format!(
        r#"{{"sid":"{YK}","service_sid":"{VA}","ttl":60,"factor_type":"push","entity_identity":"{IDENTITY}","token":null}}"#
    );
    let err = create_against(201, "application/json", &body, &[]).await;
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("`token`"), "{err}");
    // The conversion runs inside the exchange; what the exchange saw still reaches the error.
    assert_eq!(err.status(), Some(201));
}

/// A factor type Twilio adds tomorrow never loses the created token: the generated enum keeps
/// the value, and so does the wrapper's open `FactorType`.
#[tokio::test]
async fn success_with_an_unknown_factor_type_keeps_the_token() {
    let body =
        token_json(300, None).replace(r#""factor_type":"push""#, r#""factor_type":"passkey-v9""#);
    let mut server = mockito::Server::new_async().await;
    let _mock = json_mock(&mut server, "POST", CREATE_PATH, 201, body)
        .create_async()
        .await;
    let token = client(&server.url())
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap();
    assert_eq!(
        token.factor_type(),
        &verify_push::FactorType::Unknown("passkey-v9".into())
    );
    assert_eq!(token.token().expose_secret(), TOKEN);
}

#[tokio::test]
async fn html_success_is_a_decode_error() {
    let err = create_against(200, "text/html", "<html>captive portal</html>", &[]).await;
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("captive portal"), "{err}");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let mut server = mockito::Server::new_async().await;
    let target = server
        .mock("POST", "/elsewhere")
        .expect(0)
        .create_async()
        .await;
    server
        .mock("POST", CREATE_PATH)
        .with_status(307)
        .with_header("location", &format!("{}/elsewhere", server.url()))
        .create_async()
        .await;
    let err = client(&server.url())
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap_err();
    target.assert_async().await;
    assert_eq!(err.status(), Some(307));
    assert!(err.to_string().contains("redirect"), "{err}");
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let err = client_with(&format!("http://127.0.0.1:{port}"), RetryPolicy::none())
        .access_tokens(VA)
        .fetch(YK)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
    assert_eq!(err.status(), None);
    assert!(err.to_string().contains("could not connect"), "{err}");
    assert!(std::error::Error::source(&err).is_some(), "source is wired");
}
