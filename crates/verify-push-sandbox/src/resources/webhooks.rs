//! Webhooks (`/v2/Services/{ServiceSid}/Webhooks`): where the sandbox POSTs Verify events
//! ([`delivery`](crate::delivery)). Only loopback URLs are taken: the sandbox must not be a way to
//! make requests to other machines.

use std::sync::Arc;

use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::Value;

use super::errors::webhook_not_found;
use super::http::{
    Answer, all, chars, check_service, field, invalid, json, require_account, required,
};
use super::model::Webhook;
use super::page::{list_page, query_pairs};
use super::store::MAX_WEBHOOKS;
use crate::auth::Caller;
use crate::ids;
use crate::intake::FormFields;
use crate::state::SharedState;
use crate::twilio_error::TwilioError;

/// Event types a webhook may subscribe to (spec CreateWebhook `EventTypes`; `*` = all).
pub(crate) const EVENT_TYPES: [&str; 6] = [
    "*",
    "factor.created",
    "factor.verified",
    "factor.deleted",
    "challenge.approved",
    "challenge.denied",
];

// FriendlyName: required, no PII (spec CreateWebhook); the sandbox bounds it to 64 characters.
fn check_name(name: &str) -> Result<(), TwilioError> {
    if chars(name) <= 64 {
        Ok(())
    } else {
        Err(invalid(
            "Invalid parameter: FriendlyName must be at most 64 characters",
        ))
    }
}

// EventTypes: one or more of *, factor.created, factor.verified, factor.deleted, challenge.approved, challenge.denied (spec CreateWebhook).
fn check_event_types(types: &[&str]) -> Result<Vec<String>, TwilioError> {
    if types.is_empty() {
        return Err(invalid("Missing required parameter EventTypes"));
    }
    for t in types {
        if !EVENT_TYPES.contains(t) {
            return Err(invalid(format!(
                "Invalid parameter: EventTypes {t:?} is not one of {}",
                EVENT_TYPES.join(", ")
            )));
        }
    }
    Ok(types.iter().map(|t| (*t).to_owned()).collect())
}

/// WebhookUrl: an `http` or `https` URL on a loopback host (`127.0.0.1`, `[::1]`, `localhost`).
/// The loopback rule is the sandbox's own, so it never sends requests off the machine.
fn check_url(url: &str) -> Result<(), TwilioError> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| {
            invalid("Invalid parameter: WebhookUrl must be an http:// or https:// URL")
        })?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(invalid(
            "Invalid parameter: WebhookUrl must not contain credentials",
        ));
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(invalid(format!(
            "Invalid parameter: WebhookUrl must point at this machine (127.0.0.1, [::1] or localhost) in the sandbox, got host {host:?}"
        )))
    }
}

// Status: enabled or disabled (spec webhook_enum_status).
fn parse_status(raw: &str) -> Result<bool, TwilioError> {
    match raw {
        "enabled" => Ok(true),
        "disabled" => Ok(false),
        _ => Err(invalid(format!(
            "Invalid parameter: Status must be enabled or disabled, got {raw:?}"
        ))),
    }
}

// Version: v1 or v2, default v2 (spec webhook_enum_version).
fn check_version(raw: &str) -> Result<(), TwilioError> {
    if matches!(raw, "v1" | "v2") {
        Ok(())
    } else {
        Err(invalid(format!(
            "Invalid parameter: Version must be v1 or v2, got {raw:?}"
        )))
    }
}

/// CreateWebhook: `POST …/Webhooks`.
pub(crate) async fn create(
    State(state): State<Arc<SharedState>>,
    Path(service_sid): Path<String>,
    Extension(caller): Extension<Caller>,
    Extension(FormFields(fields)): Extension<FormFields>,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Webhooks")?;
    let friendly_name = required(&fields, "FriendlyName")?;
    check_name(friendly_name)?;
    let event_types = check_event_types(&all(&fields, "EventTypes"))?;
    let webhook_url = required(&fields, "WebhookUrl")?;
    check_url(webhook_url)?;
    let enabled = field(&fields, "Status")
        .map(parse_status)
        .transpose()?
        .unwrap_or(true);
    let version = field(&fields, "Version").unwrap_or("v2");
    check_version(version)?;
    let now = state.now();
    let webhook = Webhook {
        sid: ids::random_sid("YW"),
        friendly_name: friendly_name.to_owned(),
        event_types,
        webhook_url: webhook_url.to_owned(),
        enabled,
        version: version.to_owned(),
        date_created: now,
        date_updated: now,
    };
    {
        let mut store = state.store(&service_sid)?;
        if store.webhooks.len() >= MAX_WEBHOOKS {
            return Err(invalid(format!(
                "The sandbox keeps at most {MAX_WEBHOOKS} webhooks per service"
            ))
            .into());
        }
        store.webhooks.push(webhook.clone());
    }
    Ok(json(
        StatusCode::CREATED,
        &webhook.to_json(&state.scope_of(&service_sid)),
    ))
}

