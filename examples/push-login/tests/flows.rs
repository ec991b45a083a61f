//! The login flows against a real database (SQLite, and PostgreSQL when a server is available),
//! the example on 127.0.0.1 and the sandbox in-process: each case runs on both.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Browser, Db, answer_event, database, deliver, start, user_with_phone};
use verify_push_sandbox::Sandbox;

const LOGIN_TTL: Duration = Duration::from_secs(300);

async fn sandbox() -> Arc<Sandbox> {
    Arc::new(Sandbox::start().await.unwrap())
}

/// Signs in with the password and returns (poll id, challenge SID).
async fn start_signin(browser: &mut Browser, email: &str) -> (String, String) {
    let (status, body) = browser.signin(email, "correct horse battery").await;
    assert_eq!(status, 202, "{body}");
    (
        body["poll"].as_str().unwrap().to_string(),
        body["challenge"].as_str().unwrap().to_string(),
    )
}

async fn sign_up_and_sign_in_with_approve(db: Db) {
    let Some(url) = database(db, "approve").await else {
        return;
    };
    let sandbox = sandbox().await;
    let app = start(&sandbox, &url, true, LOGIN_TTL).await;
    let mut browser = user_with_phone(&sandbox, &app, "ada@example.com").await;

    // A wrong password gets nowhere near the phone.
    let (status, body) = browser.signin("ada@example.com", "wrong password").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("bad_credentials"))
    );
    // Taken emails and bad input are JSON errors with a code, never a 500.
    let (status, body) = Browser::new(&app)
        .signup("ADA@example.com", "another password")
        .await;
    assert_eq!((status, body["code"].as_str()), (409, Some("email_taken")));
    let (status, body) = Browser::new(&app).signup("bob@example.com", "short").await;
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_password")));
    let (status, body) = Browser::new(&app)
        .send("POST", "/signup", Some(serde_json::json!({ "email": 1 })))
        .await;
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")));

    let (poll, challenge) = start_signin(&mut browser, "ada@example.com").await;
    assert!(
        !browser.signed_in().await,
        "no session before the phone answers"
    );
    sandbox.phone().approve(&challenge).await.unwrap();
    assert_eq!(browser.outcome(&poll).await, "approved");
    assert!(browser.signed_in().await);
    // The approval is turned into a session once: another poll gets no second cookie.
    let mut thief = Browser::new(&app);
    assert_eq!(thief.outcome(&poll).await, "consumed");
    assert!(!thief.signed_in().await);
    app.stop();
}

async fn sign_in_with_deny(db: Db) {
    let Some(url) = database(db, "deny").await else {
        return;
    };
    let sandbox = sandbox().await;
    let app = start(&sandbox, &url, true, LOGIN_TTL).await;
    let mut browser = user_with_phone(&sandbox, &app, "ada@example.com").await;
    let (poll, challenge) = start_signin(&mut browser, "ada@example.com").await;
    sandbox.phone().deny(&challenge).await.unwrap();
    assert_eq!(browser.outcome(&poll).await, "denied");
    assert!(!browser.signed_in().await);
    app.stop();
}

async fn sign_in_expires(db: Db) {
    let Some(url) = database(db, "expiry").await else {
        return;
    };
    let sandbox = sandbox().await;
    let app = start(&sandbox, &url, true, Duration::from_secs(2)).await;
    let mut browser = user_with_phone(&sandbox, &app, "ada@example.com").await;
    let (poll, _) = start_signin(&mut browser, "ada@example.com").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(browser.outcome(&poll).await, "expired");
    assert!(!browser.signed_in().await);
    app.stop();
}

/// Webhooks delivered by the test: a replay is applied once; a bad signature changes nothing.
async fn webhooks_are_checked_and_applied_once(db: Db) {
    let Some(url) = database(db, "webhooks").await else {
        return;
    };
    let sandbox = sandbox().await;
    let app = start(&sandbox, &url, false, LOGIN_TTL).await;
    let mut browser = user_with_phone(&sandbox, &app, "ada@example.com").await;
    let (poll, challenge) = start_signin(&mut browser, "ada@example.com").await;

    // A forged approval: 403, and the login still waits.
    let forged = answer_event(&sandbox, "uuid-forged", "challenge.approved", &challenge);
    assert_eq!(deliver(&app, "not the auth token", &forged).await, 403);
    let (_, body) = browser.send("GET", &format!("/login/{poll}"), None).await;
    assert_eq!(body["status"], "pending");

    let denied = answer_event(&sandbox, "uuid-1", "challenge.denied", &challenge);
    assert_eq!(deliver(&app, sandbox.auth_token(), &denied).await, 204);
    assert_eq!(deliver(&app, sandbox.auth_token(), &denied).await, 204);
    assert_eq!(browser.outcome(&poll).await, "denied");
    let (_, events) = browser.send("GET", "/events", None).await;
    assert_eq!(events.as_array().unwrap().len(), 1, "{events}");
    app.stop();
}

