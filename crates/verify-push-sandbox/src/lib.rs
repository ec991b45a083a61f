//! A local, stateful fake of Twilio Verify v2 for **Verify Push**, with a virtual phone, for
//! tests and demos.
//!
//! [`Sandbox::start`] runs an HTTP server on `127.0.0.1` inside the current tokio runtime. Point
//! a Verify client at [`Sandbox::base_url`] instead of `https://verify.twilio.com`, authenticate
//! with the sandbox's account SID and auth token (or its API key and secret), and it answers like
//! Twilio, with the paths, form fields and JSON of `openapi/twilio_verify_v2.json`:
//!
//! - **AccessTokens**: create (`Identity`, `FactorType`, `FactorFriendlyName`, `Ttl`) and fetch.
//! - **Entities**: create, fetch, list, delete (with their factors and challenges).
//! - **Factors**: created and verified by a device (Basic `token` / access token, an ES256
//!   public key, a signature of the factor SID), then fetched, listed, renamed, deleted.
//! - **Challenges**: created for a verified factor (`Details.Message`, `Details.Fields`,
//!   `HiddenDetails`, `ExpirationDate`), fetched with the `Twilio-Verify-Signature-Fields`
//!   header, answered by the device with a signed JWT, expired by the clock, listed with
//!   `FactorSid`, `Status`, `Order` and Twilio's paging (`meta.next_page_url`).
//! - **Notifications** (`Ttl` 0 to 300) and **Webhooks**: events `factor.created`,
//!   `factor.verified`, `factor.deleted`, `challenge.approved`, `challenge.denied` are POSTed to
//!   loopback webhook URLs, signed with `X-Twilio-Signature`, retried, never blocking the API.
//! - Errors use Twilio's body, `{"code", "message", "more_info", "status"}`, and Verify's codes
//!   (60318 unverified factor, 60323 expired, 60324 bad signature, 60368 bad details, 60390 /
//!   60391 / 60392 not found, …). Every response carries a `Twilio-Request-Id` header.
//!
//! The [`device`] module is the phone: [`Sandbox::device`] (or
//! [`device::VirtualDevice::new`] for any base URL) enrolls factors and approves or denies
//! challenges over HTTP exactly as the Verify Push mobile SDK does, so a backend's whole push
//! flow runs in a test without a phone or a Twilio account.
//!
//! Tests can make the next responses fail ([`Sandbox::fail_next`] with a [`Failure`]: a status,
//! a Twilio error code, `Retry-After`, a raw body, a delay), move the clock
//! ([`Sandbox::advance_clock`]) and inspect what their client sent ([`Sandbox::requests`],
//! [`Sandbox::request_count`], [`Sandbox::access_tokens`]). Dropping the sandbox stops it.
//!
//! As a server it is bounded: the request log keeps the newest 1,000 requests (nothing of
//! those rejected for bad credentials), 1,000 access tokens, 1,000 entities, 20 push factors
//! per entity, 10,000 challenges and 20 webhooks; connections idle for 30 seconds are closed,
//! and a closed stderr does not stop it.
//!
//! Its access tokens are **not** accepted by Twilio, and Twilio's are not accepted here. See
//! `docs/sandbox.md` in the repository.
//!
//! # A push flow in a test
//!
//! ```
//! use verify_push_sandbox::Sandbox;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let sandbox = Sandbox::start().await?;
//!     let device = sandbox.device();
//!     // In a real test the backend under test mints this enrollment and hands it over.
//!     let factor = device.enroll(&sandbox.enrollment("user-0001")?).await?;
//!
//!     // The backend asks for approval…
//!     let challenge: serde_json::Value = reqwest::Client::new()
//!         .post(format!(
//!             "{}/v2/Services/{}/Entities/user-0001/Challenges",
//!             sandbox.base_url(),
//!             sandbox.service_sid()
//!         ))
//!         .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
//!         .form(&[("FactorSid", factor.sid.as_str()), ("Details.Message", "Log in?")])
//!         .send()
//!         .await?
//!         .json()
//!         .await?;
//!
//!     // …and the phone says yes.
//!     let pending = device.pending_challenges().await?;
//!     assert_eq!(pending[0].message, "Log in?");
//!     device.approve(challenge["sid"].as_str().unwrap()).await?;
//!     Ok(())
//! }
//! ```
//!
//! # Examples
//!
//! ```
//! use std::time::Duration;
//! use verify_push_sandbox::{Failure, Sandbox};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let sandbox = Sandbox::start().await?;
//!     let client = reqwest::Client::new();
//!     let create = || {
//!         client
//!             .post(format!(
//!                 "{}/v2/Services/{}/AccessTokens",
//!                 sandbox.base_url(),
//!                 sandbox.service_sid()
//!             ))
//!             .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
//!             .form(&[("Identity", "user-0001"), ("FactorType", "push"), ("Ttl", "300")])
//!     };
//!
//!     // Twilio is busy once, then answers.
//!     sandbox.fail_next(Failure::status(429).code(20429).retry_after(1));
//!     assert_eq!(create().send().await?.status(), 429);
//!
//!     let response = create().send().await?;
//!     assert_eq!(response.status(), 201);
//!     assert!(response.headers().contains_key("twilio-request-id"));
//!     let token: serde_json::Value = response.json().await?;
//!     assert_eq!(token["ttl"], 300);
//!     assert_eq!(token["token"].as_str().unwrap().split('.').count(), 5);
//!
//!     // A slow answer, for timeout handling.
//!     sandbox.fail_next(Failure::delay(Duration::from_millis(500)));
//!     let timed_out = create().timeout(Duration::from_millis(100)).send().await;
//!     assert!(timed_out.unwrap_err().is_timeout());
//!
//!     assert_eq!(sandbox.request_count(), 3);
//!     Ok(())
//! }
//! ```

#![warn(missing_docs)]

mod access_token;
mod auth;
mod builder;
mod control_api;
mod controls;
mod delivery;
pub mod device;
mod failure;
mod idle_timeout;
mod ids;
mod intake;
mod log;
mod phone;
mod recording;
mod resources;
mod routes;
mod server;
mod state;
pub mod test_defaults;
mod twilio_error;
mod validation;

pub use access_token::AccessToken;
pub use builder::SandboxBuilder;
pub use failure::Failure;
pub use recording::RecordedRequest;
pub use server::Sandbox;
