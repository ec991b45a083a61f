//! The exact HTTP requests create and fetch send.

mod common;

use std::time::Duration;

use common::*;
use mockito::Matcher;
use verify_push::{Client, Credentials, Identity};

fn basic(user: &str, password: &str) -> String {
    use std::fmt::Write;
    // Minimal base64 for the expected header, independent of the client's own encoder.
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{user}:{password}").into_bytes();
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    let mut header = String::new();
    write!(header, "Basic {out}").unwrap();
    header
}

#[tokio::test]
async fn create_sends_post_form_with_every_field_auth_and_user_agent() {
    let mut server = mockito::Server::new_async().await;
    let mock = json_mock(
        &mut server,
        "POST",
        CREATE_PATH,
        201,
        token_json(300, Some("John Doe iPhone")),
    )
    .match_header("content-type", "application/x-www-form-urlencoded")
    .match_header("authorization", basic(AC, AUTH_TOKEN).as_str())
    .match_header(
        "user-agent",
        Matcher::Regex(format!(
            r"^verify-push/0\.1\.0 \({} {}\) rust/\d+\.\d+\.\d+",
            std::env::consts::OS,
            std::env::consts::ARCH
        )),
    )
    .match_body(Matcher::Exact(format!(
        "Identity={IDENTITY}&FactorType=push&FactorFriendlyName=John+Doe+iPhone&Ttl=300"
    )))
    .expect(1)
    .create_async()
    .await;

    let token = client(&server.url())
        .access_tokens(VA)
        .create(IDENTITY)
        .factor_friendly_name("John Doe iPhone")
        .ttl(Duration::from_secs(300))
        .send()
        .await
        .unwrap();
    mock.assert_async().await;

    assert_eq!(token.sid().as_str(), YK);
    assert_eq!(token.sid().to_string(), YK);
    assert_eq!(token.service_sid().as_str(), VA);
    assert_eq!(token.account_sid().map(|s| s.as_str()), Some(AC));
    assert_eq!(token.identity(), IDENTITY);
    assert_eq!(token.factor_friendly_name(), Some("John Doe iPhone"));
    assert_eq!(token.token().expose_secret(), TOKEN);
    assert_eq!(token.ttl(), Duration::from_secs(300));
    assert_eq!(token.factor_type().as_str(), "push");
    assert_eq!(
        token.expires_at().unwrap().to_rfc3339(),
        "2015-07-30T20:05:00+00:00"
    );
    assert!(token.url().unwrap().ends_with(FETCH_PATH));
}

#[tokio::test]
async fn optional_fields_are_absent_when_not_set() {
    let mut server = mockito::Server::new_async().await;
    let mock = json_mock(&mut server, "POST", CREATE_PATH, 201, token_json(60, None))
        .match_body(Matcher::Exact(format!(
            "Identity={IDENTITY}&FactorType=push"
        )))
        .expect(1)
        .create_async()
        .await;
    let token = client(&server.url())
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(token.ttl(), Duration::from_secs(60), "Twilio's default");
    assert_eq!(token.factor_friendly_name(), None);
}

