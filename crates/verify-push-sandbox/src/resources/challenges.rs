//! Challenges (`…/Entities/{Identity}/Challenges`): the backend creates one for a verified push
//! factor; the device fetches it (with the `Twilio-Verify-Signature-Fields` header) and answers
//! with a signed `AuthPayload`; it expires by the sandbox's clock at `expiration_date`.
//!
//! The answer follows twilio-verify-android
//! `verify/src/main/java/com/twilio/verify/domain/challenge/PushChallengeProcessor.kt`: a JWT
//! (`alg: ES256`, `typ: JWT`) whose payload holds, for each name in the header, the value of
//! that field of the fetched challenge, plus `status` (`approved` or `denied`), signed by the
//! factor's key. The header is split on `,` (`domain/challenge/ChallengeMapper.kt`).

use std::sync::Arc;

use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::device_auth::authenticate_factor;
use super::errors::{challenge_expired, challenge_not_found, entity_not_found, factor_not_found};
use super::http::{
    Answer, Reject, all, chars, check_service, field, invalid, json, require_account, required,
    with_events,
};
use super::model::{Answered, Challenge, Event, EventType};
use super::page::{list_page, query_pairs};
use crate::auth::{self, Caller};
use crate::ids;
use crate::intake::FormFields;
use crate::state::SharedState;
use crate::twilio_error::TwilioError;

/// The response header naming the fields a device signs (`api/ChallengeAPIClient.kt`,
/// `signatureFieldsHeader`).
pub(crate) const SIGNATURE_FIELDS_HEADER: HeaderName =
    HeaderName::from_static("twilio-verify-signature-fields");
/// The fields the sandbox asks the device to sign: everything that identifies the challenge and
/// what the user was shown, so an answer cannot be replayed on another challenge. (Twilio's own
/// list is not documented.)
pub(crate) const SIGNATURE_FIELDS: &str = "sid,account_sid,service_sid,entity_sid,identity,factor_sid,date_created,date_updated,expiration_date,details,hidden_details";

/// "Factor is not verified" (<https://www.twilio.com/docs/api/errors/60318>), 403.
const FACTOR_UNVERIFIED: u32 = 60318;
/// "Challenge verification failed" (<https://www.twilio.com/docs/api/errors/60324>), 403.
const CHALLENGE_VERIFICATION_FAILED: u32 = 60324;
/// "Challenge details invalid" (<https://www.twilio.com/docs/api/errors/60368>), 400.
const DETAILS_INVALID: u32 = 60368;

/// Default lifetime: 5 minutes (spec CreateChallenge `ExpirationDate`).
const DEFAULT_LIFETIME_MINUTES: i64 = 5;
/// Longest lifetime: 60 minutes after creation (spec CreateChallenge `ExpirationDate`).
const MAX_LIFETIME_MINUTES: i64 = 60;

fn details_invalid(message: impl Into<String>) -> TwilioError {
    TwilioError::new(StatusCode::BAD_REQUEST, DETAILS_INVALID, message)
}

// Details.Message: required for push, at most 256 characters (spec; https://www.twilio.com/docs/api/errors/60368).
fn check_message(message: Option<&str>) -> Result<String, TwilioError> {
    match message {
        Some(m) if !m.is_empty() && chars(m) <= 256 => Ok(m.to_owned()),
        Some(m) if !m.is_empty() => Err(details_invalid(
            "Challenge details invalid: Details.Message must be at most 256 characters",
        )),
        _ => Err(details_invalid(
            "Challenge details invalid: Details.Message is required for a push challenge",
        )),
    }
}