/// Users, sessions and processed webhook ids survive a restart.
async fn restart_keeps_users_sessions_and_dedup_ids(db: Db) {
    let Some(url) = database(db, "restart").await else {
        return;
    };
    let sandbox = sandbox().await;
    let app = start(&sandbox, &url, false, LOGIN_TTL).await;
    let mut browser = user_with_phone(&sandbox, &app, "ada@example.com").await;
    let (poll, challenge) = start_signin(&mut browser, "ada@example.com").await;
    let approved = answer_event(&sandbox, "uuid-restart", "challenge.approved", &challenge);
    assert_eq!(deliver(&app, sandbox.auth_token(), &approved).await, 204);
    assert_eq!(browser.outcome(&poll).await, "approved");
    app.stop();

    let app = start(&sandbox, &url, false, LOGIN_TTL).await;
    let mut browser = browser.at(&app);
    assert!(browser.signed_in().await, "the session survived");
    // The phone stays bound to its user in the database.
    let store = push_login::store::open(&url).await.unwrap();
    let user = store
        .user_by_email("ada@example.com")
        .await
        .unwrap()
        .unwrap();
    let factors = store.factors(&user.id).await.unwrap();
    assert_eq!(factors.len(), 1, "{factors:?}");
    assert!(factors[0].sid.starts_with("YF"), "{factors:?}");
    assert_eq!(deliver(&app, sandbox.auth_token(), &approved).await, 204);
    let (_, events) = browser.send("GET", "/events", None).await;
    assert_eq!(
        events.as_array().unwrap().len(),
        0,
        "the replay was known: {events}"
    );
    let mut again = Browser::new(&app);
    assert_eq!(
        again
            .signin("ada@example.com", "correct horse battery")
            .await
            .0,
        202
    );
    app.stop();
}

/// Two instances, one PostgreSQL database: the sign-in starts on A, the sandbox delivers the
/// webhook to B only, the browser polls A, and the session then works on both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_one_postgres_database() {
    let Some(url) = database(Db::Postgres, "two_instances").await else {
        return;
    };
    let sandbox = sandbox().await;
    let a = start(&sandbox, &url, false, LOGIN_TTL).await;
    let b = start(&sandbox, &url, true, LOGIN_TTL).await;
    let mut on_a = user_with_phone(&sandbox, &a, "ada@example.com").await;
    let (poll, challenge) = start_signin(&mut on_a, "ada@example.com").await;
    sandbox.phone().approve(&challenge).await.unwrap();
    assert_eq!(on_a.outcome(&poll).await, "approved");
    assert!(on_a.signed_in().await);
    let mut on_b = on_a.at(&b);
    assert!(on_b.signed_in().await, "B knows A's session");
    let (_, events) = on_b.send("GET", "/events", None).await;
    assert!(
        events.to_string().contains("challenge.approved"),
        "{events}"
    );
    let (_, events) = on_a.send("GET", "/events", None).await;
    assert_eq!(
        events.as_array().unwrap().len(),
        0,
        "A got no webhook: {events}"
    );
    a.stop();
    b.stop();
}

/// A form post without the CSRF token is refused, and nothing is created.
async fn csrf_less_requests_are_refused(db: Db) {
    let Some(url) = database(db, "csrf").await else {
        return;
    };
    let sandbox = sandbox().await;
    let app = start(&sandbox, &url, true, LOGIN_TTL).await;
    let mut forged = Browser::new(&app);
    forged.send_csrf = false;
    let (status, body) = forged
        .signup("eve@example.com", "correct horse battery")
        .await;
    assert_eq!((status, body["code"].as_str()), (403, Some("csrf")));
    // A token from another browser (another cookie) does not do either.
    let mut other = Browser::new(&app);
    other.send("GET", "/me", None).await;
    let (_, token) = other.send("GET", "/csrf", None).await;
    forged.send_csrf = true;
    forged.csrf = token["token"].as_str().map(str::to_owned);
    assert_eq!(
        forged
            .signup("eve@example.com", "correct horse battery")
            .await
            .0,
        403
    );
    // The honest browser can sign up with that email: nothing was created.
    assert_eq!(
        Browser::new(&app)
            .signup("eve@example.com", "correct horse battery")
            .await
            .0,
        201
    );
    app.stop();
}

/// Sign-in is limited per user (5 a minute by default) and per IP.
async fn sign_in_is_rate_limited(db: Db) {
    let Some(url) = database(db, "rate_limit").await else {
        return;
    };
    let sandbox = sandbox().await;
    let app = start(&sandbox, &url, true, LOGIN_TTL).await;
    let mut browser = Browser::new(&app);
    assert_eq!(
        browser
            .signup("ada@example.com", "correct horse battery")
            .await
            .0,
        201
    );
    for _ in 0..5 {
        assert_eq!(
            browser.signin("ada@example.com", "wrong password").await.0,
            401
        );
    }
    let (status, body) = browser
        .signin("ada@example.com", "correct horse battery")
        .await;
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
    // Another user from the same address still gets through (the IP limit is higher).
    assert_eq!(
        browser.signin("bob@example.com", "wrong password").await.0,
        401
    );
    app.stop();
}

macro_rules! on_both {
    ($($case:ident),*) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() { super::$case(super::Db::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() { super::$case(super::Db::Postgres).await })*
        }
    };
}

on_both!(
    sign_up_and_sign_in_with_approve,
    sign_in_with_deny,
    sign_in_expires,
    webhooks_are_checked_and_applied_once,
    restart_keeps_users_sessions_and_dedup_ids,
    csrf_less_requests_are_refused,
    sign_in_is_rate_limited
);
