//! `verify_push::Error`: everything a call can fail with, one call away from status and code.

use std::fmt;
use std::time::Duration;

use crate::InvalidInput;

/// Every way a `verify-push` call can fail.
///
/// Branch on the variant, or use the shortcuts: [`status`](Error::status),
/// [`code`](Error::code), [`is_retryable`](Error::is_retryable),
/// [`request_id`](Error::request_id). `Display` and `Debug` never contain the client's
/// credential or a token it received, even when the server echoes one; see the crate's
/// `docs/errors-and-retries.md` ("Redaction") for exactly what is scrubbed.
///
/// ```
/// # async fn demo(client: verify_push::Client) {
/// match client.access_tokens("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").create("ff483d1ff591898a9942916050d2ca3f").send().await {
///     Ok(token) => println!("created {}", token.sid()),
///     Err(e) if e.code() == Some(20404) => eprintln!("wrong service SID: {e}"),
///     Err(e) if e.is_retryable() => eprintln!("try again later: {e}"),
///     Err(e) => eprintln!("{e}"),
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An argument broke a rule (TTL, identity, friendly name, SID). No request was sent.
    InvalidInput(InvalidInput),
    /// The client configuration is unusable (credentials, environment, base URL, region).
    Config(InvalidInput),
    /// Twilio answered with an error status. Boxed: it is the largest variant, and keeping
    /// `Error` small keeps every `Result` in this crate small.
    Api(Box<ApiError>),
    /// No complete response arrived within the per-attempt timeout, or the call's deadline
    /// ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline)) passed.
    Timeout(TransportError),
    /// No connection could be made; the request was never sent.
    Connect(TransportError),
    /// The connection failed some other way (reset, TLS, body read).
    Transport(TransportError),
    /// Twilio answered with a success status but a body this crate cannot read.
    Decode(DecodeError),
    /// The response body was longer than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)); the
    /// read stopped there. Not retried: the same request would get the same answer.
    ResponseTooLarge(ResponseTooLarge),
    /// A wait for a challenge's answer reached the caller's deadline while the challenge was
    /// still pending. Only GETs were sent; the challenge may still be answered later.
    WaitTimedOut(WaitTimedOut),
}

