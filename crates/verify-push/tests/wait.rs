//! `challenges().wait(sid)`: polls with GETs only until approved, denied or expired, never
//! past the expiration date plus grace, and stops at the caller's deadline.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use verify_push::challenges::Outcome;
use verify_push::{ChallengeStatus, Error};

/// A challenge body with `status` and expiration date `expires`.
fn challenge_at(status: &str, expires: chrono::DateTime<chrono::Utc>) -> String {
    let mut c: serde_json::Value =
        serde_json::from_str(&fixture("challenges", "FetchChallenge.fetchSid")).unwrap();
    c["status"] = status.into();
    c["expiration_date"] = expires
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        .into();
    c.to_string()
}

/// A challenge body with `status` and an expiration `expires_in` from now.
fn challenge(status: &str, expires_in: chrono::Duration) -> String {
    challenge_at(status, chrono::Utc::now() + expires_in)
}

/// Answers GETs with `pending` `pending_times` times, then with `last`; counts GETs. Any
/// other method is a failure of the test (`no_writes` expects none).
async fn server_answering(
    pending_times: usize,
    last: &'static str,
    expires_in: chrono::Duration,
) -> (mockito::ServerGuard, Arc<AtomicUsize>, mockito::Mock) {
    let mut server = mockito::Server::new_async().await;
    let gets = Arc::new(AtomicUsize::new(0));
    let counter = gets.clone();
    let expires = chrono::Utc::now() + expires_in;
    server
        .mock("GET", mockito::Matcher::Regex(format!("/Challenges/{YC}$")))
        .with_header("content-type", "application/json")
        .with_body_from_request(move |_| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let status = if n < pending_times { "pending" } else { last };
            challenge_at(status, expires).into_bytes()
        })
        .create_async()
        .await;
    let no_writes = server
        .mock("POST", mockito::Matcher::Any)
        .expect(0)
        .create_async()
        .await;
    (server, gets, no_writes)
}

fn fast_wait(url: &str) -> verify_push::challenges::WaitForChallenge {
    client(url)
        .service(VA)
        .entity(IDENTITY)
        .challenges()
        .wait(YC)
        .interval(Duration::from_millis(100))
}

#[tokio::test]
async fn wait_polls_until_approved_with_gets_only() {
    let (server, gets, no_writes) =
        server_answering(2, "approved", chrono::Duration::minutes(5)).await;
    let outcome = fast_wait(&server.url()).await.unwrap();
    assert!(outcome.is_approved(), "{outcome:?}");
    assert_eq!(outcome.challenge().status(), &ChallengeStatus::Approved);
    assert_eq!(gets.load(Ordering::SeqCst), 3);
    no_writes.assert_async().await;
}

#[tokio::test]
async fn wait_returns_denied() {
    let (server, gets, _) = server_answering(0, "denied", chrono::Duration::minutes(5)).await;
    assert!(matches!(
        fast_wait(&server.url()).await.unwrap(),
        Outcome::Denied(_)
    ));
    assert_eq!(gets.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn wait_returns_expired_when_twilio_says_so() {
    let (server, _, _) = server_answering(1, "expired", chrono::Duration::minutes(5)).await;
    assert!(matches!(
        fast_wait(&server.url()).await.unwrap(),
        Outcome::Expired(_)
    ));
}

#[tokio::test]
async fn wait_never_outlives_the_expiration_date_plus_grace() {
    // Twilio keeps saying pending; the challenge expires in 1 s.
    let (server, gets, _) =
        server_answering(usize::MAX, "pending", chrono::Duration::seconds(1)).await;
    let started = Instant::now();
    let outcome = fast_wait(&server.url())
        .grace(Duration::from_millis(200))
        .await
        .unwrap();
    let waited = started.elapsed();
    assert!(matches!(outcome, Outcome::Expired(_)), "{outcome:?}");
    assert_eq!(outcome.challenge().status(), &ChallengeStatus::Pending);
    // The expiration date is whole seconds, so it is 0 to 1 s away; plus 200 ms grace.
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
    assert!(gets.load(Ordering::SeqCst) >= 2);
}

#[tokio::test]
async fn wait_stops_at_the_callers_deadline_with_a_distinct_error() {
    let (server, gets, no_writes) =
        server_answering(usize::MAX, "pending", chrono::Duration::minutes(5)).await;
    let err = fast_wait(&server.url())
        .timeout(Duration::from_millis(350))
        .await
        .unwrap_err();
    match &err {
        Error::WaitTimedOut(e) => {
            assert_eq!(e.challenge_sid(), YC);
            assert!(e.polls() >= 2, "{e}");
            assert!(e.waited() >= Duration::from_millis(350), "{e}");
        }
        other => panic!("expected WaitTimedOut, got {other:?}"),
    }
    assert!(err.to_string().contains("still pending"), "{err}");
    assert!(gets.load(Ordering::SeqCst) >= 2);
    no_writes.assert_async().await;
}

#[tokio::test]
async fn wait_honours_retry_after_on_429() {
    let mut server = mockito::Server::new_async().await;
    let busy = json_mock(
        &mut server,
        "GET",
        mockito::Matcher::Any,
        429,
        error_json(20429, 429, "Too many"),
    )
    .with_header("retry-after", "1")
    .expect(1)
    .create_async()
    .await;
    let answered = json_mock(
        &mut server,
        "GET",
        mockito::Matcher::Any,
        200,
        challenge("approved", chrono::Duration::minutes(5)),
    )
    .expect(1)
    .create_async()
    .await;
    let started = Instant::now();
    let outcome = fast_wait(&server.url()).await.unwrap();
    assert!(outcome.is_approved());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After ignored"
    );
    busy.assert_async().await;
    answered.assert_async().await;
}

#[tokio::test]
async fn an_unknown_final_status_ends_the_wait() {
    let (server, gets, _) = server_answering(0, "escalated", chrono::Duration::minutes(5)).await;
    match fast_wait(&server.url()).await.unwrap() {
        Outcome::Other(c) => assert_eq!(c.status().as_str(), "escalated"),
        other => panic!("{other:?}"),
    }
    assert_eq!(gets.load(Ordering::SeqCst), 1);
}
