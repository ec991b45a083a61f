//! Checks shared by webhook create and update.

use verify_v2::models::{WebhookEnumStatus, WebhookEnumVersion};

use super::EventType;
use crate::InvalidInput;
use crate::call::decode;
use crate::types::{WebhookStatus, WebhookVersion};

/// `FriendlyName`: required on create; the spec asks for no PII and gives no length.
pub(crate) fn friendly_name(name: &str) -> Result<&str, InvalidInput> {
    if name.trim().is_empty() {
        return Err(InvalidInput::new("friendly_name", "must not be empty"));
    }
    if name.chars().any(char::is_control) {
        return Err(InvalidInput::new(
            "friendly_name",
            "must not contain control characters",
        ));
    }
    Ok(name)
}

/// `WebhookUrl`: where Twilio POSTs events, so an absolute `https://` or `http://` URL.
pub(crate) fn webhook_url(url: &str) -> Result<&str, InvalidInput> {
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "https" | "http") && parsed.has_host() => Ok(url),
        _ => Err(InvalidInput::new(
            "webhook_url",
            "must be an absolute https:// (or http://) URL",
        )),
    }
}

/// `EventTypes`: at least one (spec: required array); sent by Twilio's spelling.
pub(crate) fn event_types(events: &[EventType]) -> Result<Vec<String>, InvalidInput> {
    if events.is_empty() {
        return Err(InvalidInput::new(
            "event_types",
            "must name at least one event type (EventType::All for every event)",
        ));
    }
    let mut spelled: Vec<String> = Vec::with_capacity(events.len());
    for event in events {
        let s = event.as_str().to_string();
        if !spelled.contains(&s) {
            spelled.push(s);
        }
    }
    Ok(spelled)
}

/// The generated enum for a status; only the spec's values are sent.
pub(crate) fn status(status: &WebhookStatus) -> Result<WebhookEnumStatus, InvalidInput> {
    let known = (!status.is_unknown()).then_some(status.as_str());
    known.and_then(decode::generated_enum).ok_or_else(|| {
        InvalidInput::new(
            "status",
            format!("must be enabled or disabled, got {:?}", status.as_str()),
        )
    })
}

/// The generated enum for a version; only the spec's values are sent.
pub(crate) fn version(version: &WebhookVersion) -> Result<WebhookEnumVersion, InvalidInput> {
    let known = (!version.is_unknown()).then_some(version.as_str());
    known.and_then(decode::generated_enum).ok_or_else(|| {
        InvalidInput::new(
            "version",
            format!("must be v1 or v2, got {:?}", version.as_str()),
        )
    })
}