// Details.Fields: each a JSON {"label","value"}, at most 20, label ≤ 36 and value ≤ 128 characters (spec; error 60368).
fn parse_fields(raw: &[&str]) -> Result<Vec<(String, String)>, TwilioError> {
    if raw.len() > 20 {
        return Err(details_invalid(
            "Challenge details invalid: at most 20 Details.Fields",
        ));
    }
    raw.iter()
        .map(|item| {
            let value: Value = serde_json::from_str(item).map_err(|_| {
                details_invalid(
                    "Challenge details invalid: each Details.Fields must be a JSON object {\"label\",\"value\"}",
                )
            })?;
            let label = value.get("label").and_then(Value::as_str);
            let text = value.get("value").and_then(Value::as_str);
            match (label, text) {
                (Some(label), Some(text)) if chars(label) <= 36 && chars(text) <= 128 => {
                    Ok((label.to_owned(), text.to_owned()))
                }
                (Some(_), Some(_)) => Err(details_invalid(
                    "Challenge details invalid: a Details.Fields label is at most 36 characters and its value at most 128",
                )),
                _ => Err(details_invalid(
                    "Challenge details invalid: each Details.Fields needs string \"label\" and \"value\"",
                )),
            }
        })
        .collect()
}

// HiddenDetails: a JSON object of strings, at most 1024 characters (spec CreateChallenge).
fn parse_hidden_details(raw: &str) -> Result<Value, TwilioError> {
    let value: Value = serde_json::from_str(raw).map_err(|_| {
        details_invalid("Challenge details invalid: HiddenDetails must be a JSON object")
    })?;
    let strings = value
        .as_object()
        .is_some_and(|m| m.values().all(Value::is_string));
    if !strings || chars(raw) > 1024 {
        return Err(details_invalid(
            "Challenge details invalid: HiddenDetails must be a JSON object of strings, at most 1024 characters",
        ));
    }
    Ok(value)
}

// ExpirationDate: RFC 3339, after now, at most 60 minutes after creation; default 5 minutes (spec CreateChallenge).
fn parse_expiration(raw: Option<&str>, now: DateTime<Utc>) -> Result<DateTime<Utc>, TwilioError> {
    let Some(raw) = raw else {
        return Ok(now + chrono::Duration::minutes(DEFAULT_LIFETIME_MINUTES));
    };
    let at = DateTime::parse_from_rfc3339(raw)
        .map_err(|_| {
            invalid(format!(
                "Invalid parameter: ExpirationDate must be an RFC 3339 date-time such as 2026-01-01T12:00:00Z, got {raw:?}"
            ))
        })?
        .with_timezone(&Utc);
    if at <= now || at > now + chrono::Duration::minutes(MAX_LIFETIME_MINUTES) {
        return Err(invalid(
            "Invalid parameter: ExpirationDate must be in the future and at most 60 minutes from now",
        ));
    }
    Ok(at)
}

/// CreateChallenge: `POST …/Challenges`, by the account.
pub(crate) async fn create(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity)): Path<(String, String)>,
    Extension(caller): Extension<Caller>,
    Extension(FormFields(fields)): Extension<FormFields>,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Entities")?;
    let factor_sid = required(&fields, "FactorSid")?;
    let now = state.now();
    let message = check_message(field(&fields, "Details.Message"))?;
    let details_fields = parse_fields(&all(&fields, "Details.Fields"))?;
    let hidden_details = field(&fields, "HiddenDetails")
        .map(parse_hidden_details)
        .transpose()?;
    let expiration_date = parse_expiration(field(&fields, "ExpirationDate"), now)?;
    let challenge = {
        let mut store = state.store(&service_sid)?;
        let entity = store
            .entity(&identity)
            .ok_or_else(|| entity_not_found(&identity))?;
        let entity_sid = entity.sid.clone();
        let factor = store
            .factor(&identity, factor_sid)
            .ok_or_else(|| factor_not_found(factor_sid))?;
        if !factor.verified {
            return Err(TwilioError::new(
                StatusCode::FORBIDDEN,
                FACTOR_UNVERIFIED,
                format!("Factor {factor_sid} is not verified: challenges need a verified factor"),
            )
            .into());
        }
        let challenge = Challenge {
            sid: ids::random_sid("YC"),
            entity_sid,
            identity: identity.clone(),
            factor_sid: factor_sid.to_owned(),
            date_created: now,
            date_updated: now,
            date_responded: None,
            expiration_date,
            answered: Answered::Pending,
            message,
            fields: details_fields,
            hidden_details,
            details_date: store.service().push_include_date,
            metadata: None,
            notifications: 0,
        };
        store.push_challenge(challenge.clone(), now);
        challenge
    };
    Ok(json(
        StatusCode::CREATED,
        &challenge.to_json(&state.scope_of(&service_sid), now),
    ))
}

