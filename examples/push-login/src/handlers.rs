//! The endpoints. Each turns a `verify-push` error into a JSON `{"error"}` with a fitting
//! status, never a panic and never a secret (the library's errors carry none).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::json;
use verify_push::challenges::Challenge;
use verify_push::{ChallengeStatus, Error};

use crate::AppState;
use crate::webhook_log::Recorded;

pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/enroll", post(enroll))
        .route("/devices", get(devices))
        .route("/devices/{sid}", delete(delete_device))
        .route("/login", post(login))
        .route("/login/{sid}", get(login_status))
        .route("/webhooks/verify", post(webhook))
        .route("/events", get(events))
        // A slow upstream must not hold a request (and its connection) forever.
        .layer(axum::middleware::from_fn(
            |request, next: axum::middleware::Next| async move {
                match tokio::time::timeout(crate::REQUEST_TIMEOUT, next.run(request)).await {
                    Ok(response) => response,
                    Err(_) => failure(StatusCode::GATEWAY_TIMEOUT, "the request took too long"),
                }
            },
        ))
        .with_state(state)
}

async fn page() -> Html<&'static str> {
    Html(include_str!("page.html"))
}

/// `POST /enroll`: an enrollment token for the signed-in user, as the app needs it.
async fn enroll(State(state): State<Arc<AppState>>) -> Response {
    let created = state
        .client
        .service(&state.service_sid)
        .access_tokens()
        .create(state.identity.as_str())
        .factor_friendly_name("My phone")
        .ttl(Duration::from_secs(300))
        .send()
        .await;
    match created {
        Ok(token) => Json(token.enrollment()).into_response(),
        Err(e) => error(&e),
    }
}

/// `GET /devices`: the signed-in user's factors.
async fn devices(State(state): State<Arc<AppState>>) -> Response {
    let user = state
        .client
        .service(&state.service_sid)
        .entity(state.identity.as_str());
    match user.factors().list().limit(50).await {
        Ok(factors) => Json(
            factors
                .iter()
                .map(|f| {
                    json!({
                        "sid": f.sid(),
                        "friendly_name": f.friendly_name(),
                        "status": f.status(),
                    })
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        // A user who never enrolled has no Entity yet: no devices.
        Err(e) if e.status() == Some(404) => Json(json!([])).into_response(),
        Err(e) => error(&e),
    }
}

/// `DELETE /devices/{sid}`: removes one of the user's factors.
async fn delete_device(State(state): State<Arc<AppState>>, Path(sid): Path<String>) -> Response {
    let user = state
        .client
        .service(&state.service_sid)
        .entity(state.identity.as_str());
    match user.factors().delete(&sid).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => error(&e),
    }
}

/// `POST /login`: a challenge to the user's newest verified device, naming the browser and IP.
async fn login(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let user = state
        .client
        .service(&state.service_sid)
        .entity(state.identity.as_str());
    let factors = match user.factors().list().limit(50).await {
        Ok(factors) => factors,
        Err(e) if e.status() == Some(404) => Vec::new(),
        Err(e) => return error(&e),
    };
    let Some(device) = factors.iter().rev().find(|f| f.is_verified()) else {
        return failure(
            StatusCode::CONFLICT,
            "no verified device: enroll a phone first",
        );
    };
    let browser = browser_name(
        headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    );
    let ip = peer.ip().to_string();
    let created = user
        .challenges()
        .create(device.sid())
        .message(format!("Log in to the push-login example from {browser}?"))
        .field("Browser", browser)
        .field("IP address", ip.as_str())
        .hidden_detail("ip", ip.as_str())
        .expires_in(Duration::from_secs(300))
        .send()
        .await;
    match created {
        Ok(challenge) => {
            (StatusCode::CREATED, Json(json!({ "sid": challenge.sid() }))).into_response()
        }
        Err(e) => error(&e),
    }
}

/// `GET /login/{sid}`: one fetch; the page polls it.
async fn login_status(State(state): State<Arc<AppState>>, Path(sid): Path<String>) -> Response {
    let user = state
        .client
        .service(&state.service_sid)
        .entity(state.identity.as_str());
    match user.challenges().fetch(&sid).await {
        Ok(challenge) => {
            Json(json!({ "sid": challenge.sid(), "status": status(&challenge) })).into_response()
        }
        Err(e) => error(&e),
    }
}

/// What the page shows: Twilio's status, with a pending challenge past its expiry as expired.
fn status(challenge: &Challenge) -> &str {
    match challenge.status() {
        ChallengeStatus::Pending
            if challenge
                .expiration_date()
                .is_some_and(|at| at < chrono_now()) =>
        {
            "expired"
        }
        other => other.as_str(),
    }
}

fn chrono_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// `POST /webhooks/verify`: Twilio's (or the sandbox's) event, signature checked first.
async fn webhook(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(validator) = &state.validator else {
        return failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "no auth token configured to check webhook signatures",
        );
    };
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    match validator.verify(
        &state.webhook_url,
        header("x-twilio-signature"),
        header("content-type"),
        &body,
    ) {
        Ok(event) => {
            let fresh = state.events.record(Recorded {
                uuid: event.uuid().to_string(),
                event_type: event.event_type().to_string(),
                challenge_sid: event.challenge_sid().map(str::to_owned),
                factor_sid: event.factor_sid().map(str::to_owned),
            });
            crate::say(&format!(
                "webhook {} {}{}",
                event.event_type(),
                event.uuid(),
                if fresh { "" } else { " (duplicate, ignored)" }
            ));
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) if e.is_unauthenticated() => failure(StatusCode::FORBIDDEN, &e.to_string()),
        Err(e) => failure(StatusCode::BAD_REQUEST, &e.to_string()),
    }
}

/// `GET /events`: what the webhook received.
async fn events(State(state): State<Arc<AppState>>) -> Response {
    Json(state.events.all()).into_response()
}

/// A short browser name from a User-Agent, at most 128 characters (a challenge field's limit).
fn browser_name(user_agent: &str) -> String {
    let name = if user_agent.contains("Edg/") {
        "Edge"
    } else if user_agent.contains("Chrome/") || user_agent.contains("Chromium/") {
        "Chrome"
    } else if user_agent.contains("Firefox/") {
        "Firefox"
    } else if user_agent.contains("Safari/") {
        "Safari"
    } else if user_agent.is_empty() {
        "an unknown browser"
    } else {
        "a browser"
    };
    name.to_string()
}

fn error(e: &Error) -> Response {
    let status = match e {
        Error::InvalidInput(_) => StatusCode::BAD_REQUEST,
        Error::Api(api) if (400..500).contains(&api.status()) => {
            StatusCode::from_u16(api.status()).unwrap_or(StatusCode::BAD_GATEWAY)
        }
        Error::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
        _ => StatusCode::BAD_GATEWAY,
    };
    failure(status, &e.to_string())
}

fn failure(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_names_are_short() {
        assert_eq!(
            browser_name(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36 Chrome/156.0"
            ),
            "Chrome"
        );
        assert_eq!(browser_name(""), "an unknown browser");
        assert_eq!(browser_name("curl/8"), "a browser");
    }
}
