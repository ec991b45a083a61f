//! What every handler shares.

use std::time::Duration;

use verify_push::Client;
use verify_push::webhooks::WebhookEndpoint;

use crate::limits::Limits;
use crate::store::Store;
use crate::webhook_log::WebhookLog;

/// The state behind every request.
#[derive(Debug)]
pub(crate) struct AppState {
    pub client: Client,
    pub service_sid: String,
    /// Users, sessions, login attempts, webhook ids.
    pub store: Box<dyn Store>,
    /// Whether the page is served over https (the session cookie is then `Secure`).
    pub secure: bool,
    /// How long a login request waits for the phone.
    pub login_ttl: Duration,
    /// CSRF key and salt, shared with every instance through the database.
    pub csrf: axum_csrf::CsrfConfig,
    /// Sign-in rate limits.
    pub limits: Limits,
    /// The sandbox's phone page, which enrolls from a link (`?enroll=`); none with Twilio.
    pub phone_url: Option<String>,
    /// Checks `X-Twilio-Signature` (the `VerifiedEvent` extractor); `None` when no auth token
    /// is configured.
    pub webhook: Option<WebhookEndpoint>,
    pub events: WebhookLog,
}
