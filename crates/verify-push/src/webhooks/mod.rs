//! Webhooks: the service's webhook configuration (`/v2/Services/{ServiceSid}/Webhooks`), and
//! checking and reading the events Twilio delivers to them.
//!
//! Twilio POSTs `factor.created`, `factor.verified`, `factor.deleted`, `challenge.approved` and
//! `challenge.denied` to each enabled webhook whose event types match; there is no
//! `challenge.expired` event, so expiry is only seen by polling
//! (<https://www.twilio.com/docs/verify/api/webhooks>).
//!
//! Pure functions of the request (URL, `X-Twilio-Signature`, `Content-Type`, body): no HTTP
//! client, no clock, usable from any web framework. See `docs/webhooks.md` for a handler.
//!
//! ```
//! use verify_push::webhooks::{EventType, WebhookError, WebhookValidator};
//!
//! /// Your handler's core: 204 when handled, 403 when not from Twilio, 400 when unreadable.
//! fn handle(
//!     validator: &WebhookValidator,
//!     url: &str,
//!     signature: Option<&str>,
//!     content_type: Option<&str>,
//!     body: &[u8],
//! ) -> u16 {
//!     match validator.verify(url, signature, content_type, body) {
//!         Ok(event) => {
//!             if event.event_type() == &EventType::ChallengeApproved {
//!                 // log the user in …
//!             }
//!             204
//!         }
//!         Err(e) if e.is_unauthenticated() => 403,
//!         Err(_) => 400,
//!     }
//! }
//!
//! let validator = WebhookValidator::new("your_auth_token").unwrap();
//! assert_eq!(handle(&validator, "https://example.com/hooks", None, None, b""), 403);
//! ```

mod create;
mod error;
mod event;
mod event_type;
#[cfg(feature = "axum")]
mod extract;
mod fields;
mod model;
mod operations;
mod signature;
mod signing;
mod update;

pub use create::CreateWebhook;
pub use error::WebhookError;
pub use event::WebhookEvent;
pub use event_type::EventType;
#[cfg(feature = "axum")]
pub use extract::{VerifiedEvent, WebhookEndpoint, WebhookRejection};
pub use model::Webhook;
pub use signature::WebhookValidator;
pub use update::UpdateWebhook;

use verify_v2::apis::verify_v2_webhook_api as api;

use crate::call::page::{self, ListOptions, Page, Pages, list_builder, next_cursor};
use crate::call::{self, decode};
use crate::{Client, Error, ServiceSid, WebhookSid};
use operations::{DELETE_WEBHOOK, FETCH_WEBHOOK, LIST_WEBHOOK};

/// The webhooks of one service. Get it from [`Service::webhooks`](crate::Service::webhooks).
///
/// ```no_run
/// use verify_push::webhooks::EventType;
/// # async fn demo(client: verify_push::Client) -> Result<(), verify_push::Error> {
/// let webhook = client
///     .service("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .webhooks()
///     .create("login answers", "https://example.com/webhooks/verify")
///     .event(EventType::ChallengeApproved)
///     .event(EventType::ChallengeDenied)
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Webhooks {
    client: Client,
    service_sid: String,
}

impl Webhooks {
    pub(crate) fn new(client: Client, service_sid: String) -> Self {
        Self {
            client,
            service_sid,
        }
    }

    /// Starts creating a webhook named `friendly_name` (no PII) that Twilio calls at
    /// `webhook_url`; add at least one event type.
    pub fn create(
        &self,
        friendly_name: impl Into<String>,
        webhook_url: impl Into<String>,
    ) -> CreateWebhook {
        CreateWebhook::new(
            self.client.clone(),
            self.service_sid.clone(),
            friendly_name.into(),
            webhook_url.into(),
        )
    }

    /// Fetches one webhook (`YW…`).
    pub async fn fetch(&self, sid: impl AsRef<str>) -> Result<Webhook, Error> {
        let service_sid = ServiceSid::new(self.service_sid.as_str())?;
        let sid = WebhookSid::new(sid.as_ref())?;
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &FETCH_WEBHOOK,
            || api::fetch_webhook_request(configuration, service_sid.as_str(), sid.as_str()),
            api::fetch_webhook_response,
            Webhook::from_generated,
        )
        .await
    }

    /// Lists the webhooks: `.await` for all of them, or [`pages`](ListWebhooks::pages).
    pub fn list(&self) -> ListWebhooks {
        ListWebhooks {
            client: self.client.clone(),
            service_sid: self.service_sid.clone(),
            options: ListOptions::default(),
        }
    }

    /// Starts updating a webhook; fields not set are left as they are.
    pub fn update(&self, sid: impl AsRef<str>) -> UpdateWebhook {
        UpdateWebhook::new(
            self.client.clone(),
            self.service_sid.clone(),
            sid.as_ref().into(),
        )
    }

    /// Deletes a webhook.
    pub async fn delete(&self, sid: impl AsRef<str>) -> Result<(), Error> {
        let service_sid = ServiceSid::new(self.service_sid.as_str())?;
        let sid = WebhookSid::new(sid.as_ref())?;
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &DELETE_WEBHOOK,
            || api::delete_webhook_request(configuration, service_sid.as_str(), sid.as_str()),
            api::delete_webhook_response,
            Ok,
        )
        .await
    }
}

/// A list of webhooks being read: `.await` it, or call [`pages`](Self::pages).
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `.await` or `pages()`"]
pub struct ListWebhooks {
    client: Client,
    service_sid: String,
    options: ListOptions,
}

impl ListWebhooks {
    /// Page by page, one request per [`Pages::next_page`].
    pub fn pages(self) -> Pages<Webhook> {
        Pages::new(Box::new(move |cursor| {
            let this = self.clone();
            page::boxed(async move {
                let service_sid = ServiceSid::new(this.service_sid.as_str())?;
                let page_size = this.options.page_size()?;
                let (page, token) = page::split(cursor);
                let configuration = &this.client.inner().configuration;
                call::execute(
                    &this.client,
                    &LIST_WEBHOOK,
                    || {
                        api::list_webhook_request(
                            configuration,
                            service_sid.as_str(),
                            page_size,
                            page,
                            token.as_deref(),
                        )
                    },
                    api::list_webhook_response,
                    |list| {
                        let items = decode::items("webhooks", list.webhooks)?
                            .into_iter()
                            .map(Webhook::from_generated)
                            .collect::<Result<Vec<_>, _>>()?;
                        Ok(Page::new(items, next_cursor(list.meta.as_deref())?))
                    },
                )
                .await
            })
        }))
    }
}

list_builder!(ListWebhooks, Webhook);
