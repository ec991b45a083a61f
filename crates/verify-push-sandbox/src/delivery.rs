//! Delivering Verify events to the configured webhooks: a form POST signed with
//! `X-Twilio-Signature` ([`signature`](crate::resources::signature)), sent from a spawned task so
//! that the API never waits for a receiver, retried a bounded number of times with backoff, and
//! logged on stderr when it finally fails.
//!
//! The resource rules return their events as values on the response ([`Emitted`]); the
//! [`after_response`] layer takes them off and delivers them, after the store's lock is released
//! and the answer is ready. Delivery sits above the resources and is never called from them.
//!
//! Parameters (<https://www.twilio.com/docs/verify/api/webhooks>; verify-push-flow.md section 4,
//! where the names after `factor_type` are marked unverified): `uuid`, `type`, `account_sid`,
//! `service_sid`, `entity_identity`, `factor_sid`, `factor_type`, `factor_friendly_name`,
//! `factor_metadata` (v2, when set), `challenge_sid`, `challenge_details`,
//! `challenge_hidden_details` and `challenge_metadata` (when set), `updated_date`.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::ids;
use crate::log;
use crate::resources::model::{Challenge, Emitted, Event, EventType, Factor, timestamp};
use crate::resources::signature;
use crate::state::SharedState;

/// Attempts per delivery, the first included.
const MAX_ATTEMPTS: u32 = 3;
/// Wait before the first retry; doubled before each next one.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// How long one attempt may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);

fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(ATTEMPT_TIMEOUT)
            // A webhook URL is loopback; a redirect could lead elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default()
    })
}

/// The form parameters of one event.
fn params(
    state: &SharedState,
    service_sid: &str,
    event: EventType,
    version: &str,
    factor: &Factor,
    challenge: Option<&Challenge>,
) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = vec![
        ("uuid".into(), ids::uuid()),
        ("type".into(), event.as_str().into()),
        ("account_sid".into(), state.credentials.account_sid.clone()),
        ("service_sid".into(), service_sid.to_owned()),
        ("entity_identity".into(), factor.identity.clone()),
        ("factor_sid".into(), factor.sid.clone()),
        ("factor_type".into(), "push".into()),
        ("factor_friendly_name".into(), factor.friendly_name.clone()),
    ];
    if let (Some(metadata), "v2") = (&factor.metadata, version) {
        params.push(("factor_metadata".into(), metadata.to_string()));
    }
    let updated = match challenge {
        Some(challenge) => {
            params.push(("challenge_sid".into(), challenge.sid.clone()));
            params.push((
                "challenge_details".into(),
                challenge.details_json().to_string(),
            ));
            if let Some(hidden) = &challenge.hidden_details {
                params.push(("challenge_hidden_details".into(), hidden.to_string()));
            }
            if let Some(metadata) = &challenge.metadata {
                params.push(("challenge_metadata".into(), metadata.to_string()));
            }
            challenge.date_updated
        }
        None => state.now(),
    };
    params.push(("updated_date".into(), timestamp(updated)));
    params
}

/// The layer around the resource routes: runs the handler, then delivers the events its
/// response carries (and strips them, so nothing internal leaves with the response).
pub(crate) async fn after_response(
    State(state): State<Arc<SharedState>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    if let Some(Emitted {
        service_sid,
        events,
    }) = response.extensions_mut().remove::<Emitted>()
    {
        for event in &events {
            emit(&state, &service_sid, event);
        }
    }
    response
}

/// Sends `event` to every enabled webhook subscribed to it, in the background.
fn emit(state: &Arc<SharedState>, service_sid: &str, event: &Event) {
    let (factor, challenge) = (&event.factor, event.challenge.as_ref());
    let event = event.kind;
    // A service deleted meanwhile has no webhooks left to call.
    let Ok(store) = state.store(service_sid) else {
        return;
    };
    let targets: Vec<(String, String)> = store
        .webhooks
        .iter()
        .filter(|w| w.wants(event.as_str()))
        .map(|w| (w.webhook_url.clone(), w.version.clone()))
        .collect();
    drop(store);
    for (url, version) in targets {
        let params = params(state, service_sid, event, &version, factor, challenge);
        let signature = signature::sign(&state.credentials.auth_token, &url, &params);
        tokio::spawn(deliver(url, params, signature, event));
    }
}

async fn deliver(url: String, params: Vec<(String, String)>, signature: String, event: EventType) {
    let mut backoff = FIRST_BACKOFF;
    for attempt in 1..=MAX_ATTEMPTS {
        let result = client()
            .post(&url)
            .header("X-Twilio-Signature", &signature)
            .header("User-Agent", "TwilioProxy/1.1 (verify-push-sandbox)")
            .form(&params)
            .send()
            .await;
        let problem = match result {
            Ok(response) if response.status().is_success() => return,
            Ok(response) => format!("answered {}", response.status().as_u16()),
            Err(error) if error.is_timeout() => "timed out".to_owned(),
            Err(_) => "could not be reached".to_owned(),
        };
        if attempt == MAX_ATTEMPTS {
            log::line(&format!(
                "webhook {} to {url} {problem}; gave up after {MAX_ATTEMPTS} attempts",
                event.as_str()
            ));
            return;
        }
        tokio::time::sleep(backoff).await;
        backoff *= 2;
    }
}
