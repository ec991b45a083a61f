//! The builder that creates a webhook.

use verify_v2::apis::verify_v2_webhook_api as api;

use super::operations::CREATE_WEBHOOK;
use super::{EventType, Webhook, fields};
use crate::call;
use crate::types::{WebhookStatus, WebhookVersion};
use crate::{Client, Error, ServiceSid};

/// A webhook being created: add event types, then [`send`](Self::send).
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `send().await`"]
pub struct CreateWebhook {
    client: Client,
    service_sid: String,
    friendly_name: String,
    webhook_url: String,
    event_types: Vec<EventType>,
    status: Option<WebhookStatus>,
    version: Option<WebhookVersion>,
}

impl CreateWebhook {
    pub(crate) fn new(
        client: Client,
        service_sid: String,
        friendly_name: String,
        webhook_url: String,
    ) -> Self {
        Self {
            client,
            service_sid,
            friendly_name,
            webhook_url,
            event_types: Vec::new(),
            status: None,
            version: None,
        }
    }

    /// Adds an event type ([`EventType::All`] for every event).
    pub fn event(mut self, event: EventType) -> Self {
        self.event_types.push(event);
        self
    }

    /// Replaces the event types.
    pub fn set_events(mut self, events: Vec<EventType>) -> Self {
        self.event_types = events;
        self
    }

    /// `enabled` (Twilio's default) or `disabled`.
    pub fn status(mut self, status: WebhookStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// The payload version: `v2` is Twilio's default; `v1` is legacy.
    pub fn version(mut self, version: WebhookVersion) -> Self {
        self.version = Some(version);
        self
    }

    /// Checks the fields and creates the webhook. Not resent once it may have reached Twilio:
    /// a second webhook would deliver every event twice.
    pub async fn send(self) -> Result<Webhook, Error> {
        let service_sid = ServiceSid::new(self.service_sid.as_str())?;
        let friendly_name = fields::friendly_name(&self.friendly_name)?;
        let webhook_url = fields::webhook_url(&self.webhook_url)?;
        let event_types = fields::event_types(&self.event_types)?;
        // Checked once here; built afresh for each attempt, since the call takes them by value.
        self.status.as_ref().map(fields::status).transpose()?;
        self.version.as_ref().map(fields::version).transpose()?;
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &CREATE_WEBHOOK,
            || {
                api::create_webhook_request(
                    configuration,
                    service_sid.as_str(),
                    friendly_name,
                    event_types.clone(),
                    webhook_url,
                    self.status.as_ref().and_then(|s| fields::status(s).ok()),
                    self.version.as_ref().and_then(|v| fields::version(v).ok()),
                )
            },
            api::create_webhook_response,
            Webhook::from_generated,
        )
        .await
    }
}
