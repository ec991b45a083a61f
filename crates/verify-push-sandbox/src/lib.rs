//! A local, stateful fake of Twilio Verify v2's **AccessTokens** endpoints, for tests and demos.
//!
//! [`Sandbox::start`] runs an HTTP server on `127.0.0.1` inside the current tokio runtime. Point a
//! Verify client at [`Sandbox::base_url`] instead of `https://verify.twilio.com`, authenticate with
//! the sandbox's account SID and auth token (or its API key and secret), and it answers like
//! Twilio:
//!
//! - `POST /v2/Services/{ServiceSid}/AccessTokens` (form fields `Identity`, `FactorType`,
//!   optional `FactorFriendlyName` and `Ttl`) validates with Twilio's rules and answers `201` with
//!   the full resource: a fresh `YK` SID, the account and service SIDs, an opaque JWE-shaped
//!   token, the TTL (default 60), `date_created` and `url`.
//! - `GET /v2/Services/{ServiceSid}/AccessTokens/{Sid}` returns a token it issued.
//! - Errors use Twilio's body, `{"code", "message", "more_info", "status"}`: 401 / 20003 for bad
//!   credentials, 404 / 20404 for an unknown service, token or route, 400 / 60305 for a missing
//!   `Identity` or `FactorType`, 400 / 60200 for a parameter that breaks a rule, 405 / 20004 for a
//!   wrong method.
//! - Every response carries a `Twilio-Request-Id` header.
//!
//! Tests can make the next responses fail ([`Sandbox::fail_next`] with a [`Failure`]: a status,
//! a Twilio error code, `Retry-After`, a raw body, a delay) and inspect what their client sent
//! ([`Sandbox::requests`], [`Sandbox::request_count`], [`Sandbox::access_tokens`]). Dropping the
//! sandbox stops it.
//!
//! The tokens it issues are **not** accepted by Twilio: the sandbox fakes access-token creation
//! and fetch only, not factors or challenges. See `docs/sandbox.md` in the repository.
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

mod access_token;
mod auth;
pub mod device;
mod failure;
mod idle_timeout;
mod ids;
mod intake;
mod log;
mod recording;
mod resources;
mod routes;
mod server;
mod state;
mod twilio_error;
mod validation;

pub use access_token::AccessToken;
pub use failure::Failure;
pub use recording::RecordedRequest;
pub use server::{Sandbox, SandboxBuilder};
