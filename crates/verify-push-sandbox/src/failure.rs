//! Injected failures: what the next responses should be instead of the normal ones, so retry and
//! timeout handling can be tested against something that behaves like Twilio on a bad day.

use std::collections::VecDeque;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::twilio_error::TwilioError;

/// A response (or a delay) to give the next request instead of the normal handling.
///
/// Queue one with [`Sandbox::fail_next`](crate::Sandbox::fail_next) or
/// [`Sandbox::fail_next_n`](crate::Sandbox::fail_next_n). Each request the sandbox receives takes
/// the oldest queued failure, **whatever its route, method or credentials**: the failure replaces
/// authentication and routing altogether (a delay-only failure postpones them). The request is
/// still counted and recorded, and the response still carries a `Twilio-Request-Id` header.
///
/// - [`Failure::status`] answers with that status. Unless [`raw_body`](Failure::raw_body) is set,
///   the body is Twilio's JSON error body: [`code`](Failure::code) defaults to 20000 + the status
///   (20429, 20500, 20503, …; 20003 for 401) and [`message`](Failure::message) to the status's
///   reason phrase.
/// - [`Failure::delay`] waits, then handles the request normally; use it to make a client time
///   out. [`with_delay`](Failure::with_delay) adds a wait before an injected status.
///
/// The response-shaping settings (`code`, `message`, `retry_after`, `raw_body`, `content_type`,
/// `header`) take effect only when the failure has a status.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use verify_push_sandbox::{Failure, Sandbox};
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sandbox = Sandbox::start().await?;
/// // Twilio's "too many concurrent requests", with a hint to wait one second.
/// sandbox.fail_next(
///     Failure::status(429)
///         .code(20429)
///         .message("Too many requests")
///         .retry_after(1),
/// );
/// // Then two server errors, then a slow answer.
/// sandbox.fail_next_n(2, Failure::status(503));
/// sandbox.fail_next(Failure::delay(Duration::from_millis(50)));
///
/// let response = reqwest::Client::new()
///     .get(format!("{}/v2/Services/{}/AccessTokens/YK00000000000000000000000000000000",
///         sandbox.base_url(), sandbox.service_sid()))
///     .send()
///     .await?;
/// assert_eq!(response.status(), 429);
/// assert_eq!(response.headers()["retry-after"], "1");
/// assert_eq!(sandbox.pending_failures(), 3);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    status: Option<StatusCode>,
    code: Option<u32>,
    message: Option<String>,
    retry_after: Option<u64>,
    raw_body: Option<Bytes>,
    content_type: Option<HeaderValue>,
    headers: Vec<(HeaderName, HeaderValue)>,
    delay: Option<Duration>,
}

impl Failure {
    fn empty() -> Self {
        Self {
            status: None,
            code: None,
            message: None,
            retry_after: None,
            raw_body: None,
            content_type: None,
            headers: Vec::new(),
            delay: None,
        }
    }

    /// Answer with this HTTP status and, by default, a Twilio JSON error body.
    ///
    /// # Panics
    ///
    /// If `status` is not a final HTTP status (200 to 999): a programming error in the test.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::Failure;
    ///
    /// // Body: {"code":20500,"message":"Internal Server Error","more_info":"…/20500","status":500}
    /// let failure = Failure::status(500);
    /// ```
    #[must_use]
    pub fn status(status: u16) -> Self {
        Self::empty().with_status(status)
    }

    /// Wait this long, then handle the request normally (authentication, routing and all).
    /// Combine with [`with_status`](Failure::with_status) to wait and then fail.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use verify_push_sandbox::Failure;
    ///
    /// let slow = Failure::delay(Duration::from_secs(2));
    /// let slow_then_503 = Failure::delay(Duration::from_secs(2)).with_status(503);
    /// ```
    #[must_use]
    pub fn delay(delay: Duration) -> Self {
        Self::empty().with_delay(delay)
    }

