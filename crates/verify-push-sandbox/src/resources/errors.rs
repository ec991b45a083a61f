//! Verify's error codes for a missing or finished resource, shared by every resource that
//! looks one up (moto's `exceptions.py`): below all of them, so none imports another for these.

use axum::http::StatusCode;

use crate::twilio_error::TwilioError;

/// Verify's "entity not found" (<https://www.twilio.com/docs/api/errors/60392> ; reference
/// verify-push-flow.md section 2).
pub(crate) const ENTITY_NOT_FOUND: u32 = 60392;

/// 404 / 60392 for an identity without an entity.
pub(crate) fn entity_not_found(identity: &str) -> TwilioError {
    TwilioError::new(
        StatusCode::NOT_FOUND,
        ENTITY_NOT_FOUND,
        format!("Entity {identity} was not found"),
    )
}

/// "Entity already exists" (<https://www.twilio.com/docs/api/errors/60301>): 409.
pub(crate) const ENTITY_EXISTS: u32 = 60301;

/// 409 / 60301 for a CreateEntity whose identity already has an entity in the service.
pub(crate) fn entity_exists(identity: &str) -> TwilioError {
    TwilioError::new(
        StatusCode::CONFLICT,
        ENTITY_EXISTS,
        format!("Entity {identity} already exists"),
    )
}

/// "Factor not found" (<https://www.twilio.com/docs/api/errors/60390>).
pub(crate) const FACTOR_NOT_FOUND: u32 = 60390;

/// 404 / 60390.
pub(crate) fn factor_not_found(sid: &str) -> TwilioError {
    TwilioError::new(
        StatusCode::NOT_FOUND,
        FACTOR_NOT_FOUND,
        format!("Factor {sid} was not found"),
    )
}

/// "Challenge not found" (verify-push-flow.md section 2: 60391).
const CHALLENGE_NOT_FOUND: u32 = 60391;

/// "Challenge expired" (<https://www.twilio.com/docs/api/errors/60323>), 403.
pub(crate) const CHALLENGE_EXPIRED: u32 = 60323;

/// 404 / 60391.
pub(crate) fn challenge_not_found(sid: &str) -> TwilioError {
    TwilioError::new(
        StatusCode::NOT_FOUND,
        CHALLENGE_NOT_FOUND,
        format!("Challenge {sid} was not found"),
    )
}

/// 403 / 60323.
pub(crate) fn challenge_expired(sid: &str) -> TwilioError {
    TwilioError::new(
        StatusCode::FORBIDDEN,
        CHALLENGE_EXPIRED,
        format!("Challenge {sid} has expired"),
    )
}

pub(crate) fn webhook_not_found(service_sid: &str, sid: &str) -> TwilioError {
    TwilioError::not_found(&format!("/Services/{}/Webhooks/{sid}", service_sid))
}
