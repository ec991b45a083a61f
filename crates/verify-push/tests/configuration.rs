//! Building a client: environment, region and edge, base URLs, timeouts.

mod common;

use std::time::Duration;

use common::*;
use verify_push::{Client, Credentials, Error};

fn config_field(result: Result<Client, Error>) -> String {
    match result {
        Err(Error::Config(e)) => e.field().to_string(),
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn from_env_vars_builds_a_client_for_twilios_host() {
    let client = Client::from_env_vars([
        ("TWILIO_ACCOUNT_SID", AC),
        ("TWILIO_AUTH_TOKEN", AUTH_TOKEN),
    ])
    .unwrap();
    assert_eq!(client.base_url(), "https://verify.twilio.com");
}

#[test]
fn region_and_edge_from_the_environment_pick_the_regional_host() {
    let client = Client::from_env_vars([
        ("TWILIO_ACCOUNT_SID", AC),
        ("TWILIO_AUTH_TOKEN", AUTH_TOKEN),
        ("TWILIO_REGION", "au1"),
        ("TWILIO_EDGE", "sydney"),
    ])
    .unwrap();
    assert_eq!(client.base_url(), "https://verify.sydney.au1.twilio.com");
}

#[test]
fn region_without_edge_names_the_variable_and_says_why() {
    let err = Client::from_env_vars([
        ("TWILIO_ACCOUNT_SID", AC),
        ("TWILIO_AUTH_TOKEN", AUTH_TOKEN),
        ("TWILIO_REGION", "ie1"),
    ])
    .unwrap_err();
    assert!(err.to_string().contains("TWILIO_EDGE"), "{err}");
    assert!(err.to_string().contains("2026-04-28"), "{err}");
}

#[test]
fn missing_and_malformed_variables_are_named() {
    assert_eq!(
        config_field(Client::from_env_vars(Vec::<(String, String)>::new())),
        "TWILIO_ACCOUNT_SID"
    );
    assert_eq!(
        config_field(Client::from_env_vars([("TWILIO_ACCOUNT_SID", AC)])),
        "TWILIO_AUTH_TOKEN"
    );
    assert_eq!(
        config_field(Client::from_env_vars([
            ("TWILIO_ACCOUNT_SID", "nope"),
            ("TWILIO_AUTH_TOKEN", "t")
        ])),
        "TWILIO_ACCOUNT_SID"
    );
}

#[test]
fn builder_region_without_edge_is_refused() {
    let result = Client::builder()
        .credentials(Credentials::auth_token(AC, AUTH_TOKEN))
        .region("ie1")
        .build();
    assert_eq!(config_field(result), "edge");
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let result = Client::builder()
        .credentials(Credentials::auth_token(AC, AUTH_TOKEN))
        .base_url("http://verify.twilio.com")
        .build();
    assert_eq!(config_field(result), "base_url");
    let local = Client::builder()
        .credentials(Credentials::auth_token(AC, AUTH_TOKEN))
        .base_url("http://127.0.0.1:8080/")
        .build()
        .unwrap();
    assert_eq!(local.base_url(), "http://127.0.0.1:8080");
}

#[test]
fn credentials_are_required_and_checked() {
    assert_eq!(config_field(Client::builder().build()), "credentials");
    let result = Client::builder()
        .credentials(Credentials::api_key(AC, "SK-not-a-sid", "s"))
        .build();
    assert_eq!(config_field(result), "api_key_sid");
}

#[test]
fn zero_timeouts_are_refused() {
    let result = Client::builder()
        .credentials(Credentials::auth_token(AC, AUTH_TOKEN))
        .timeout(Duration::ZERO)
        .build();
    assert_eq!(config_field(result), "timeout");
}

#[test]
fn raw_configuration_shares_base_url_credentials_and_user_agent() {
    let client = Client::builder()
        .credentials(Credentials::api_key(AC, SK, API_SECRET))
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let raw = client.raw();
    assert_eq!(raw.base_path, "http://127.0.0.1:9");
    assert_eq!(raw.user_agent.as_deref(), Some(client.user_agent()));
    let (user, password) = raw.basic_auth.clone().unwrap();
    assert_eq!((user.as_str(), password.as_deref()), (SK, Some(API_SECRET)));
}

/// The wrapper sends its credentials as its own reqwest client's default headers; the client
/// `raw()` hands out has none, so a caller who reuses it for another host sends no credentials
/// there, while the generated functions still send them (tests/requests.rs).
#[tokio::test]
async fn the_raw_reqwest_client_sends_no_credentials_by_itself() {
    let mut server = mockito::Server::new_async().await;
    let bare = server
        .mock("GET", "/elsewhere")
        .match_header("authorization", mockito::Matcher::Missing)
        .with_status(204)
        .expect(1)
        .create_async()
        .await;
    let response = client(&server.url())
        .raw()
        .client
        .get(format!("{}/elsewhere", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    bare.assert_async().await;
}
