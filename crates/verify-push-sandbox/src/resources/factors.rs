//! Factors (`…/Entities/{Identity}/Factors`): push factors created and verified by a device,
//! listed, renamed and deleted by the backend.
//!
//! Creation and verification follow the Verify Push SDK (twilio-verify-android
//! `verify/src/main/java/com/twilio/verify/api/FactorAPIClient.kt` and
//! `domain/factor/PushFactory.kt`): the form carries `FriendlyName`, `FactorType=push`,
//! `Binding.PublicKey` (base64 of the DER SubjectPublicKeyInfo of a P-256 key: Java's
//! `PublicKey.encoded`, `data/KeyStoreAdapter.kt`), `Binding.Alg=ES256`, `Config.SdkVersion`,
//! `Config.AppId`, `Config.NotificationPlatform` (`fcm` or `none`), `Config.NotificationToken`
//! and `Metadata`. Verification posts `AuthPayload` = base64 of the DER ECDSA-SHA256 signature
//! of the factor SID (`PushFactory.verify`: `keyStorage.signAndEncode(alias, sid)`).

use std::sync::Arc;

use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::pkcs8::DecodePublicKey as _;
use serde_json::{Value, json};

use super::device_auth::{authenticate_factor, check_access_token};
use super::entities;
use super::errors::factor_not_found;
use super::http::{
    Answer, Reject, chars, check_service, field, invalid, json, required, with_events,
};
use super::model::{Event, EventType, Factor};
use super::page::{list_page, query_pairs};
use crate::auth::{self, Caller};
use crate::ids;
use crate::intake::FormFields;
use crate::state::SharedState;
use crate::twilio_error::TwilioError;
use crate::validation::check_identity;

/// "Factor verification failed" (<https://www.twilio.com/docs/api/errors/60311>).
const FACTOR_VERIFICATION_FAILED: u32 = 60311;
/// "Binding invalid" (<https://www.twilio.com/docs/api/errors/60314>).
const BINDING_INVALID: u32 = 60314;
/// "Max factors per entity" (Twilio error table, 60315).
const TOO_MANY_FACTORS: u32 = 60315;
/// "Factor config invalid" (<https://www.twilio.com/docs/api/errors/60370>).
const CONFIG_INVALID: u32 = 60370;
/// Push factors per entity (Twilio error table, 60315: 20 push factors).
pub(crate) const MAX_PUSH_FACTORS_PER_ENTITY: usize = 20;

fn config_invalid(message: String) -> TwilioError {
    TwilioError::new(StatusCode::BAD_REQUEST, CONFIG_INVALID, message)
}

// FriendlyName: at most 64 characters, no PII (spec CreateNewFactor / UpdateFactor).
fn check_friendly_name(name: &str) -> Result<(), TwilioError> {
    if (1..=64).contains(&chars(name)) && !name.chars().any(char::is_control) {
        Ok(())
    } else {
        Err(invalid(
            "Invalid parameter: FriendlyName must be 1 to 64 characters without control characters",
        ))
    }
}

// Config.NotificationPlatform: apn, fcm or none (spec NewFactorEnumNotificationPlatforms).
fn check_platform(platform: &str) -> Result<(), TwilioError> {
    if matches!(platform, "apn" | "fcm" | "none") {
        Ok(())
    } else {
        Err(config_invalid(format!(
            "Config.NotificationPlatform must be apn, fcm or none, got {platform:?}"
        )))
    }
}

// Config.NotificationToken: 32 to 255 characters (spec; https://www.twilio.com/docs/api/errors/60370).
fn check_notification_token(token: &str) -> Result<(), TwilioError> {
    if (32..=255).contains(&chars(token)) {
        Ok(())
    } else {
        Err(config_invalid(
            "Config.NotificationToken must be 32 to 255 characters".to_owned(),
        ))
    }
}

// Metadata: a JSON object of strings, at most 1024 characters (spec CreateNewFactor).
fn parse_metadata(raw: &str) -> Result<Value, TwilioError> {
    let value: Value = serde_json::from_str(raw)
        .map_err(|_| invalid("Invalid parameter: Metadata must be a JSON object"))?;
    let strings_only = value
        .as_object()
        .is_some_and(|map| map.values().all(Value::is_string));
    if !strings_only || chars(raw) > 1024 {
        return Err(invalid(
            "Invalid parameter: Metadata must be a JSON object of strings, at most 1024 characters",
        ));
    }
    Ok(value)
}

