//! One HTTP exchange: the request the generated `<op>_request` function built is sent on the
//! client's reqwest client, the response is read once, and the generated `<op>_response`
//! function decodes it. What the generated functions would drop is kept beside the result: the
//! status, `Twilio-Request-Id`, `Retry-After`, and the body (for decode-error excerpts).
//!
//! This is the generated `<op>` function with its middle step done here (the template patch
//! splits each operation in three; docs/regenerating.md), so the body is read once, into the
//! buffer the decoder reads and the excerpt comes from, and nothing is rebuilt for the
//! generated code to read again.
//!
//! It is also where the response size limit is enforced: the body is read chunk by chunk and
//! the read stops as soon as it passes the limit, so a hostile or broken server cannot make the
//! client hold (or parse, or scrub) more than the limit.

use std::time::Duration;

use verify_v2::apis::{ContentType, Error as Generated};

/// What one HTTP exchange returned, beyond what the generated decoder passes on.
#[derive(Debug, Clone, Default)]
pub(crate) struct ResponseMeta {
    pub status: Option<u16>,
    /// The response's headers, moved out of it (not copied): `Twilio-Request-Id` and
    /// `Retry-After` are looked up only by an error or a log line that shows them.
    pub headers: http::HeaderMap,
    pub body: Option<bytes::Bytes>,
}

/// Why an exchange gave no model.
#[derive(Debug)]
pub(crate) enum Failure<E> {
    /// What the generated code reported: a transport error, Twilio's error response, a body
    /// that does not decode.
    Generated(Generated<E>),
    /// The body was longer than the limit (in bytes), so it was not read to its end and the
    /// generated decoder never saw it.
    TooLarge(usize),
    /// The generated model decoded, but lacks what the wrapper's type must have: the reason,
    /// naming the field.
    Convert(String),
}

impl ResponseMeta {
    /// `Twilio-Request-Id`, Twilio's id of the request (for support tickets and logs), when the
    /// response had one in plain text.
    pub(crate) fn request_id(&self) -> Option<&str> {
        self.headers
            .get(&TWILIO_REQUEST_ID)
            .and_then(|v| v.to_str().ok())
    }

    /// How long the response asks the client to wait before trying again.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        header(&self.headers, &http::header::RETRY_AFTER).and_then(|v| parse_retry_after(&v))
    }
}

/// A generated `<op>_response` function: status, Content-Type and body to the generated model.
pub(crate) type Decode<T, E> =
    fn(reqwest::StatusCode, ContentType, &[u8]) -> Result<T, Generated<E>>;

/// Awaits the response `sending` (reqwest's future for the request) resolves to, decodes it
/// with `decode` and turns the generated model into the wrapper's type with `convert`, reading
/// at most `max_body` bytes.
///
/// It takes reqwest's small future, not the request, and reads the headers only after the
/// body: what an async function holds across an `.await` is kept in its future, which every
/// call moves (and `wait` boxes), so it holds as little as it can. For the same reason it
/// returns the wrapper's type, not the generated model: the model (400 bytes for a challenge)
/// lives only in [`decode_into`]'s frame, instead of being moved out of this future and
/// through the retry loop before it is converted.
pub(crate) async fn exchange<T, U, E>(
    sending: impl std::future::Future<Output = reqwest::Result<reqwest::Response>>,
    max_body: usize,
    decode: Decode<T, E>,
    convert: &impl Fn(T) -> Result<U, String>,
) -> (Result<U, Failure<E>>, ResponseMeta) {
    let mut response = match sending.await {
        Ok(response) => response,
        Err(e) => {
            let failure = Failure::Generated(Generated::Reqwest(e));
            return (Err(failure), ResponseMeta::default());
        }
    };
    let body = read_capped(&mut response, max_body).await;
    let status = response.status();
    let mut meta = ResponseMeta {
        status: Some(status.as_u16()),
        headers: std::mem::take(response.headers_mut()),
        body: None,
    };
    match body {
        Ok(Some(body)) => {
            // As the generated function reads it.
            let content_type = ContentType::from(
                meta.headers
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("application/octet-stream"),
            );
            let decoded = decode_into(decode, convert, status, content_type, &body);
            meta.body = Some(body);
            (decoded, meta)
        }
        Ok(None) => (Err(Failure::TooLarge(max_body)), meta),
        Err(e) => (Err(Failure::Generated(Generated::Reqwest(e))), meta),
    }
}

/// The generated decoder, then the conversion. Out of line, so the generated model is written
/// and read in this one frame.
#[inline(never)]
fn decode_into<T, U, E>(
    decode: Decode<T, E>,
    convert: &impl Fn(T) -> Result<U, String>,
    status: reqwest::StatusCode,
    content_type: ContentType,
    body: &[u8],
) -> Result<U, Failure<E>> {
    let model = decode(status, content_type, body).map_err(Failure::Generated)?;
    convert(model).map_err(Failure::Convert)
}

/// The whole body, or `None` as soon as it is known to be longer than `max` bytes.
async fn read_capped(
    response: &mut reqwest::Response,
    max: usize,
) -> reqwest::Result<Option<bytes::Bytes>> {
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