/// FetchWebhook: `GET …/Webhooks/{Sid}`.
pub(crate) async fn fetch(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, sid)): Path<(String, String)>,
    Extension(caller): Extension<Caller>,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Webhooks")?;
    let store = state.store(&service_sid)?;
    let webhook = store
        .webhooks
        .iter()
        .find(|w| w.sid == sid)
        .ok_or_else(|| webhook_not_found(&service_sid, &sid))?;
    Ok(json(
        StatusCode::OK,
        &webhook.to_json(&state.scope_of(&service_sid)),
    ))
}

/// ListWebhook: `GET …/Webhooks`.
pub(crate) async fn list(
    State(state): State<Arc<SharedState>>,
    Path(service_sid): Path<String>,
    Extension(caller): Extension<Caller>,
    RawQuery(query): RawQuery,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Webhooks")?;
    let items: Vec<Value> = state
        .store(&service_sid)?
        .webhooks
        .iter()
        .map(|w| w.to_json(&state.scope_of(&service_sid)))
        .collect();
    let path = format!("/v2/Services/{}/Webhooks", service_sid);
    let body = list_page(
        &query_pairs(query.as_deref()),
        &state.base_url,
        &path,
        &[],
        "webhooks",
        items,
    )?;
    Ok(json(StatusCode::OK, &body))
}

/// UpdateWebhook: `POST …/Webhooks/{Sid}`, every field optional.
pub(crate) async fn update(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, sid)): Path<(String, String)>,
    Extension(caller): Extension<Caller>,
    Extension(FormFields(fields)): Extension<FormFields>,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Webhooks")?;
    if let Some(name) = field(&fields, "FriendlyName") {
        check_name(name)?;
    }
    let types = all(&fields, "EventTypes");
    let event_types = if types.is_empty() {
        None
    } else {
        Some(check_event_types(&types)?)
    };
    if let Some(url) = field(&fields, "WebhookUrl") {
        check_url(url)?;
    }
    let enabled = field(&fields, "Status").map(parse_status).transpose()?;
    if let Some(version) = field(&fields, "Version") {
        check_version(version)?;
    }
    let now = state.now();
    let mut store = state.store(&service_sid)?;
    let webhook = store
        .webhooks
        .iter_mut()
        .find(|w| w.sid == sid)
        .ok_or_else(|| webhook_not_found(&service_sid, &sid))?;
    if let Some(name) = field(&fields, "FriendlyName") {
        webhook.friendly_name = name.to_owned();
    }
    if let Some(types) = event_types {
        webhook.event_types = types;
    }
    if let Some(url) = field(&fields, "WebhookUrl") {
        webhook.webhook_url = url.to_owned();
    }
    if let Some(enabled) = enabled {
        webhook.enabled = enabled;
    }
    if let Some(version) = field(&fields, "Version") {
        webhook.version = version.to_owned();
    }
    webhook.date_updated = now;
    Ok(json(
        StatusCode::OK,
        &webhook.to_json(&state.scope_of(&service_sid)),
    ))
}

/// DeleteWebhook: `DELETE …/Webhooks/{Sid}`, 204.
pub(crate) async fn delete(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, sid)): Path<(String, String)>,
    Extension(caller): Extension<Caller>,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Webhooks")?;
    let mut store = state.store(&service_sid)?;
    let index = store
        .webhooks
        .iter()
        .position(|w| w.sid == sid)
        .ok_or_else(|| webhook_not_found(&service_sid, &sid))?;
    store.webhooks.remove(index);
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_urls() {
        for ok in [
            "http://127.0.0.1:8080/hook",
            "https://localhost/x",
            "http://[::1]:9/",
            "http://127.5.0.1",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/hook",
            "ftp://127.0.0.1/",
            "http://127.0.0.1.evil.com/",
            "http://user@10.0.0.1/",
            "127.0.0.1:80",
            "http://169.254.169.254/",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
