//! A webhook as the store keeps it: which events it wants, and its JSON.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::scope::{Scope, timestamp};

/// One webhook.
#[derive(Debug, Clone)]
pub(crate) struct Webhook {
    pub(crate) sid: String,
    pub(crate) friendly_name: String,
    pub(crate) event_types: Vec<String>,
    pub(crate) webhook_url: String,
    pub(crate) enabled: bool,
    pub(crate) version: String,
    pub(crate) date_created: DateTime<Utc>,
    pub(crate) date_updated: DateTime<Utc>,
}

impl Webhook {
    /// Whether an event of this type goes to this webhook.
    pub(crate) fn wants(&self, event_type: &str) -> bool {
        self.enabled && self.event_types.iter().any(|t| t == "*" || t == event_type)
    }

    pub(crate) fn to_json(&self, scope: &Scope) -> Value {
        json!({
            "url": format!("{}/v2/Services/{}/Webhooks/{}", scope.base_url, scope.service_sid, self.sid),
            "sid": self.sid,
            "account_sid": scope.account_sid,
            "service_sid": scope.service_sid,
            "friendly_name": self.friendly_name,
            "event_types": self.event_types,
            "webhook_method": "POST",
            "webhook_url": self.webhook_url,
            "status": if self.enabled { "enabled" } else { "disabled" },
            "version": self.version,
            "date_created": timestamp(self.date_created),
            "date_updated": timestamp(self.date_updated),
        })
    }
}