/// FetchChallenge: `GET …/Challenges/{Sid}`, by the account or a factor of the entity. A
/// pending challenge carries the `Twilio-Verify-Signature-Fields` header.
pub(crate) async fn fetch(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity, sid)): Path<(String, String, String)>,
    Extension(caller): Extension<Caller>,
) -> Answer {
    check_service(&state, &service_sid, "/Entities")?;
    let now = state.now();
    let store = state.store(&service_sid)?;
    authenticate_factor(&state, &store, &caller, &identity)?;
    let challenge = store
        .challenge(&identity, &sid)
        .ok_or_else(|| challenge_not_found(&sid))?;
    let mut response = json(
        StatusCode::OK,
        &challenge.to_json(&state.scope_of(&service_sid), now),
    );
    if challenge.is_pending(now) {
        response.headers_mut().insert(
            SIGNATURE_FIELDS_HEADER,
            HeaderValue::from_static(SIGNATURE_FIELDS),
        );
    }
    Ok(response)
}

/// ListChallenge: `GET …/Challenges` with optional `FactorSid`, `Status`, `Order` (asc/desc,
/// default asc).
pub(crate) async fn list(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity)): Path<(String, String)>,
    Extension(caller): Extension<Caller>,
    RawQuery(query): RawQuery,
) -> Answer {
    check_service(&state, &service_sid, "/Entities")?;
    let query = query_pairs(query.as_deref());
    let factor_sid = field(&query, "FactorSid");
    let status = field(&query, "Status");
    // Status: pending, expired, approved or denied (spec challenge_enum_challenge_statuses).
    if status.is_some_and(|s| !matches!(s, "pending" | "expired" | "approved" | "denied")) {
        let status = status.unwrap_or_default();
        return Err(invalid(format!(
            "Invalid parameter: Status must be pending, expired, approved or denied, got {status:?}"
        ))
        .into());
    }
    let order = field(&query, "Order").unwrap_or("asc");
    // Order: asc or desc (spec challenge_enum_list_orders).
    if !matches!(order, "asc" | "desc") {
        return Err(invalid(format!(
            "Invalid parameter: Order must be asc or desc, got {order:?}"
        ))
        .into());
    }
    let now = state.now();
    let store = state.store(&service_sid)?;
    authenticate_factor(&state, &store, &caller, &identity)?;
    let mut items: Vec<Value> = store
        .challenges
        .iter()
        .filter(|c| c.identity == identity)
        .filter(|c| factor_sid.is_none_or(|sid| c.factor_sid == sid))
        .filter(|c| status.is_none_or(|s| c.status(now) == s))
        .map(|c| c.to_json(&state.scope_of(&service_sid), now))
        .collect();
    if order == "desc" {
        items.reverse();
    }
    let mut filters = Vec::new();
    if let Some(sid) = factor_sid {
        filters.push(("FactorSid", sid));
    }
    if let Some(status) = status {
        filters.push(("Status", status));
    }
    filters.push(("Order", order));
    let path = format!(
        "/v2/Services/{}/Entities/{identity}/Challenges",
        service_sid
    );
    drop(store);
    let body = list_page(
        &query,
        &state.base_url,
        &path,
        &filters,
        "challenges",
        items,
    )?;
    Ok(json(StatusCode::OK, &body))
}