impl Error {
    /// The HTTP status of the response, or `None` when none was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => e.status,
            Error::ResponseTooLarge(e) => e.status,
            _ => None,
        }
    }

    /// Twilio's error code (e.g. 20404), when the response had one.
    pub fn code(&self) -> Option<u32> {
        match self {
            Error::Api(e) => e.code,
            _ => None,
        }
    }

    /// The `Twilio-Request-Id` of the response, for Twilio support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::ResponseTooLarge(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The server's `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after,
            _ => None,
        }
    }

    /// Whether the failure is transient, so the same request may succeed later: a 429 with code
    /// 20429 or no code, a 5xx, a timeout, a connection failure.
    ///
    /// Product limits (429 with codes 60203, 60309, 60310, 60326) are not retryable: retrying
    /// makes them worse. The client's automatic retries also consider whether a create may have
    /// reached Twilio; see [`RetryPolicy`](crate::RetryPolicy).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => e.is_too_many_concurrent_requests() || e.status >= 500,
            Error::Timeout(_) | Error::Connect(_) | Error::Transport(_) => true,
            Error::InvalidInput(_)
            | Error::Config(_)
            | Error::Decode(_)
            | Error::ResponseTooLarge(_)
            | Error::WaitTimedOut(_) => false,
        }
    }

    /// The Twilio API error, when this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e.as_ref()),
            _ => None,
        }
    }

    /// The broken rule, when the input or configuration was invalid.
    pub fn as_invalid_input(&self) -> Option<&InvalidInput> {
        match self {
            Error::InvalidInput(e) | Error::Config(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput(e) => write!(f, "{e} (no request was sent)"),
            Error::Config(e) => write!(f, "{e}"),
            Error::Api(e) => write!(f, "{e}"),
            Error::Timeout(e) | Error::Connect(e) | Error::Transport(e) => write!(f, "{e}"),
            Error::Decode(e) => write!(f, "{e}"),
            Error::ResponseTooLarge(e) => write!(f, "{e}"),
            Error::WaitTimedOut(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::InvalidInput(e) | Error::Config(e) => Some(e),
            Error::Api(_)
            | Error::Decode(_)
            | Error::ResponseTooLarge(_)
            | Error::WaitTimedOut(_) => None,
            Error::Timeout(e) | Error::Connect(e) | Error::Transport(e) => e
                .source
                .as_deref()
                .map(|s| s as &(dyn std::error::Error + 'static)),
        }
    }
}

impl From<InvalidInput> for Error {
    fn from(e: InvalidInput) -> Self {
        Error::InvalidInput(e)
    }
}

/// An error response from Twilio: `{"code", "message", "more_info", "status", "details"}`.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub(crate) status: u16,
    pub(crate) code: Option<u32>,
    pub(crate) message: String,
    pub(crate) more_info: Option<String>,
    pub(crate) details: Option<serde_json::Value>,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Twilio's error code; `None` when the body had none (or was not Twilio's JSON).
    pub fn code(&self) -> Option<u32> {
        self.code
    }

    /// Twilio's message, or an excerpt of a non-JSON body (secret-free).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `more_info` URL; `None` when missing or empty.
    pub fn more_info(&self) -> Option<&str> {
        self.more_info.as_deref()
    }

    /// The `details` object, when present.
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.details.as_ref()
    }

    /// The `Twilio-Request-Id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The `Retry-After` header, in seconds.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// 429 with code 20429 ("too many concurrent requests": never processed, always safe to
    /// retry) or with no code. Source: <https://www.twilio.com/docs/errors/20429>.
    pub(crate) fn is_too_many_concurrent_requests(&self) -> bool {
        self.status == 429 && matches!(self.code, None | Some(20429))
    }

    /// `more_info`, or Twilio's page for the code when `more_info` was empty.
    fn help_url(&self) -> Option<String> {
        self.more_info.clone().or_else(|| {
            self.code
                .map(|c| format!("https://www.twilio.com/docs/errors/{c}"))
        })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(
                f,
                "Twilio error {code} (HTTP {}): {}",
                self.status, self.message
            )?,
            None => write!(f, "Twilio error (HTTP {}): {}", self.status, self.message)?,
        }
        if let Some(url) = self.help_url() {
            write!(f, " ({url})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A success response whose body could not be read as the expected resource.
#[derive(Debug, Clone)]
pub struct DecodeError {
    pub(crate) status: Option<u16>,
    pub(crate) reason: String,
    pub(crate) excerpt: String,
    pub(crate) request_id: Option<String>,
}

impl DecodeError {
    /// The HTTP status of the response.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// What was wrong, with the JSON path when known (e.g. `ttl: invalid type`).
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The start of the body, with tokens and secrets redacted.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(status) => write!(f, "unexpected response from Twilio (HTTP {status}): ")?,
            None => write!(f, "unexpected response from Twilio: ")?,
        }
        write!(f, "{}", self.reason)?;
        if !self.excerpt.is_empty() {
            write!(f, "; body starts: {}", self.excerpt)?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// A response whose body was longer than the client's limit.
#[derive(Debug, Clone)]
pub struct ResponseTooLarge {
    pub(crate) status: Option<u16>,
    pub(crate) limit: usize,
    pub(crate) request_id: Option<String>,
}

impl ResponseTooLarge {
    /// The HTTP status of the response.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The limit the body passed, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "response from Twilio")?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        write!(
            f,
            " is larger than the client's limit of {} bytes; it was not read further",
            self.limit
        )
    }
}

impl std::error::Error for ResponseTooLarge {}

/// A request that got no usable response: timeout, refused connection, reset.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) what: String,
    pub(crate) source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// The caller's deadline passed while a challenge was still pending.
#[derive(Debug, Clone)]
pub struct WaitTimedOut {
    pub(crate) challenge_sid: String,
    pub(crate) waited: Duration,
    pub(crate) polls: u32,
}

impl WaitTimedOut {
    /// The challenge waited for (`YC…`).
    pub fn challenge_sid(&self) -> &str {
        &self.challenge_sid
    }

    /// How long the wait lasted.
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// How many times the challenge was fetched.
    pub fn polls(&self) -> u32 {
        self.polls
    }
}

impl fmt::Display for WaitTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "challenge {} was still pending when the wait's deadline passed ({:.1} s, {} polls)",
            self.challenge_sid,
            self.waited.as_secs_f64(),
            self.polls
        )
    }
}

impl std::error::Error for WaitTimedOut {}
