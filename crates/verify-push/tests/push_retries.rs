//! Retries in the push flow, counted at the server: a challenge or notification create is
//! never sent again once it may have reached Twilio (it pushes to the phone, and an answered
//! challenge is billed); GETs and DELETEs are retried like fetch.

mod common;

use std::time::Duration;

use common::*;

fn challenge_body() -> String {
    fixture("challenges", "CreateChallenge.createPush")
}

async fn send_challenge(
    url: &str,
) -> Result<verify_push::challenges::Challenge, verify_push::Error> {
    client(url)
        .service(VA)
        .entity(IDENTITY)
        .challenges()
        .create(YF)
        .message("Log in?")
        .send()
        .await
}

#[tokio::test]
async fn challenge_create_is_not_resent_after_a_5xx() {
    let mut server = mockito::Server::new_async().await;
    let failing = json_mock(
        &mut server,
        "POST",
        mockito::Matcher::Any,
        500,
        error_json(20500, 500, "Internal"),
    )
    .expect(1)
    .create_async()
    .await;
    let err = send_challenge(&server.url()).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    failing.assert_async().await;
}

#[tokio::test]
async fn challenge_create_is_retried_after_20429_only() {
    let mut server = mockito::Server::new_async().await;
    let busy = json_mock(
        &mut server,
        "POST",
        mockito::Matcher::Any,
        429,
        error_json(20429, 429, "Too many"),
    )
    .with_header("retry-after", "0")
    .expect(1)
    .create_async()
    .await;
    let created = json_mock(
        &mut server,
        "POST",
        mockito::Matcher::Any,
        201,
        challenge_body(),
    )
    .expect(1)
    .create_async()
    .await;
    send_challenge(&server.url()).await.unwrap();
    busy.assert_async().await;
    created.assert_async().await;
}

#[tokio::test]
async fn challenge_create_is_not_resent_after_a_product_limit_429() {
    let mut server = mockito::Server::new_async().await;
    // 60309: too many pushes for this challenge. Retrying makes it worse.
    let limited = json_mock(
        &mut server,
        "POST",
        mockito::Matcher::Any,
        429,
        error_json(60309, 429, "Max send attempts"),
    )
    .expect(1)
    .create_async()
    .await;
    assert_eq!(
        send_challenge(&server.url()).await.unwrap_err().code(),
        Some(60309)
    );
    limited.assert_async().await;
}

#[tokio::test]
async fn notification_create_is_not_resent_after_a_5xx() {
    let mut server = mockito::Server::new_async().await;
    let failing = json_mock(&mut server, "POST", mockito::Matcher::Any, 503, "")
        .expect(1)
        .create_async()
        .await;
    let err = client(&server.url())
        .service(VA)
        .entity(IDENTITY)
        .challenges()
        .notifications(YC)
        .create()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    failing.assert_async().await;
}

#[tokio::test]
async fn challenge_create_that_timed_out_is_not_resent() {
    let mut server = mockito::Server::new_async().await;
    let slow = server
        .mock("POST", mockito::Matcher::Any)
        .with_chunked_body(|w| {
            std::thread::sleep(Duration::from_millis(800));
            w.write_all(b"{}")
        })
        .expect(1)
        .create_async()
        .await;
    let client = verify_push::Client::builder()
        .credentials(verify_push::Credentials::auth_token(AC, AUTH_TOKEN))
        .base_url(server.url())
        .timeout(Duration::from_millis(200))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = client
        .service(VA)
        .entity(IDENTITY)
        .challenges()
        .create(YF)
        .message("Log in?")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, verify_push::Error::Timeout(_)), "{err:?}");
    slow.assert_async().await;
}

#[tokio::test]
async fn challenge_fetch_and_factor_delete_are_retried_after_a_5xx() {
    let mut server = mockito::Server::new_async().await;
    let get_fails = json_mock(&mut server, "GET", mockito::Matcher::Any, 502, "")
        .expect(1)
        .create_async()
        .await;
    let get_ok = json_mock(
        &mut server,
        "GET",
        mockito::Matcher::Any,
        200,
        fixture("challenges", "FetchChallenge.fetchSid"),
    )
    .expect(1)
    .create_async()
    .await;
    let delete_fails = json_mock(&mut server, "DELETE", mockito::Matcher::Any, 500, "")
        .expect(1)
        .create_async()
        .await;
    let delete_ok = server
        .mock("DELETE", mockito::Matcher::Any)
        .with_status(204)
        .expect(1)
        .create_async()
        .await;
    let user = client(&server.url()).service(VA).entity(IDENTITY);
    user.challenges().fetch(YC).await.unwrap();
    user.factors().delete(YF).await.unwrap();
    for mock in [get_fails, get_ok, delete_fails, delete_ok] {
        mock.assert_async().await;
    }
}
