//! # verify-push
//!
//! The server side of **Twilio Verify Push** for Rust backends: enrollment access tokens,
//! Entities (your users), factors (their phones), challenges (login requests) and waiting for
//! their answer, re-sent pushes, webhooks, and signature-checked webhook events.
//!
//! ```no_run
//! use std::time::Duration;
//! use verify_push::{challenges::Outcome, Client, Identity};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::from_env()?; // TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN (or an API key)
//! let push = client.service("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
//! let user = push.entity(Identity::hashed("user-42")); // no PII at Twilio
//!
//! // Enroll a phone: hand the app exactly what Twilio's sample apps parse.
//! let token = push
//!     .access_tokens()
//!     .create(user.identity())
//!     .factor_friendly_name("John Doe iPhone")
//!     .ttl(Duration::from_secs(300))
//!     .send()
//!     .await?;
//! let body = serde_json::to_string(&token.enrollment())?;
//!
//! // Log in: push a request to a verified device and wait for the answer.
//! let factors = user.factors().list().await?;
//! let challenge = user
//!     .challenges()
//!     .create(factors[0].sid())
//!     .message("Log in to Example from Chrome on macOS?")
//!     .field("Location", "Berlin, DE")
//!     .send()
//!     .await?;
//! if let Outcome::Approved(_) = user.challenges().wait(challenge.sid()).await? {
//!     // logged in
//! }
//! # Ok(()) }
//! ```
//!
//! The handle tree mirrors Twilio's URLs: [`Client::service`] → [`Service`] →
//! [`entities::Entity`] → [`factors::Factors`], [`challenges::Challenges`] →
//! [`notifications::Notifications`]; [`Service::webhooks`] → [`webhooks::Webhooks`]. Path
//! parameters live in handles, form fields in builders. Creating a push factor and answering a
//! challenge need the phone's private key, so only the mobile SDK does them: they are not here.
//! Incoming webhook deliveries are checked with [`webhooks::WebhookValidator`].
//!
//! What this crate adds over the generated [`raw`] client:
//!
//! - **Validation before any request** of what Twilio's spec cannot express: TTL 60 to 300 s
//!   ([`Ttl`]), identity ([`Identity`]), friendly name ([`FriendlyName`]), challenge message,
//!   fields, hidden details and expiry, notification TTL ([`NotificationTtl`]), and every SID
//!   kind ([`ServiceSid`], [`FactorSid`], [`ChallengeSid`], …).
//! - **Open enums** ([`ChallengeStatus`], [`FactorStatus`], [`FactorType`], …): a value Twilio
//!   adds tomorrow is kept as `Unknown(String)`, never fatal to a response.
//! - **Lists** that follow every page by its page token, with a cap, or page by page.
//! - **Typed errors** ([`Error`]): `status()`, `code()`, `is_retryable()`, the
//!   `Twilio-Request-Id`, and `Retry-After`.
//! - **Safe retries** ([`RetryPolicy`]): a create is never sent twice once it may have reached
//!   Twilio (a second challenge would push to the phone again).
//! - **Secrets that never print**: credentials and access tokens are redacted in every `Debug`,
//!   and absent from every `Display`, error and log event.
//! - Timeouts (connect 10 s, request 30 s), no redirects, `http://` only to loopback, rustls with
//!   aws-lc-rs by default (feature `rustls-ring` for ring, `native-tls` for the platform's TLS).
//! - Compiles only what Verify Push uses of the generated crate; feature `full-api` adds every
//!   other Verify v2 API to [`raw`], feature `axum` the `VerifiedEvent` extractor.
//!
//! Logging: each HTTP attempt emits a `tracing` event at debug level with target
//! `verify_push` (operation, method, path template, status, Twilio code, attempt, elapsed
//! milliseconds, request id, retry delay), never a secret.

#![warn(missing_docs)]
// With a room turned off, some shared helpers (decoders, the secret registry) lose their only
// caller; that is expected. With every room on (the default and `--all-features`, which CI
// lints), dead code is still an error.
#![cfg_attr(
    not(all(
        feature = "access-tokens",
        feature = "factors",
        feature = "challenges",
        feature = "notifications",
        feature = "webhooks"
    )),
    allow(dead_code, unused_imports)
)]

// Shared machinery: private rooms. Resource code calls only `call::execute` and `call::page`.
mod call;
mod client;
mod config;
mod error;
mod invalid_input;
mod scope;
mod service;

// Validated, resource-neutral values.
pub mod types;

// One room per resource, mirroring Twilio's URL tree. Each but entities is a Cargo feature
// (all on by default; Cargo.toml): a consumer compiles only the rooms, and the generated APIs,
// it uses.
#[cfg(feature = "access-tokens")]
pub mod access_tokens;
#[cfg(feature = "challenges")]
pub mod challenges;
pub mod entities;
#[cfg(feature = "factors")]
pub mod factors;
#[cfg(feature = "notifications")]
pub mod notifications;
#[cfg(feature = "webhooks")]
pub mod webhooks;

#[cfg(feature = "access-tokens")]
pub use access_tokens::{AccessToken, AccessTokens, CreateAccessToken, Enrollment};
pub use call::page::{Page, Pages};
pub use call::retry::RetryPolicy;
pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
};
pub use config::base_url::DEFAULT_BASE_URL;
pub use config::credentials::Credentials;
pub use config::env::TWILIO_ENV_VARS;
pub use error::{ApiError, DecodeError, Error, ResponseTooLarge, TransportError, WaitTimedOut};
pub use invalid_input::InvalidInput;
pub use service::Service;
pub use types::{
    AccessTokenSid, AccountSid, ApiKeySid, ChallengeSid, ChallengeStatus, EntitySid, FactorSid,
    FactorStatus, FactorType, FriendlyName, Identity, NotificationSid, NotificationTtl,
    SecretString, ServiceSid, Ttl, WebhookSid,
};

/// The generated Verify v2 client (`verify-v2`), for everything this crate does not wrap. Use
/// it with [`Client::raw`].
pub use verify_v2 as raw;

// The guides' Rust examples are compiled as doctests, so they cannot drift from the API.
// `guides/` holds symlinks to docs/, which `cargo package` stores as files: the same path works
// in the workspace and in the published crate (a path out of the crate would not).
#[cfg(all(doctest, feature = "push"))]
#[doc = include_str!("../guides/getting-started.md")]
struct GettingStartedGuide;

#[cfg(all(doctest, feature = "push"))]
#[doc = include_str!("../guides/errors-and-retries.md")]
struct ErrorsAndRetriesGuide;

#[cfg(all(doctest, feature = "push"))]
#[doc = include_str!("../guides/push-login.md")]
struct PushLoginGuide;

#[cfg(all(doctest, feature = "push"))]
#[doc = include_str!("../guides/webhooks.md")]
struct WebhooksGuide;
