//! The builder that updates a webhook.

use verify_v2::apis::verify_v2_webhook_api as api;

use super::operations::UPDATE_WEBHOOK;
use super::{EventType, Webhook, fields};
use crate::call;
use crate::types::{WebhookStatus, WebhookVersion};
use crate::{Client, Error, InvalidInput, ServiceSid, WebhookSid};

/// A webhook update: set what changes, then [`send`](Self::send).
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `send().await`"]
pub struct UpdateWebhook {
    client: Client,
    service_sid: String,
    sid: String,
    friendly_name: Option<String>,
    webhook_url: Option<String>,
    event_types: Option<Vec<EventType>>,
    status: Option<WebhookStatus>,
    version: Option<WebhookVersion>,
}

impl UpdateWebhook {
    pub(crate) fn new(client: Client, service_sid: String, sid: String) -> Self {
        Self {
            client,
            service_sid,
            sid,
            friendly_name: None,
            webhook_url: None,
            event_types: None,
            status: None,
            version: None,
        }
    }

    /// A new name.
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_name = Some(name.into());
        self
    }

    /// A new URL.
    pub fn webhook_url(mut self, url: impl Into<String>) -> Self {
        self.webhook_url = Some(url.into());
        self
    }

    /// Replaces the event types.
    pub fn set_events(mut self, events: Vec<EventType>) -> Self {
        self.event_types = Some(events);
        self
    }

    /// Enables or disables delivery.
    pub fn status(mut self, status: WebhookStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Changes the payload version.
    pub fn version(mut self, version: WebhookVersion) -> Self {
        self.version = Some(version);
        self
    }

    /// Checks the fields and sends the update; an update with nothing to change is refused
    /// before any request.
    pub async fn send(self) -> Result<Webhook, Error> {
        let service_sid = ServiceSid::new(self.service_sid.as_str())?;
        let sid = WebhookSid::new(self.sid.as_str())?;
        let friendly_name = self
            .friendly_name
            .as_deref()
            .map(fields::friendly_name)
            .transpose()?;
        let webhook_url = self
            .webhook_url
            .as_deref()
            .map(fields::webhook_url)
            .transpose()?;
        let event_types = self
            .event_types
            .as_deref()
            .map(fields::event_types)
            .transpose()?;
        self.status.as_ref().map(fields::status).transpose()?;
        self.version.as_ref().map(fields::version).transpose()?;
        if friendly_name.is_none()
            && webhook_url.is_none()
            && event_types.is_none()
            && self.status.is_none()
            && self.version.is_none()
        {
            return Err(Error::InvalidInput(InvalidInput::new(
                "webhook",
                "update has nothing to change: set at least one field",
            )));
        }
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &UPDATE_WEBHOOK,
            || {
                api::update_webhook_request(
                    configuration,
                    service_sid.as_str(),
                    sid.as_str(),
                    friendly_name,
                    event_types.clone(),
                    webhook_url,
                    self.status.as_ref().and_then(|s| fields::status(s).ok()),
                    self.version.as_ref().and_then(|v| fields::version(v).ok()),
                )
            },
            api::update_webhook_response,
            Webhook::from_generated,
        )
        .await
    }
}
