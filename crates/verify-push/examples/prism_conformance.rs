//! Runs the library's calls (access tokens, and the push flow: challenges, notifications,
//! factors, entities, webhooks) and a raw `create_challenge`, against a server that
//! validates requests against Twilio's spec (Prism in mock mode, started by
//! `.ci/prism-conformance`), the way Twilio tests its own generated SDKs. Any rejection or decode failure exits non-zero.
//!
//! ```sh
//! cargo run -p verify-push --example prism_conformance -- http://127.0.0.1:4010
//! ```

use std::process::ExitCode;
use std::time::Duration;

use verify_push::{Client, Credentials, RetryPolicy};

// Well-formed fakes: Prism checks shapes, not accounts.
const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
const SERVICE_SID: &str = "VA0123456789abcdef0123456789abcdef";
const IDENTITY: &str = "ff483d1ff591898a9942916050d2ca3f";
const FACTOR_SID: &str = "YF0123456789abcdef0123456789abcdef";
const CHALLENGE_SID: &str = "YC0123456789abcdef0123456789abcdef";
const WEBHOOK_SID: &str = "YW0123456789abcdef0123456789abcdef";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Some(base_url) = std::env::args().nth(1) else {
        eprintln!("usage: prism_conformance BASE_URL");
        return ExitCode::from(2);
    };
    let client = match Client::builder()
        .credentials(Credentials::auth_token(
            ACCOUNT_SID,
            "prism-does-not-check-the-token",
        ))
        .base_url(base_url)
        // A rejection must show up as a failure, not be retried away.
        .retry_policy(RetryPolicy::none())
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let tokens = client.access_tokens(SERVICE_SID);

    let mut failures = 0;
    let mut report = |name: &str, result: Result<String, String>| match result {
        Ok(detail) => println!("ok     {name}: {detail}"),
        Err(e) => {
            failures += 1;
            println!("FAILED {name}: {e}");
        }
    };

    let full = tokens
        .create(IDENTITY)
        .factor_friendly_name("John Doe iPhone")
        .ttl(Duration::from_secs(300))
        .send()
        .await;
    let created_sid = full.as_ref().ok().map(|t| t.sid().clone());
    report(
        "create with every field",
        full.map(|t| format!("{} (ttl {} s)", t.sid(), t.ttl().as_secs()))
            .map_err(|e| e.to_string()),
    );

    let minimal = tokens.create(IDENTITY).send().await;
    report(
        "create with required fields only",
        minimal
            .map(|t| t.sid().to_string())
            .map_err(|e| e.to_string()),
    );

    match created_sid {
        Some(sid) => {
            let fetched = tokens.fetch(&sid).await;
            report(
                "fetch",
                fetched
                    .map(|t| t.sid().to_string())
                    .map_err(|e| e.to_string()),
            );
        }
        None => report("fetch", Err("not attempted: create failed".into())),
    }

    // The generated crate directly: a challenge with an expiration date, which must go out as
    // an RFC 3339 date-time (the template patch; chrono's Display is rejected). Given in a
    // non-UTC offset so the conversion to UTC is exercised too. No `Details.Fields`: Prism
    // rejects every array form parameter of this spec, however it is encoded.
    let expires = (chrono::Utc::now() + chrono::Duration::minutes(5))
        .with_timezone(&chrono::FixedOffset::east_opt(2 * 3600).expect("a valid offset"));
    let challenge = verify_push::raw::apis::verify_v2_challenge_api::create_challenge(
        &client.raw(),
        SERVICE_SID,
        IDENTITY,
        FACTOR_SID,
        Some(expires),
        Some("Login request from Chrome on macOS"),
        None,
        None,
        None,
    )
    .await;
    report(
        "raw create_challenge with an expiration date and a message",
        challenge
            .map(|c| format!("{:?}", c.sid.flatten()))
            .map_err(|e| e.to_string()),
    );

    // The rest of the push flow through the library. Not here: webhook create and challenge
    // fields (array form parameters, which Prism rejects whatever the encoding; the wire tests
    // in crates/verify-push/tests/wire.rs pin them instead).
    let push = client.service(SERVICE_SID);
    let user = push.entity(IDENTITY);
    let challenges = user.challenges();
    let created = challenges
        .create(FACTOR_SID)
        .message("Log in to Example from Chrome on macOS?")
        .hidden_detail("ip", "203.0.113.7")
        .expires_in(Duration::from_secs(120))
        .send()
        .await;
    report(
        "challenge create with message, hidden details and expiry",
        created
            .map(|c| c.sid().to_string())
            .map_err(|e| e.to_string()),
    );
    report(
        "challenge fetch",
        challenges
            .fetch(CHALLENGE_SID)
            .await
            .map(|c| c.status().to_string())
            .map_err(|e| e.to_string()),
    );
    report(
        "challenge list filtered",
        challenges
            .list()
            .status(verify_push::ChallengeStatus::Pending)
            .factor(FACTOR_SID)
            .page_size(10)
            .limit(10)
            .await
            .map(|l| format!("{} challenges", l.len()))
            .map_err(|e| e.to_string()),
    );
    report(
        "notification create with ttl",
        challenges
            .notifications(CHALLENGE_SID)
            .create()
            .ttl(Duration::from_secs(60))
            .send()
            .await
            .map(|n| n.sid().to_string())
            .map_err(|e| e.to_string()),
    );
    report(
        "factor list",
        user.factors()
            .list()
            .limit(5)
            .await
            .map(|l| format!("{} factors", l.len()))
            .map_err(|e| e.to_string()),
    );
    report(
        "factor fetch",
        user.factors()
            .fetch(FACTOR_SID)
            .await
            .map(|f| f.status().to_string())
            .map_err(|e| e.to_string()),
    );
    report(
        "factor rename",
        user.factors()
            .rename(FACTOR_SID, "Work phone")
            .await
            .map(|f| f.sid().to_string())
            .map_err(|e| e.to_string()),
    );
    report(
        "factor delete",
        user.factors()
            .delete(FACTOR_SID)
            .await
            .map(|()| "deleted".into())
            .map_err(|e| e.to_string()),
    );
    report(
        "entity create",
        push.entities()
            .create(IDENTITY)
            .await
            .map(|e| e.sid().to_string())
            .map_err(|e| e.to_string()),
    );
    report(
        "entity fetch",
        user.fetch()
            .await
            .map(|e| e.sid().to_string())
            .map_err(|e| e.to_string()),
    );
    report(
        "entity list",
        push.entities()
            .list()
            .limit(5)
            .await
            .map(|l| format!("{} entities", l.len()))
            .map_err(|e| e.to_string()),
    );
    report(
        "entity delete",
        user.delete()
            .await
            .map(|()| "deleted".into())
            .map_err(|e| e.to_string()),
    );
    report(
        "webhook list",
        push.webhooks()
            .list()
            .await
            .map(|l| format!("{} webhooks", l.len()))
            .map_err(|e| e.to_string()),
    );
    report(
        "webhook fetch",
        push.webhooks()
            .fetch(WEBHOOK_SID)
            .await
            .map(|w| w.sid().to_string())
            .map_err(|e| e.to_string()),
    );
    report(
        "webhook update",
        push.webhooks()
            .update(WEBHOOK_SID)
            .friendly_name("login answers")
            .status(verify_push::types::WebhookStatus::Disabled)
            .send()
            .await
            .map(|w| w.sid().to_string())
            .map_err(|e| e.to_string()),
    );
    report(
        "webhook delete",
        push.webhooks()
            .delete(WEBHOOK_SID)
            .await
            .map(|()| "deleted".into())
            .map_err(|e| e.to_string()),
    );

    if failures == 0 {
        println!("prism conformance: every request accepted and every response decoded");
        ExitCode::SUCCESS
    } else {
        println!("prism conformance: {failures} operation(s) failed");
        ExitCode::FAILURE
    }
}
