//! Every rule the spec cannot express is checked before any request is sent.

mod common;

use std::time::Duration;

use common::*;
use verify_push::Error;

/// A server that counts every request it receives; the tests expect none.
async fn silent_server() -> (mockito::ServerGuard, NoRequests) {
    let mut server = mockito::Server::new_async().await;
    let mut mocks = Vec::new();
    for method in ["GET", "POST"] {
        mocks.push(
            server
                .mock(method, mockito::Matcher::Any)
                .expect(0)
                .create_async()
                .await,
        );
    }
    (server, NoRequests(mocks))
}

struct NoRequests(Vec<mockito::Mock>);

impl NoRequests {
    async fn assert_async(&self) {
        for mock in &self.0 {
            mock.assert_async().await;
        }
    }
}

fn assert_invalid(result: Result<verify_push::AccessToken, Error>, field: &str, rule_part: &str) {
    match result {
        Err(Error::InvalidInput(e)) => {
            assert_eq!(e.field(), field, "{e}");
            assert!(
                e.rule().contains(rule_part),
                "rule {:?} lacks {rule_part:?}",
                e.rule()
            );
            let display = Error::InvalidInput(e).to_string();
            assert!(
                display.contains(field) && display.contains("no request was sent"),
                "{display}"
            );
        }
        other => panic!("expected invalid {field}, got {other:?}"),
    }
}

#[tokio::test]
async fn ttl_outside_60_to_300_is_rejected_before_any_request() {
    let (server, mock) = silent_server().await;
    let tokens = client(&server.url()).access_tokens(VA);
    for secs in [0, 59, 301, 3600] {
        let result = tokens
            .create(IDENTITY)
            .ttl(Duration::from_secs(secs))
            .send()
            .await;
        assert_invalid(result, "ttl", "from 60 to 300");
    }
    let result = tokens
        .create(IDENTITY)
        .ttl(Duration::from_millis(90_500))
        .send()
        .await;
    assert_invalid(result, "ttl", "whole seconds");
    mock.assert_async().await;
}

#[tokio::test]
async fn identity_breaking_the_entity_rule_is_rejected_before_any_request() {
    let (server, mock) = silent_server().await;
    let tokens = client(&server.url()).access_tokens(VA);
    for identity in [
        "short",
        &"a".repeat(65),
        "john@example.com",
        "-leading",
        "a--b-cdefgh",
        "",
    ] {
        assert_invalid(tokens.create(identity).send().await, "identity", "8 to 64");
    }
    mock.assert_async().await;
}

#[tokio::test]
async fn friendly_name_breaking_the_rule_is_rejected_before_any_request() {
    let (server, mock) = silent_server().await;
    let tokens = client(&server.url()).access_tokens(VA);
    let too_long = "é".repeat(65);
    for (name, rule) in [
        ("", "1 to 64"),
        (too_long.as_str(), "got 65"),
        ("Line\nbreak", "control characters"),
    ] {
        let result = tokens
            .create(IDENTITY)
            .factor_friendly_name(name)
            .send()
            .await;
        assert_invalid(result, "factor_friendly_name", rule);
    }
    mock.assert_async().await;
}

#[tokio::test]
async fn bad_service_sid_is_rejected_before_any_request() {
    let (server, mock) = silent_server().await;
    let client = client(&server.url());
    for sid in [
        "VA123",
        "YKcccccccccccccccccccccccccccccccc",
        "VA../../../Accounts",
        "",
    ] {
        assert_invalid(
            client.access_tokens(sid).create(IDENTITY).send().await,
            "service_sid",
            "VA followed by 32",
        );
        assert_invalid(
            client.access_tokens(sid).fetch(YK).await,
            "service_sid",
            "VA followed by 32",
        );
    }
    mock.assert_async().await;
}

#[tokio::test]
async fn bad_access_token_sid_and_path_tricks_are_rejected_before_any_request() {
    let (server, mock) = silent_server().await;
    let tokens = client(&server.url()).access_tokens(VA);
    for sid in [
        "YK123",
        "../../Services",
        "YKdddddddddddddddddddddddddddddd/..",
        "VAcccccccccccccccccccccccccccccccc",
    ] {
        assert_invalid(
            tokens.fetch(sid).await,
            "access_token_sid",
            "YK followed by 32",
        );
    }
    mock.assert_async().await;
}

#[tokio::test]
async fn the_first_broken_rule_is_reported_and_nothing_is_sent() {
    let (server, mock) = silent_server().await;
    let result = client(&server.url())
        .access_tokens("bad")
        .create("bad")
        .ttl(Duration::from_secs(1))
        .send()
        .await;
    assert_invalid(result, "service_sid", "VA");
    mock.assert_async().await;
}
