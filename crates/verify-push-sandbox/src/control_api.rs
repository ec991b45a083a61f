//! The control API under `/_sandbox/`: the virtual phone and the clock over plain HTTP and JSON,
//! so a test suite in any language (pytest, `node --test`) drives the whole flow without Rust.
//!
//! Like the phone page it sits outside the API's authentication, which is safe only because the
//! sandbox listens on 127.0.0.1. Enroll, list, approve and deny go through the same
//! [`VirtualDevice`] as the phone page and `verify-push device`: real, signed HTTP requests to
//! the sandbox, so what a test sees is what the mobile SDK would. Errors are JSON
//! `{"code": "...", "message": "..."}` with a 4xx status (502 when the sandbox's own API
//! refused the phone), so a test can assert on the code rather than on wording.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::device::{DeviceError, Enrollment, PendingChallenge};
use crate::state::SharedState;

/// The longest single clock advance: 10 years, far beyond any Verify lifetime, and small enough
/// that the sandbox's time stays a valid date.
const MAX_ADVANCE_SECONDS: u64 = 10 * 366 * 24 * 3600;

/// The control routes, merged outside the API's intake layer.
pub(crate) fn router() -> Router<Arc<SharedState>> {
    Router::new()
        .route("/_sandbox/devices", post(enroll).get(devices))
        .route("/_sandbox/challenges", get(challenges))
        .route("/_sandbox/challenges/{sid}/{answer}", post(answer))
        .route("/_sandbox/clock", get(clock))
        .route("/_sandbox/clock/advance", post(advance))
        .route("/_sandbox/reset", post(reset))
        // Not a router fallback: the API router has that one (Twilio's 404).
        .route("/_sandbox/{*rest}", axum::routing::any(unknown))
}

/// A control error: a stable machine-readable `code` and a message naming the field or thing.
struct ControlError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// The Twilio error behind a `twilio_error`, for a test that wants it.
    twilio: Option<(u16, u64)>,
}

impl ControlError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            twilio: None,
        }
    }
}

impl From<DeviceError> for ControlError {
    fn from(error: DeviceError) -> Self {
        let message = error.to_string();
        match error {
            DeviceError::InvalidEnrollment(_) | DeviceError::InvalidState(_) => {
                Self::new(StatusCode::BAD_REQUEST, "invalid_enrollment", message)
            }
            DeviceError::UnknownChallenge(_) => {
                Self::new(StatusCode::NOT_FOUND, "unknown_challenge", message)
            }
            DeviceError::NotPending { .. } => {
                Self::new(StatusCode::CONFLICT, "challenge_not_pending", message)
            }
            DeviceError::Twilio { status, code, .. } => {
                // The sandbox's API refused the phone: a 4xx of the API is the caller's input
                // (e.g. an expired enrollment token), so it stays a 4xx here.
                let shown = StatusCode::from_u16(status)
                    .ok()
                    .filter(StatusCode::is_client_error)
                    .unwrap_or(StatusCode::BAD_GATEWAY);
                Self {
                    twilio: Some((status, code)),
                    ..Self::new(shown, "twilio_error", message)
                }
            }
            _ => Self::new(StatusCode::BAD_GATEWAY, "phone_request_failed", message),
        }
    }
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let mut body = json!({ "code": self.code, "message": self.message });
        if let Some((status, code)) = self.twilio {
            body["twilio_status"] = json!(status);
            body["twilio_code"] = json!(code);
        }
        json_response(self.status, &body)
    }
}

type Answer = Result<Response, ControlError>;

fn ok(status: StatusCode, value: Value) -> Answer {
    Ok(json_response(status, &value))
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

/// Reads a JSON object body, naming what is wrong with it.
fn json_object(body: &Bytes) -> Result<Value, ControlError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        ControlError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the body is not JSON: {e}"),
        )
    })?;
    if !value.is_object() {
        return Err(ControlError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "the body must be a JSON object",
        ));
    }
    Ok(value)
}

/// `POST /_sandbox/devices`: enroll the phone from the access-token JSON (the app's
/// `{token, serviceSid, identity, factorType}` or the access-token resource as an SDK returns
/// it, snake_case or camelCase). Answers the verified factor.
async fn enroll(State(state): State<Arc<SharedState>>, body: Bytes) -> Answer {
    let value = json_object(&body)?;
    let enrollment = Enrollment::from_json(&value.to_string())?;
    let factor = state.phone().enroll(&enrollment).await?;
    ok(
        StatusCode::CREATED,
        json!({
            "factor_sid": factor.sid,
            "identity": factor.identity,
            "service_sid": factor.service_sid,
            "friendly_name": factor.friendly_name,
            "status": "verified",
        }),
    )
}