    /// Set or replace the status to answer with (see [`Failure::status`]).
    ///
    /// # Panics
    ///
    /// If `status` is not a final HTTP status (200 to 999).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use verify_push_sandbox::Failure;
    ///
    /// let failure = Failure::delay(Duration::from_millis(500)).with_status(504);
    /// ```
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        let status = StatusCode::from_u16(status)
            .ok()
            .filter(|s| s.as_u16() >= 200)
            .unwrap_or_else(|| panic!("Failure status {status} is not a final HTTP status"));
        self.status = Some(status);
        self
    }

    /// Set or replace the wait before the request is answered (see [`Failure::delay`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use verify_push_sandbox::Failure;
    ///
    /// let failure = Failure::status(503).with_delay(Duration::from_millis(200));
    /// ```
    #[must_use]
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The Twilio error `code` in the JSON body (and the `more_info` URL built from it).
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::Failure;
    ///
    /// // Verify's product rate limit: not safe to retry blindly.
    /// let failure = Failure::status(429).code(60203).message("Max send attempts reached");
    /// ```
    #[must_use]
    pub fn code(mut self, code: u32) -> Self {
        self.code = Some(code);
        self
    }

    /// The `message` in the JSON body.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::Failure;
    ///
    /// let failure = Failure::status(500).message("Something broke upstream");
    /// ```
    #[must_use]
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// A `Retry-After` header, in seconds.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::Failure;
    ///
    /// let failure = Failure::status(429).code(20429).retry_after(2);
    /// ```
    #[must_use]
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// Send these bytes as the body instead of Twilio's JSON error body (for testing how a
    /// client copes with a body it cannot parse). The content type stays `application/json`,
    /// as Twilio would label it, unless [`content_type`](Failure::content_type) says otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::Failure;
    ///
    /// let truncated = Failure::status(200).raw_body(r#"{"sid":"YK"#);
    /// let html = Failure::status(502)
    ///     .raw_body("<html>Bad gateway</html>")
    ///     .content_type("text/html");
    /// ```
    #[must_use]
    pub fn raw_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.raw_body = Some(Bytes::from(body.into()));
        self
    }

    /// The `Content-Type` of the response.
    ///
    /// # Panics
    ///
    /// If `content_type` is not a valid header value.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::Failure;
    ///
    /// let failure = Failure::status(200).raw_body("not json").content_type("text/plain");
    /// ```
    #[must_use]
    pub fn content_type(mut self, content_type: &str) -> Self {
        let value = HeaderValue::from_str(content_type)
            .unwrap_or_else(|_| panic!("{content_type:?} is not a valid Content-Type value"));
        self.content_type = Some(value);
        self
    }

    /// Any other response header. May be given more than once.
    ///
    /// # Panics
    ///
    /// If `name` or `value` is not valid in an HTTP header.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::Failure;
    ///
    /// let failure = Failure::status(503).header("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT");
    /// ```
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes())
            .unwrap_or_else(|_| panic!("{name:?} is not a valid header name"));
        let value = HeaderValue::from_str(value)
            .unwrap_or_else(|_| panic!("{value:?} is not a valid header value"));
        self.headers.push((name, value));
        self
    }

    /// How long to wait before answering, if at all.
    pub(crate) fn wait(&self) -> Option<Duration> {
        self.delay
    }

    /// The injected response, or `None` when the request is to be handled normally.
    pub(crate) fn response(&self) -> Option<Response> {
        let status = self.status?;
        let body = match &self.raw_body {
            Some(raw) => raw.clone(),
            None => Bytes::from(
                TwilioError::new(
                    status,
                    self.code.unwrap_or_else(|| default_code(status)),
                    self.message
                        .clone()
                        .unwrap_or_else(|| default_message(status)),
                )
                .to_json(),
            ),
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = status;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            self.content_type
                .clone()
                .unwrap_or_else(|| HeaderValue::from_static("application/json")),
        );
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        for (name, value) in &self.headers {
            headers.append(name.clone(), value.clone());
        }
        Some(response)
    }
}

/// Twilio's generic codes follow the HTTP status (20404, 20429, 20500, 20503), except that a
/// failed authentication is 20003.
fn default_code(status: StatusCode) -> u32 {
    match status {
        StatusCode::UNAUTHORIZED => crate::twilio_error::AUTHENTICATE,
        _ => 20_000 + u32::from(status.as_u16()),
    }
}

fn default_message(status: StatusCode) -> String {
    status
        .canonical_reason()
        .unwrap_or("Injected failure")
        .to_owned()
}

/// Failures waiting for requests, oldest first.
#[derive(Debug, Default)]
pub(crate) struct FailureQueue(VecDeque<Failure>);

impl FailureQueue {
    pub(crate) fn push(&mut self, count: usize, failure: &Failure) {
        self.0.extend(std::iter::repeat_n(failure, count).cloned());
    }

    pub(crate) fn pop(&mut self) -> Option<Failure> {
        self.0.pop_front()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_alone_has_no_response() {
        assert!(Failure::delay(Duration::from_secs(1)).response().is_none());
    }

    #[test]
    fn default_codes_follow_the_status() {
        assert_eq!(default_code(StatusCode::SERVICE_UNAVAILABLE), 20503);
        assert_eq!(default_code(StatusCode::TOO_MANY_REQUESTS), 20429);
        assert_eq!(default_code(StatusCode::UNAUTHORIZED), 20003);
    }

    #[test]
    #[should_panic(expected = "not a final HTTP status")]
    fn informational_status_is_refused() {
        let _ = Failure::status(101);
    }

    #[test]
    fn queue_is_fifo_and_repeats() {
        let mut queue = FailureQueue::default();
        queue.push(2, &Failure::status(500));
        queue.push(1, &Failure::status(503));
        assert_eq!(queue.len(), 3);
        assert_eq!(queue.pop(), Some(Failure::status(500)));
        assert_eq!(queue.pop(), Some(Failure::status(500)));
        assert_eq!(queue.pop(), Some(Failure::status(503)));
        assert_eq!(queue.pop(), None);
    }
}