#[tokio::test]
async fn api_key_credentials_authenticate_with_the_key_sid_and_secret() {
    let mut server = mockito::Server::new_async().await;
    let mock = json_mock(&mut server, "POST", CREATE_PATH, 201, token_json(60, None))
        .match_header("authorization", basic(SK, API_SECRET).as_str())
        .expect(1)
        .create_async()
        .await;
    let client = Client::builder()
        .credentials(Credentials::api_key(AC, SK, API_SECRET))
        .base_url(server.url())
        .build()
        .unwrap();
    client
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn create_accepts_200_as_well_as_201() {
    let mut server = mockito::Server::new_async().await;
    json_mock(&mut server, "POST", CREATE_PATH, 200, token_json(60, None))
        .create_async()
        .await;
    let token = client(&server.url())
        .access_tokens(VA)
        .create(IDENTITY)
        .send()
        .await
        .unwrap();
    assert_eq!(token.sid().as_str(), YK);
}

#[tokio::test]
async fn fetch_sends_get_with_auth_and_no_body() {
    let mut server = mockito::Server::new_async().await;
    let mock = json_mock(&mut server, "GET", FETCH_PATH, 200, token_json(120, None))
        .match_header("authorization", basic(AC, AUTH_TOKEN).as_str())
        .match_header("user-agent", Matcher::Regex(r"^verify-push/".into()))
        .match_body(Matcher::Exact(String::new()))
        .expect(1)
        .create_async()
        .await;
    let token = client(&server.url())
        .access_tokens(VA)
        .fetch(YK)
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(token.ttl(), Duration::from_secs(120));
}

#[tokio::test]
async fn fetch_accepts_str_string_and_sid() {
    let mut server = mockito::Server::new_async().await;
    let mock = json_mock(&mut server, "GET", FETCH_PATH, 200, token_json(60, None))
        .expect(3)
        .create_async()
        .await;
    let tokens = client(&server.url()).access_tokens(VA);
    let first = tokens.fetch(YK).await.unwrap();
    tokens.fetch(YK.to_string()).await.unwrap();
    tokens.fetch(first.sid()).await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn create_accepts_a_hashed_identity() {
    let identity = Identity::hashed("user-42");
    let mut server = mockito::Server::new_async().await;
    let mock = json_mock(&mut server, "POST", CREATE_PATH, 201, token_json(60, None))
        .match_body(Matcher::UrlEncoded("Identity".into(), identity.to_string()))
        .expect(1)
        .create_async()
        .await;
    client(&server.url())
        .access_tokens(VA)
        .create(&identity)
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn user_agent_extension_is_appended() {
    let mut server = mockito::Server::new_async().await;
    let mock = json_mock(&mut server, "GET", FETCH_PATH, 200, token_json(60, None))
        .match_header(
            "user-agent",
            Matcher::Regex(r"^verify-push/\S+ \(.*\) rust/\S+ my-app/2\.0$".into()),
        )
        .expect(1)
        .create_async()
        .await;
    let client = Client::builder()
        .credentials(Credentials::auth_token(AC, AUTH_TOKEN))
        .base_url(server.url())
        .user_agent_extension("my-app/2.0")
        .build()
        .unwrap();
    client.access_tokens(VA).fetch(YK).await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn clones_share_the_client_and_work_concurrently() {
    let mut server = mockito::Server::new_async().await;
    let mock = json_mock(&mut server, "GET", FETCH_PATH, 200, token_json(60, None))
        .expect(8)
        .create_async()
        .await;
    let client = client(&server.url());
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.access_tokens(VA).fetch(YK).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    mock.assert_async().await;
}

/// The escape hatch reaches the rest of Verify v2 with the same credentials and user agent,
/// and the generator fix sends array form fields as repeated keys, as Twilio expects.
#[tokio::test]
async fn raw_configuration_sends_array_form_fields_as_repeated_keys() {
    let mut server = mockito::Server::new_async().await;
    let mock = json_mock(
        &mut server,
        "POST",
        "/v2/Services/VAcccccccccccccccccccccccccccccccc/Webhooks",
        201,
        "{}",
    )
    .match_header("authorization", basic(AC, AUTH_TOKEN).as_str())
    .match_header("user-agent", Matcher::Regex(r"^verify-push/".into()))
    .match_body(Matcher::Regex(
        "EventTypes=factor.created&EventTypes=challenge.approved".into(),
    ))
    .expect(1)
    .create_async()
    .await;
    let client = client(&server.url());
    verify_push::raw::apis::verify_v2_webhook_api::create_webhook(
        &client.raw(),
        VA,
        "hooks",
        vec!["factor.created".into(), "challenge.approved".into()],
        "https://example.com/hook",
        None,
        None,
    )
    .await
    .unwrap();
    mock.assert_async().await;
}
