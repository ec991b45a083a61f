//! Services (`/v2/Services`): create, fetch, list, update and delete Verify services, so a test
//! suite can make a fresh service per test. Each service has its own entities, factors,
//! challenges, webhooks and access tokens; the default one exists from the start.

use std::sync::Arc;

use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::Value;

use super::http::{Answer, chars, field, invalid, json, require_account, required};
use super::model::Service;
use super::page::{list_page, query_pairs};
use super::services_store::{MAX_SERVICES, ServiceData};
use super::store::Store;
use crate::auth::Caller;
use crate::ids;
use crate::intake::FormFields;
use crate::state::{SharedState, lock};
use crate::twilio_error::TwilioError;

/// The push settings a create or update may carry, checked. `None`: not sent (keep).
struct PushSettings<'a> {
    include_date: Option<bool>,
    apn_credential_sid: Option<&'a str>,
    fcm_credential_sid: Option<&'a str>,
}

fn push_settings(fields: &[(String, String)]) -> Result<PushSettings<'_>, TwilioError> {
    let include_date = match field(fields, "Push.IncludeDate") {
        None => None,
        Some(v) if v.eq_ignore_ascii_case("true") => Some(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Some(false),
        Some(v) => {
            return Err(invalid(format!(
                "Invalid parameter: Push.IncludeDate must be true or false, got {v:?}"
            )));
        }
    };
    let credential = |name: &str| -> Result<Option<&str>, TwilioError> {
        match field(fields, name) {
            Some(sid) if !ids::is_sid("CR", sid) => Err(invalid(format!(
                "Invalid parameter: {name} must be CR and 32 hex digits"
            ))),
            other => Ok(other),
        }
    };
    Ok(PushSettings {
        include_date,
        apn_credential_sid: credential("Push.ApnCredentialSid")?,
        fcm_credential_sid: credential("Push.FcmCredentialSid")?,
    })
}

/// FriendlyName: at most 32 characters (spec CreateService).
fn friendly_name(name: &str) -> Result<&str, TwilioError> {
    if chars(name) > 32 {
        return Err(invalid(
            "Invalid parameter: FriendlyName must be at most 32 characters",
        ));
    }
    Ok(name)
}

fn service_not_found(sid: &str) -> TwilioError {
    TwilioError::not_found(&format!("/Services/{sid}"))
}

/// CreateService: `POST /v2/Services` with `FriendlyName` and optional push settings.
pub(crate) async fn create(
    State(state): State<Arc<SharedState>>,
    Extension(caller): Extension<Caller>,
    Extension(FormFields(fields)): Extension<FormFields>,
) -> Answer {
    require_account(&caller)?;
    let name = friendly_name(required(&fields, "FriendlyName")?)?;
    let push = push_settings(&fields)?;
    let now = state.now();
    let service = Service {
        sid: ids::random_sid("VA"),
        friendly_name: name.to_owned(),
        push_include_date: push.include_date.unwrap_or(false),
        push_apn_credential_sid: push.apn_credential_sid.map(str::to_owned),
        push_fcm_credential_sid: push.fcm_credential_sid.map(str::to_owned),
        date_created: now,
        date_updated: now,
    };
    let mut services = lock(&state.services);
    if services.len() >= MAX_SERVICES {
        return Err(invalid(format!(
            "The sandbox keeps at most {MAX_SERVICES} services; delete some first"
        ))
        .into());
    }
    let body = service.to_json(&state.base_url, &state.credentials.account_sid);
    services.push(ServiceData {
        service,
        store: Store::default(),
    });
    Ok(json(StatusCode::CREATED, &body))
}

/// FetchService: `GET /v2/Services/{Sid}`.
pub(crate) async fn fetch(
    State(state): State<Arc<SharedState>>,
    Path(service_sid): Path<String>,
    Extension(caller): Extension<Caller>,
) -> Answer {
    require_account(&caller)?;
    let services = lock(&state.services);
    let found = services
        .iter()
        .find(|s| s.service.sid == service_sid)
        .ok_or_else(|| service_not_found(&service_sid))?;
    let body = found
        .service
        .to_json(&state.base_url, &state.credentials.account_sid);
    Ok(json(StatusCode::OK, &body))
}

/// ListService: `GET /v2/Services`, oldest first.
pub(crate) async fn list(
    State(state): State<Arc<SharedState>>,
    Extension(caller): Extension<Caller>,
    RawQuery(query): RawQuery,
) -> Answer {
    require_account(&caller)?;
    let items: Vec<Value> = lock(&state.services)
        .iter()
        .map(|s| {
            s.service
                .to_json(&state.base_url, &state.credentials.account_sid)
        })
        .collect();
    let body = list_page(
        &query_pairs(query.as_deref()),
        &state.base_url,
        "/v2/Services",
        &[],
        "services",
        items,
    )?;
    Ok(json(StatusCode::OK, &body))
}

/// UpdateService: `POST /v2/Services/{Sid}`; only the fields sent change.
pub(crate) async fn update(
    State(state): State<Arc<SharedState>>,
    Path(service_sid): Path<String>,
    Extension(caller): Extension<Caller>,
    Extension(FormFields(fields)): Extension<FormFields>,
) -> Answer {
    require_account(&caller)?;
    let name = field(&fields, "FriendlyName")
        .map(friendly_name)
        .transpose()?;
    let push = push_settings(&fields)?;
    let now = state.now();
    let mut services = lock(&state.services);
    let found = services
        .iter_mut()
        .find(|s| s.service.sid == service_sid)
        .ok_or_else(|| service_not_found(&service_sid))?;
    let service = &mut found.service;
    if let Some(name) = name {
        service.friendly_name = name.to_owned();
    }
    if let Some(include) = push.include_date {
        service.push_include_date = include;
    }
    if let Some(sid) = push.apn_credential_sid {
        service.push_apn_credential_sid = Some(sid.to_owned());
    }
    if let Some(sid) = push.fcm_credential_sid {
        service.push_fcm_credential_sid = Some(sid.to_owned());
    }
    service.date_updated = now;
    let body = service.to_json(&state.base_url, &state.credentials.account_sid);
    Ok(json(StatusCode::OK, &body))
}

/// DeleteService: `DELETE /v2/Services/{Sid}`, 204, with everything in it. The phone's factors
/// of that service stop working (their requests get 401 from then on, as at Twilio).
pub(crate) async fn delete(
    State(state): State<Arc<SharedState>>,
    Path(service_sid): Path<String>,
    Extension(caller): Extension<Caller>,
) -> Answer {
    require_account(&caller)?;
    let mut services = lock(&state.services);
    let index = services
        .iter()
        .position(|s| s.service.sid == service_sid)
        .ok_or_else(|| service_not_found(&service_sid))?;
    services.remove(index);
    Ok(StatusCode::NO_CONTENT.into_response())
}
