//! # verify-push
//!
//! Twilio Verify Push **enrollment access tokens** for Rust backends: the token a mobile app
//! needs to register a push factor for one of your users.
//!
//! ```no_run
//! use std::time::Duration;
//! use verify_push::{Client, Identity};
//!
//! # async fn demo() -> Result<(), verify_push::Error> {
//! let client = Client::from_env()?; // TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN (or an API key)
//! let token = client
//!     .access_tokens("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
//!     .create(Identity::hashed("user-42")) // no PII at Twilio
//!     .factor_friendly_name("John Doe iPhone")
//!     .ttl(Duration::from_secs(300))
//!     .send()
//!     .await?;
//! // Hand the app exactly what Twilio's sample apps parse:
//! let body = serde_json::to_string(&token.enrollment()).unwrap();
//! # Ok(()) }
//! ```
//!
//! What this crate adds over the generated [`raw`] client:
//!
//! - **Validation before any request** of what Twilio's spec cannot express: TTL 60 to 300 s
//!   ([`Ttl`]), identity ([`Identity`]), friendly name ([`FriendlyName`]), SIDs
//!   ([`ServiceSid`], [`AccessTokenSid`], [`AccountSid`], [`ApiKeySid`]).
//! - **Typed errors** ([`Error`]): `status()`, `code()`, `is_retryable()`, the
//!   `Twilio-Request-Id`, and `Retry-After`.
//! - **Safe retries** ([`RetryPolicy`]): a create is never sent twice once it may have reached
//!   Twilio.
//! - **Secrets that never print**: credentials and access tokens are redacted in every `Debug`,
//!   and absent from every `Display`, error and log event.
//! - Timeouts (connect 10 s, request 30 s), no redirects, `http://` only to loopback, rustls by
//!   default (feature `native-tls` for the platform's TLS).
//!
//! Logging: each HTTP attempt emits a `tracing` event at debug level with target
//! `verify_push` (operation, method, path template, status, Twilio code, attempt, elapsed
//! milliseconds, request id, retry delay), never a secret.

#![warn(missing_docs)]

// Shared machinery: private rooms. Resource code calls only `call::execute` and `call::page`.
mod call;
mod client;
mod config;
mod error;
mod invalid_input;
mod service;

// Validated, resource-neutral values.
pub mod types;

// One room per resource, mirroring Twilio's URL tree.
pub mod access_tokens;
pub mod challenges;
pub mod entities;
pub mod factors;
pub mod notifications;
pub mod webhooks;

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
#[cfg(doctest)]
#[doc = include_str!("../../../docs/getting-started.md")]
struct GettingStartedGuide;

#[cfg(doctest)]
#[doc = include_str!("../../../docs/errors-and-retries.md")]
struct ErrorsAndRetriesGuide;

#[cfg(doctest)]
#[doc = include_str!("../../../docs/push-login.md")]
struct PushLoginGuide;
