//! The Webhook resource Twilio returns.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::EventType;
use crate::call::decode;
use crate::types::{WebhookStatus, WebhookVersion};
use crate::{AccountSid, ServiceSid, WebhookSid};

/// A webhook: where Twilio sends which Verify events.
#[derive(Debug, Clone, Serialize)]
pub struct Webhook {
    sid: WebhookSid,
    service_sid: ServiceSid,
    account_sid: Option<AccountSid>,
    friendly_name: Option<String>,
    event_types: Vec<EventType>,
    status: Option<WebhookStatus>,
    version: Option<WebhookVersion>,
    webhook_url: Option<String>,
    webhook_method: Option<String>,
    #[serde(serialize_with = "decode::serialize_date")]
    date_created: Option<DateTime<Utc>>,
    #[serde(serialize_with = "decode::serialize_date")]
    date_updated: Option<DateTime<Utc>>,
    url: Option<String>,
}

impl Webhook {
    /// The webhook's SID (`YW…`).
    pub fn sid(&self) -> &WebhookSid {
        &self.sid
    }

    /// The service (`VA…`).
    pub fn service_sid(&self) -> &ServiceSid {
        &self.service_sid
    }

    /// The account (`AC…`), when returned.
    pub fn account_sid(&self) -> Option<&AccountSid> {
        self.account_sid.as_ref()
    }

    /// Its name.
    pub fn friendly_name(&self) -> Option<&str> {
        self.friendly_name.as_deref()
    }

    /// The events delivered.
    pub fn event_types(&self) -> &[EventType] {
        &self.event_types
    }

    /// `enabled` or `disabled`.
    pub fn status(&self) -> Option<&WebhookStatus> {
        self.status.as_ref()
    }

    /// The payload version.
    pub fn version(&self) -> Option<&WebhookVersion> {
        self.version.as_ref()
    }

    /// Where events are sent.
    pub fn webhook_url(&self) -> Option<&str> {
        self.webhook_url.as_deref()
    }

    /// The HTTP method Twilio uses (`POST`).
    pub fn webhook_method(&self) -> Option<&str> {
        self.webhook_method.as_deref()
    }

    /// When it was created.
    pub fn date_created(&self) -> Option<DateTime<Utc>> {
        self.date_created
    }

    /// When it last changed.
    pub fn date_updated(&self) -> Option<DateTime<Utc>> {
        self.date_updated
    }

    /// Its URL at Twilio.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    pub(crate) fn from_generated(
        model: verify_v2::models::VerifyV2ServiceWebhook,
    ) -> Result<Self, String> {
        Ok(Self {
            sid: decode::sid("sid", model.sid, WebhookSid::new)?,
            service_sid: decode::sid("service_sid", model.service_sid, ServiceSid::new)?,
            account_sid: decode::optional_sid("account_sid", model.account_sid, AccountSid::new)?,
            friendly_name: model.friendly_name.flatten(),
            event_types: model
                .event_types
                .flatten()
                .unwrap_or_default()
                .into_iter()
                .map(EventType::from)
                .collect(),
            status: decode::open_enum(model.status),
            version: decode::open_enum(model.version),
            webhook_url: model.webhook_url.flatten(),
            webhook_method: decode::open_enum::<_, String>(model.webhook_method),
            date_created: decode::date(model.date_created),
            date_updated: decode::date(model.date_updated),
            url: model.url.flatten(),
        })
    }
}