// Binding.Alg is ES256 and Binding.PublicKey a base64 DER SubjectPublicKeyInfo of a P-256 key
// (spec CreateNewFactor; PushFactory.kt `binding`; https://www.twilio.com/docs/api/errors/60314).
fn parse_binding(fields: &[(String, String)]) -> Result<(VerifyingKey, String), TwilioError> {
    let binding_invalid =
        |message: &str| TwilioError::new(StatusCode::BAD_REQUEST, BINDING_INVALID, message);
    if field(fields, "Binding.Alg") != Some("ES256") {
        return Err(binding_invalid("Binding.Alg must be ES256"));
    }
    let public_key = field(fields, "Binding.PublicKey")
        .ok_or_else(|| binding_invalid("Binding.PublicKey is required"))?;
    let der = STANDARD.decode(public_key.trim()).map_err(|_| {
        binding_invalid("Binding.PublicKey must be base64 (a DER SubjectPublicKeyInfo)")
    })?;
    let key = VerifyingKey::from_public_key_der(&der).map_err(|_| {
        binding_invalid("Binding.PublicKey must be a DER SubjectPublicKeyInfo of a P-256 key")
    })?;
    Ok((key, public_key.trim().to_owned()))
}

/// CreateNewFactor: `POST …/Entities/{Identity}/Factors`, by a device with an access token.
pub(crate) async fn create(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity)): Path<(String, String)>,
    Extension(caller): Extension<Caller>,
    Extension(FormFields(fields)): Extension<FormFields>,
) -> Answer {
    check_service(&state, &service_sid, "/Entities")?;
    check_access_token(&state, &caller, &service_sid, &identity)?;
    check_identity(&identity)?;
    let friendly_name = required(&fields, "FriendlyName")?;
    check_friendly_name(friendly_name)?;
    let factor_type = required(&fields, "FactorType")?;
    if factor_type != "push" {
        return Err(invalid(format!(
            "Invalid parameter: FactorType must be push in the sandbox, got {factor_type:?}"
        ))
        .into());
    }
    let (public_key, public_key_base64) = parse_binding(&fields)?;
    let platform = field(&fields, "Config.NotificationPlatform").unwrap_or("none");
    check_platform(platform)?;
    let token = field(&fields, "Config.NotificationToken").filter(|t| !t.is_empty());
    match token {
        Some(token) => check_notification_token(token)?,
        None if platform != "none" => {
            return Err(config_invalid(format!(
                "Config.NotificationToken is required when Config.NotificationPlatform is {platform}"
            ))
            .into());
        }
        None => {}
    }
    let app_id = field(&fields, "Config.AppId");
    // Config.AppId: at most 100 characters (spec; https://www.twilio.com/docs/api/errors/60370).
    if app_id.is_some_and(|id| chars(id) > 100) {
        return Err(
            config_invalid("Config.AppId must be at most 100 characters".to_owned()).into(),
        );
    }
    let metadata = field(&fields, "Metadata").map(parse_metadata).transpose()?;

    let now = state.now();
    let factor = {
        let mut store = state.store(&service_sid)?;
        let existing = store
            .factors
            .iter()
            .filter(|f| f.identity == identity)
            .count();
        if existing >= MAX_PUSH_FACTORS_PER_ENTITY {
            return Err(TwilioError::new(
                StatusCode::BAD_REQUEST,
                TOO_MANY_FACTORS,
                format!("Entity {identity} already has {MAX_PUSH_FACTORS_PER_ENTITY} push factors"),
            )
            .into());
        }
        let entity = entities::get_or_create(&mut store, &identity, now)?;
        let factor = Factor {
            sid: ids::random_sid("YF"),
            entity_sid: entity.sid,
            identity: identity.clone(),
            friendly_name: friendly_name.to_owned(),
            verified: false,
            public_key,
            public_key_base64,
            credential_sid: ids::random_sid("CR"),
            sdk_version: field(&fields, "Config.SdkVersion").map(str::to_owned),
            app_id: app_id.map(str::to_owned),
            notification_platform: platform.to_owned(),
            notification_token: token.map(str::to_owned),
            metadata,
            date_created: now,
            date_updated: now,
        };
        store.factors.push(factor.clone());
        factor
    };
    let mut body = factor.to_json(&state.scope_of(&service_sid));
    // The binding comes back on creation only (https://www.twilio.com/docs/verify/api/factor).
    body["binding"] = json!({ "alg": "ES256", "public_key": factor.public_key_base64 });
    body["options"] = Value::Null;
    let response = json(StatusCode::CREATED, &body);
    Ok(with_events(
        &service_sid,
        response,
        vec![Event::factor(EventType::FactorCreated, factor)],
    ))
}

/// FetchFactor: `GET …/Factors/{Sid}`.
pub(crate) async fn fetch(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity, sid)): Path<(String, String, String)>,
    Extension(caller): Extension<Caller>,
) -> Answer {
    check_service(&state, &service_sid, "/Entities")?;
    let store = state.store(&service_sid)?;
    authenticate_factor(&state, &store, &caller, &identity)?;
    let factor = store
        .factor(&identity, &sid)
        .ok_or_else(|| factor_not_found(&sid))?;
    Ok(json(
        StatusCode::OK,
        &factor.to_json(&state.scope_of(&service_sid)),
    ))
}

