//! Notifications (`…/Challenges/{ChallengeSid}/Notifications`): "resend the push" for a pending
//! challenge. The sandbox has no push channel; it records the notification's count and answers
//! with Twilio's resource. A device finds pending challenges by listing them.

use std::sync::Arc;

use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use serde_json::json;

use super::errors::{challenge_expired, challenge_not_found};
use super::http::{Answer, check_service, field, invalid, json, require_account};
use super::model::timestamp;
use crate::auth::Caller;
use crate::ids;
use crate::intake::FormFields;
use crate::state::SharedState;
use crate::twilio_error::TwilioError;

/// "Max push notifications per challenge" (Twilio error table, 60309), 429.
const TOO_MANY_NOTIFICATIONS: u32 = 60309;
/// Push notifications per challenge, including the first (Twilio error table, 60309).
const MAX_NOTIFICATIONS: u32 = 3;

// Ttl: integer 0..=300 seconds, default 300 (spec CreateNotification).
fn parse_ttl(raw: Option<&str>) -> Result<u32, TwilioError> {
    match raw {
        None => Ok(300),
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|ttl| *ttl <= 300)
            .ok_or_else(|| {
                invalid(format!(
                    "Invalid parameter: Ttl must be an integer from 0 to 300 (seconds), got {raw:?}"
                ))
            }),
    }
}

/// CreateNotification: `POST …/Challenges/{ChallengeSid}/Notifications` with optional `Ttl`.
pub(crate) async fn create(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity, challenge_sid)): Path<(String, String, String)>,
    Extension(caller): Extension<Caller>,
    Extension(FormFields(fields)): Extension<FormFields>,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Entities")?;
    let ttl = parse_ttl(field(&fields, "Ttl"))?;
    let now = state.now();
    let mut store = state.store(&service_sid)?;
    let challenge = store
        .challenge_mut(&identity, &challenge_sid)
        .ok_or_else(|| challenge_not_found(&challenge_sid))?;
    match challenge.status(now) {
        "pending" => {}
        // On an expired challenge it errors: create a new challenge instead
        // (https://www.twilio.com/docs/verify/api/notifications-resource).
        "expired" => return Err(challenge_expired(&challenge_sid).into()),
        done => {
            return Err(invalid(format!(
                "Challenge {challenge_sid} is already {done}: notifications are for pending challenges"
            ))
            .into());
        }
    }
    // The creation's push counts as the first of the three.
    if challenge.notifications + 1 >= MAX_NOTIFICATIONS {
        return Err(TwilioError::new(
            StatusCode::TOO_MANY_REQUESTS,
            TOO_MANY_NOTIFICATIONS,
            format!("Max {MAX_NOTIFICATIONS} push notifications per challenge reached"),
        )
        .into());
    }
    challenge.notifications += 1;
    let body = json!({
        "sid": ids::random_sid("NT"),
        "account_sid": state.credentials.account_sid,
        "service_sid": service_sid,
        "entity_sid": challenge.entity_sid,
        "identity": identity,
        "challenge_sid": challenge_sid,
        "date_created": timestamp(now),
        "priority": "high",
        "ttl": ttl,
    });
    Ok(json(StatusCode::CREATED, &body))
}
