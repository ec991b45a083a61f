//! Incoming Verify webhooks: check that a request comes from Twilio, then read its event.
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

mod error;
mod event;
mod event_type;
mod signature;

pub use error::WebhookError;
pub use event::WebhookEvent;
pub use event_type::EventType;
pub use signature::WebhookValidator;
