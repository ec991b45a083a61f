//! A reqwest-middleware layer that records what the generated functions drop: the response's
//! status, `Twilio-Request-Id`, `Retry-After`, and the body (for decode-error excerpts).
//!
//! The generated `verify_v2` functions return only the decoded entity or an error with status
//! and body. The observer runs inside them (the generator's `supportMiddleware` option) and
//! hands what it saw to the surrounding call through a task-local slot, so calls still go
//! through the generated code and share its one HTTP client.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest_middleware::{Middleware, Next};

/// What one HTTP exchange returned, beyond what the generated code passes on.
#[derive(Debug, Clone, Default)]
pub(crate) struct ResponseMeta {
    pub status: Option<u16>,
    pub request_id: Option<String>,
    pub retry_after: Option<Duration>,
    pub body: Option<bytes::Bytes>,
}

/// The slot a call installs around one attempt.
pub(crate) type Slot = Arc<Mutex<Option<ResponseMeta>>>;

tokio::task_local! {
    static CURRENT: Slot;
}

/// Runs `future` with a fresh slot and returns its output with what the observer recorded.
pub(crate) async fn observed<F: std::future::Future>(future: F) -> (F::Output, ResponseMeta) {
    let slot = Slot::default();
    let output = CURRENT.scope(slot.clone(), future).await;
    let meta = slot
        .lock()
        .map(|mut guard| guard.take())
        .unwrap_or_default()
        .unwrap_or_default();
    (output, meta)
}

/// The middleware. Outside [`observed`] (e.g. through [`Client::raw`](crate::Client::raw)) it
/// passes responses through untouched.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Observer;

#[async_trait::async_trait]
impl Middleware for Observer {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let response = next.run(request, extensions).await?;
        if CURRENT.try_with(|_| ()).is_err() {
            return Ok(response);
        }
        let status = response.status();
        let headers = response.headers().clone();
        let version = response.version();
        // Buffer the body (Twilio's are a few hundred bytes) so a decode failure can show an
        // excerpt, then hand the generated code an identical response.
        let body = response.bytes().await?;
        let meta = ResponseMeta {
            status: Some(status.as_u16()),
            request_id: header(&headers, "twilio-request-id"),
            retry_after: header(&headers, "retry-after").and_then(|v| parse_retry_after(&v)),
            body: Some(body.clone()),
        };
        let _ = CURRENT.try_with(|slot| {
            if let Ok(mut guard) = slot.lock() {
                *guard = Some(meta);
            }
        });
        let mut rebuilt = http::Response::new(body);
        *rebuilt.status_mut() = status;
        *rebuilt.headers_mut() = headers;
        *rebuilt.version_mut() = version;
        Ok(reqwest::Response::from(rebuilt))
    }
}

fn header(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `Retry-After` as delta-seconds. Twilio sends seconds; an HTTP-date is ignored rather than
/// trusted against a possibly skewed local clock.
fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_are_parsed() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }
}
