//! A reqwest-middleware layer that records what the generated functions drop: the response's
//! status, `Twilio-Request-Id`, `Retry-After`, and the body (for decode-error excerpts).
//!
//! The generated `verify_v2` functions return only the decoded entity or an error with status
//! and body. The observer runs inside them (the generator's `supportMiddleware` option) and
//! hands what it saw to the surrounding call through a task-local slot, so calls still go
//! through the generated code and share its one HTTP client.
//!
//! It is also where the response size limit is enforced: the body is read chunk by chunk and
//! the read stops as soon as it passes the limit, so a hostile or broken server cannot make the
//! client hold (or parse, or scrub) more than the limit.

use std::cell::RefCell;
use std::time::Duration;

use reqwest::ResponseBuilderExt;
use reqwest_middleware::{Middleware, Next};

/// What one HTTP exchange returned, beyond what the generated code passes on.
#[derive(Debug, Clone, Default)]
pub(crate) struct ResponseMeta {
    pub status: Option<u16>,
    pub request_id: Option<String>,
    pub retry_after: Option<Duration>,
    pub body: Option<bytes::Bytes>,
    /// Set when the body was longer than the limit (the limit, in bytes); `body` is then `None`.
    pub too_large: Option<usize>,
}

tokio::task_local! {
    /// What the observer recorded for the attempt running in this task, if any. The attempt
    /// owns it (no allocation or lock per call) and hands it back when it ends.
    static CURRENT: RefCell<Option<ResponseMeta>>;
}

/// Runs `future` with a fresh slot and returns its output with what the observer recorded.
pub(crate) async fn observed<F: std::future::Future>(future: F) -> (F::Output, ResponseMeta) {
    let mut scoped = std::pin::pin!(CURRENT.scope(RefCell::new(None), future));
    let output = scoped.as_mut().await;
    let meta = scoped
        .as_mut()
        .take_value()
        .and_then(RefCell::into_inner)
        .unwrap_or_default();
    (output, meta)
}

/// The middleware. Outside [`observed`] (e.g. through [`Client::raw`](crate::Client::raw)) it
/// passes responses through untouched.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Observer {
    /// The response size limit, in bytes.
    pub max_body: usize,
}

/// The middleware's error when a body passes the limit; `map_error` turns it into
/// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge) using the slot.
#[derive(Debug)]
struct BodyTooLarge(usize);

impl std::fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "response body larger than {} bytes", self.0)
    }
}

impl std::error::Error for BodyTooLarge {}

#[async_trait::async_trait]
impl Middleware for Observer {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let mut response = next.run(request, extensions).await?;
        if CURRENT.try_with(|_| ()).is_err() {
            return Ok(response);
        }
        let status = response.status();
        let version = response.version();
        // Moved out, not copied: the response is rebuilt around the buffered body below.
        let headers = std::mem::take(response.headers_mut());
        let extensions = std::mem::take(response.extensions_mut());
        let url = response.url().clone();
        let mut meta = ResponseMeta {
            status: Some(status.as_u16()),
            request_id: header(&headers, &TWILIO_REQUEST_ID),
            retry_after: header(&headers, &http::header::RETRY_AFTER)
                .and_then(|v| parse_retry_after(&v)),
            body: None,
            too_large: None,
        };
        // Buffer the body (Twilio's are a few hundred bytes) so a decode failure can show an
        // excerpt, then hand the generated code an identical response. Read chunk by chunk so
        // the limit holds while reading, not after: a declared length over it is refused before
        // a byte is read, an undeclared one as soon as it passes.
        let body = match read_capped(&mut response, self.max_body).await? {
            Some(body) => body,
            None => {
                meta.too_large = Some(self.max_body);
                record(meta);
                return Err(reqwest_middleware::Error::middleware(BodyTooLarge(
                    self.max_body,
                )));
            }
        };
        meta.body = Some(body.clone());
        record(meta);
        // The URL goes along as reqwest's own response carries it, so errors name it and
        // reqwest does not parse a placeholder URL for every response.
        let mut rebuilt = http::Response::builder()
            .status(status)
            .version(version)
            .url(url)
            .body(body)
            .map_err(reqwest_middleware::Error::middleware)?;
        *rebuilt.headers_mut() = headers;
        rebuilt.extensions_mut().extend(extensions);
        Ok(reqwest::Response::from(rebuilt))
    }
}

fn record(meta: ResponseMeta) {
    let _ = CURRENT.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = Some(meta);
        }
    });
}

/// The whole body, or `None` as soon as it is known to be longer than `max` bytes.
async fn read_capped(
    response: &mut reqwest::Response,
    max: usize,
) -> reqwest_middleware::Result<Option<bytes::Bytes>> {
    let declared = response.content_length();
    if declared.is_some_and(|length| length > max as u64) {
        return Ok(None);
    }
    // Most bodies arrive in one chunk, which is kept as it is; only a body in several chunks
    // is copied into one buffer.
    let Some(first) = response.chunk().await? else {
        return Ok(Some(bytes::Bytes::new()));
    };
    if first.len() > max {
        return Ok(None);
    }
    // The whole declared body in one chunk: hyper never reads past a Content-Length, so there
    // is no need to poll the body again for its end.
    if declared == Some(first.len() as u64) {
        return Ok(Some(first));
    }
    let Some(second) = response.chunk().await? else {
        return Ok(Some(first));
    };
    if first.len() + second.len() > max {
        return Ok(None);
    }
    let mut body = bytes::BytesMut::with_capacity(first.len() + second.len());
    body.extend_from_slice(&first);
    body.extend_from_slice(&second);
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > max {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body.freeze()))
}

/// Twilio's id of the request, for support tickets and logs. A constant name, so no lookup
/// parses it again.
static TWILIO_REQUEST_ID: http::HeaderName = http::HeaderName::from_static("twilio-request-id");

fn header(headers: &http::HeaderMap, name: &http::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `Retry-After` as delta-seconds or as an HTTP-date (RFC 9110 section 10.2.3). A date is
/// turned into a wait against the local clock; one in the past means "now". Twilio sends
/// seconds; proxies and load balancers may send a date. Of the three HTTP-date forms only the
/// preferred IMF-fixdate (`Wed, 21 Oct 2015 07:28:00 GMT`) is read; the obsolete RFC 850 and
/// asctime forms are ignored (the backoff applies).
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_are_parsed() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn retry_after_http_dates_are_parsed() {
        // In the past: retry now.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let in_ten = (chrono::Utc::now() + chrono::Duration::seconds(10))
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        let wait = parse_retry_after(&in_ten).expect("an IMF-fixdate is read");
        assert!(
            wait > Duration::from_secs(7) && wait <= Duration::from_secs(10),
            "{wait:?}"
        );
    }
}