/// UpdateChallenge: `POST …/Challenges/{Sid}` with the device's signed `AuthPayload`.
pub(crate) async fn update(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity, sid)): Path<(String, String, String)>,
    Extension(caller): Extension<Caller>,
    Extension(FormFields(fields)): Extension<FormFields>,
) -> Answer {
    check_service(&state, &service_sid, "/Entities")?;
    let payload = required(&fields, "AuthPayload")?;
    // AuthPayload: at most 5456 characters for push (spec UpdateChallenge).
    if chars(payload) > 5456 {
        return Err(
            invalid("Invalid parameter: AuthPayload must be at most 5456 characters").into(),
        );
    }
    let metadata = field(&fields, "Metadata")
        .map(|raw| {
            serde_json::from_str::<Value>(raw)
                .ok()
                .filter(|v| v.is_object() && chars(raw) <= 1024)
                .ok_or_else(|| {
                    invalid("Invalid parameter: Metadata must be a JSON object, at most 1024 characters")
                })
        })
        .transpose()?;
    let now = state.now();
    let (challenge, factor) = {
        let mut store = state.store(&service_sid)?;
        let signer = authenticate_factor(&state, &store, &caller, &identity)?;
        let current = store
            .challenge(&identity, &sid)
            .ok_or_else(|| challenge_not_found(&sid))?;
        if signer
            .as_deref()
            .is_some_and(|signer| signer != current.factor_sid)
        {
            return Err(Reject::new(auth::challenge()));
        }
        match current.status(now) {
            "pending" => {}
            "expired" => return Err(challenge_expired(&sid).into()),
            // A replayed or second answer. Twilio's code for it is undocumented; the sandbox's choice.
            done => {
                return Err(invalid(format!(
                    "Challenge {sid} is already {done}: only a pending challenge can be answered"
                ))
                .into());
            }
        }
        let factor = store
            .factor(&identity, &current.factor_sid)
            .ok_or_else(|| factor_not_found(&current.factor_sid))?
            .clone();
        let signed = current.to_json(&state.scope_of(&service_sid), now);
        let status = answer_status(payload, &factor.public_key, &signed).ok_or_else(|| {
            TwilioError::new(
                StatusCode::FORBIDDEN,
                CHALLENGE_VERIFICATION_FAILED,
                "For a Push Challenge, the signature in AuthPayload is invalid",
            )
        })?;
        let challenge = store
            .challenge_mut(&identity, &sid)
            .expect("found above under the same lock");
        challenge.answered = status;
        challenge.date_responded = Some(now);
        challenge.date_updated = now;
        if metadata.is_some() {
            challenge.metadata = metadata;
        }
        (challenge.clone(), factor)
    };
    let event = match challenge.answered {
        Answered::Approved => EventType::ChallengeApproved,
        _ => EventType::ChallengeDenied,
    };
    let response = json(
        StatusCode::OK,
        &challenge.to_json(&state.scope_of(&service_sid), now),
    );
    Ok(with_events(
        &service_sid,
        response,
        vec![Event::challenge(event, factor, challenge)],
    ))
}

/// The status an `AuthPayload` sets, if it is a JWT signed by `key` whose payload repeats every
/// signature field of the challenge as served (`signed`) and says `approved` or `denied`.
fn answer_status(
    payload: &str,
    key: &p256::ecdsa::VerifyingKey,
    signed: &Value,
) -> Option<Answered> {
    let jwt = super::jws::parse(payload)?;
    if !jwt.verify(key) {
        return None;
    }
    let claims: &Map<String, Value> = &jwt.payload;
    let all_match = SIGNATURE_FIELDS
        .split(',')
        .all(|name| claims.get(name) == signed.get(name));
    if !all_match {
        return None;
    }
    match claims.get("status").and_then(Value::as_str) {
        Some("approved") => Some(Answered::Approved),
        Some("denied") => Some(Answered::Denied),
        _ => None,
    }
}