/// ListFactor: `GET …/Factors`, oldest first.
pub(crate) async fn list(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity)): Path<(String, String)>,
    Extension(caller): Extension<Caller>,
    RawQuery(query): RawQuery,
) -> Answer {
    check_service(&state, &service_sid, "/Entities")?;
    let store = state.store(&service_sid)?;
    authenticate_factor(&state, &store, &caller, &identity)?;
    let items: Vec<Value> = store
        .factors
        .iter()
        .filter(|f| f.identity == identity)
        .map(|f| f.to_json(&state.scope_of(&service_sid)))
        .collect();
    let path = format!("/v2/Services/{}/Entities/{identity}/Factors", service_sid);
    drop(store);
    let query = query_pairs(query.as_deref());
    let body = list_page(&query, &state.base_url, &path, &[], "factors", items)?;
    Ok(json(StatusCode::OK, &body))
}

/// UpdateFactor: `POST …/Factors/{Sid}`. A device verifies its factor with `AuthPayload` and
/// updates its `Config.*`; the backend renames it with `FriendlyName`.
pub(crate) async fn update(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity, sid)): Path<(String, String, String)>,
    Extension(caller): Extension<Caller>,
    Extension(FormFields(fields)): Extension<FormFields>,
) -> Answer {
    check_service(&state, &service_sid, "/Entities")?;
    if let Some(name) = field(&fields, "FriendlyName") {
        check_friendly_name(name)?;
    }
    if let Some(platform) = field(&fields, "Config.NotificationPlatform") {
        check_platform(platform)?;
    }
    if let Some(token) = field(&fields, "Config.NotificationToken").filter(|t| !t.is_empty()) {
        check_notification_token(token)?;
    }
    let now = state.now();
    let (factor, newly_verified) = {
        let mut store = state.store(&service_sid)?;
        let signer = authenticate_factor(&state, &store, &caller, &identity)?;
        // A device acts on its own factor only.
        if signer.as_deref().is_some_and(|signer| signer != sid) {
            return Err(Reject::new(auth::challenge()));
        }
        let factor = store
            .factor_mut(&identity, &sid)
            .ok_or_else(|| factor_not_found(&sid))?;
        let mut newly_verified = false;
        if let Some(payload) = field(&fields, "AuthPayload") {
            if !verification_signature_ok(&factor.public_key, &factor.sid, payload) {
                return Err(TwilioError::new(
                    StatusCode::FORBIDDEN,
                    FACTOR_VERIFICATION_FAILED,
                    "Factor verification failed: AuthPayload is not the factor key's signature of the factor SID",
                )
                .into());
            }
            newly_verified = !factor.verified;
            factor.verified = true;
        }
        if let Some(name) = field(&fields, "FriendlyName") {
            factor.friendly_name = name.to_owned();
        }
        if let Some(version) = field(&fields, "Config.SdkVersion") {
            factor.sdk_version = Some(version.to_owned());
        }
        if let Some(platform) = field(&fields, "Config.NotificationPlatform") {
            factor.notification_platform = platform.to_owned();
        }
        if let Some(token) = field(&fields, "Config.NotificationToken") {
            factor.notification_token = (!token.is_empty()).then(|| token.to_owned());
        }
        factor.date_updated = now;
        (factor.clone(), newly_verified)
    };
    let response = json(
        StatusCode::OK,
        &factor.to_json(&state.scope_of(&service_sid)),
    );
    let events = if newly_verified {
        vec![Event::factor(EventType::FactorVerified, factor)]
    } else {
        Vec::new()
    };
    Ok(with_events(&service_sid, response, events))
}

/// `AuthPayload` of a factor verification: base64 of a DER ECDSA P-256 / SHA-256 signature of
/// the factor SID (`PushFactory.verify`, `KeyStoreAdapter.signAndEncode`: `SHA256withECDSA`).
fn verification_signature_ok(key: &VerifyingKey, sid: &str, payload: &str) -> bool {
    let Ok(der) = STANDARD.decode(payload.trim()) else {
        return false;
    };
    let Ok(signature) = Signature::from_der(&der) else {
        return false;
    };
    key.verify(sid.as_bytes(), &signature).is_ok()
}

/// DeleteFactor: `DELETE …/Factors/{Sid}`, 204.
pub(crate) async fn delete(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity, sid)): Path<(String, String, String)>,
    Extension(caller): Extension<Caller>,
) -> Answer {
    check_service(&state, &service_sid, "/Entities")?;
    let removed = {
        let mut store = state.store(&service_sid)?;
        let signer = authenticate_factor(&state, &store, &caller, &identity)?;
        if signer.as_deref().is_some_and(|signer| signer != sid) {
            return Err(Reject::new(auth::challenge()));
        }
        let index = store
            .factors
            .iter()
            .position(|f| f.identity == identity && f.sid == sid)
            .ok_or_else(|| factor_not_found(&sid))?;
        store.factors.remove(index)
    };
    Ok(with_events(
        &service_sid,
        StatusCode::NO_CONTENT.into_response(),
        vec![Event::factor(EventType::FactorDeleted, removed)],
    ))
}