/// `GET /_sandbox/devices`: the factors the phone holds (never their keys).
async fn devices(State(state): State<Arc<SharedState>>) -> Answer {
    let devices: Vec<Value> = state
        .phone()
        .factors()
        .into_iter()
        .map(|f| {
            json!({
                "factor_sid": f.sid,
                "identity": f.identity,
                "service_sid": f.service_sid,
                "friendly_name": f.friendly_name,
            })
        })
        .collect();
    ok(StatusCode::OK, json!({ "devices": devices }))
}

/// Filters of `GET /_sandbox/challenges`.
#[derive(Debug, Default, Deserialize)]
struct ChallengeFilter {
    factor_sid: Option<String>,
    identity: Option<String>,
}

fn challenge_json(challenge: &PendingChallenge) -> Value {
    let fields: Vec<Value> = challenge
        .fields
        .iter()
        .map(|(label, value)| json!({ "label": label, "value": value }))
        .collect();
    json!({
        "sid": challenge.sid,
        "factor_sid": challenge.factor_sid,
        "identity": challenge.identity,
        "message": challenge.message,
        "fields": fields,
        "expiration_date": challenge.expiration_date,
        "status": "pending",
    })
}

/// `GET /_sandbox/challenges[?factor_sid=YF…][&identity=…]`: the phone's pending challenges
/// with their details, as the app would show them, oldest first.
async fn challenges(
    State(state): State<Arc<SharedState>>,
    Query(filter): Query<ChallengeFilter>,
) -> Answer {
    let pending = state.phone().pending_challenges().await?;
    let listed: Vec<Value> = pending
        .iter()
        .filter(|c| {
            filter
                .factor_sid
                .as_ref()
                .is_none_or(|f| *f == c.factor_sid)
        })
        .filter(|c| filter.identity.as_ref().is_none_or(|i| *i == c.identity))
        .map(challenge_json)
        .collect();
    ok(StatusCode::OK, json!({ "challenges": listed }))
}

/// `POST /_sandbox/challenges/{sid}/approve` or `/deny`: the phone answers, signed as the SDK
/// signs it.
async fn answer(
    State(state): State<Arc<SharedState>>,
    Path((sid, answer)): Path<(String, String)>,
) -> Answer {
    let phone = state.phone();
    let status = match answer.as_str() {
        "approve" => {
            phone.approve(&sid).await?;
            "approved"
        }
        "deny" => {
            phone.deny(&sid).await?;
            "denied"
        }
        other => {
            return Err(ControlError::new(
                StatusCode::NOT_FOUND,
                "unknown_route",
                format!("unknown answer {other:?}: use approve or deny"),
            ));
        }
    };
    ok(StatusCode::OK, json!({ "sid": sid, "status": status }))
}

fn clock_json(state: &SharedState) -> Value {
    json!({
        "now": crate::resources::model::timestamp(state.now()),
        "offset_seconds": state.clock_offset().num_seconds(),
    })
}

/// `GET /_sandbox/clock`: the sandbox's time and how far it is ahead of the system clock.
async fn clock(State(state): State<Arc<SharedState>>) -> Answer {
    ok(StatusCode::OK, clock_json(&state))
}

/// `POST /_sandbox/clock/advance` with `{"seconds": N}`: moves the sandbox's clock forward, so
/// an expiry test takes milliseconds. Challenges, access tokens and unverified factors expire
/// by it.
async fn advance(State(state): State<Arc<SharedState>>, body: Bytes) -> Answer {
    let value = json_object(&body)?;
    let seconds = value
        .get("seconds")
        .and_then(Value::as_u64)
        .filter(|s| *s <= MAX_ADVANCE_SECONDS)
        .ok_or_else(|| {
            ControlError::new(
                StatusCode::BAD_REQUEST,
                "invalid_seconds",
                format!(
                    "seconds must be a whole number from 0 to {MAX_ADVANCE_SECONDS}, got {}",
                    value.get("seconds").unwrap_or(&Value::Null)
                ),
            )
        })?;
    // In range by the filter above, so the conversion cannot fail.
    state.advance_clock(chrono::Duration::seconds(
        i64::try_from(seconds).unwrap_or(i64::MAX),
    ));
    ok(StatusCode::OK, clock_json(&state))
}

/// `POST /_sandbox/reset`: forgets every entity, factor, challenge, webhook, access token, the
/// phone's factors, queued failures and the request log, and puts the clock back to real time.
/// The credentials and service stay.
async fn reset(State(state): State<Arc<SharedState>>) -> Answer {
    state.reset();
    ok(StatusCode::OK, json!({}))
}

async fn unknown() -> ControlError {
    ControlError::new(
        StatusCode::NOT_FOUND,
        "unknown_route",
        "no such control route; see docs/sandbox.md#the-control-api",
    )
}
