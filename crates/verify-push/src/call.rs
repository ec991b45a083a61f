//! One logical call: attempts through the generated function, retries, error mapping, and a
//! `tracing` event per attempt.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::error::{ApiError, DecodeError, TransportError};
use crate::observe::{ResponseMeta, observed};
use crate::retry::{Idempotency, RetryPolicy};
use crate::{Error, scrub};

/// The operation being called, for retries and logs. The path is the template, so logs carry
/// no identifiers a reader did not expect.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operation {
    pub name: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub idempotency: Idempotency,
}

pub(crate) const CREATE_ACCESS_TOKEN: Operation = Operation {
    name: "create_access_token",
    method: "POST",
    path: "/v2/Services/{ServiceSid}/AccessTokens",
    idempotency: Idempotency::NotIdempotent,
};

pub(crate) const FETCH_ACCESS_TOKEN: Operation = Operation {
    name: "fetch_access_token",
    method: "GET",
    path: "/v2/Services/{ServiceSid}/AccessTokens/{Sid}",
    idempotency: Idempotency::Idempotent,
};

/// Settings a call needs from the client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallSettings {
    pub retry: RetryPolicy,
    pub timeout: Duration,
}

/// Calls `attempt` until it succeeds, fails for good, or the retry policy says stop, then
/// turns the generated model into the wrapper's type with `convert` (a failure there is a
/// decode error: the response lacked something the resource must have).
pub(crate) async fn execute<T, U, E, F, Fut>(
    operation: Operation,
    settings: CallSettings,
    base_url: &str,
    mut attempt: F,
    convert: fn(T) -> Result<U, String>,
) -> Result<U, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, verify_v2::apis::Error<E>>>,
{
    let mut number = 0u32;
    loop {
        number += 1;
        let started = Instant::now();
        let (result, meta) = observed(attempt()).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let error = match result {
            Ok(value) => match convert(value) {
                Ok(value) => {
                    tracing::debug!(
                        target: "verify_push",
                        operation = operation.name,
                        method = operation.method,
                        path = operation.path,
                        status = meta.status,
                        attempt = number,
                        elapsed_ms,
                        request_id = meta.request_id.as_deref(),
                        "Twilio request succeeded"
                    );
                    return Ok(value);
                }
                Err(reason) => decode_error(scrub::text(&reason), meta),
            },
            Err(e) => map_error(e, meta, operation, settings, base_url),
        };
        let delay = settings.retry.delay(operation.idempotency, &error, number);
        tracing::debug!(
            target: "verify_push",
            operation = operation.name,
            method = operation.method,
            path = operation.path,
            status = error.status(),
            code = error.code(),
            attempt = number,
            elapsed_ms,
            request_id = error.request_id(),
            retry_in_ms = delay.map(|d| d.as_millis() as u64),
            "Twilio request failed: {error}"
        );
        match delay {
            Some(delay) => tokio::time::sleep(delay).await,
            None => return Err(error),
        }
    }
}

/// Turns the generated crate's error into ours, with what the observer saw.
fn map_error<E>(
    error: verify_v2::apis::Error<E>,
    meta: ResponseMeta,
    operation: Operation,
    settings: CallSettings,
    base_url: &str,
) -> Error {
    use verify_v2::apis::Error as Generated;
    match error {
        Generated::ResponseError(response) => Error::Api(Box::new(api_error(
            response.status.as_u16(),
            &response.content,
            meta,
        ))),
        Generated::Reqwest(e) => transport(e, operation, settings, base_url),
        Generated::ReqwestMiddleware(reqwest_middleware::Error::Reqwest(e)) => {
            transport(e, operation, settings, base_url)
        }
        Generated::ReqwestMiddleware(reqwest_middleware::Error::Middleware(e)) => {
            Error::Transport(TransportError {
                what: format!(
                    "{} {} failed in the HTTP middleware",
                    operation.method, operation.path
                ),
                source: Some(e.into()),
            })
        }
        Generated::Serde(e) => decode_error(scrub::text(&e.to_string()), meta),
        Generated::SerdePathToError(e) => decode_error(
            scrub::text(&format!("at `{}`: {}", e.path(), e.inner())),
            meta,
        ),
        Generated::Io(e) => Error::Transport(TransportError {
            what: format!("{} {} failed: I/O error", operation.method, operation.path),
            source: Some(Box::new(e)),
        }),
    }
}

/// Twilio's error JSON: every field optional, since `code` can be missing, `more_info` empty,
/// and proxies answer with HTML.
#[derive(serde::Deserialize)]
struct TwilioErrorBody {
    code: Option<u32>,
    message: Option<String>,
    more_info: Option<String>,
    details: Option<serde_json::Value>,
}

pub(crate) fn api_error(status: u16, content: &str, meta: ResponseMeta) -> ApiError {
    let parsed = serde_json::from_str::<TwilioErrorBody>(content).ok();
    let (code, message, more_info, details) = match parsed {
        Some(body) => (
            body.code,
            body.message
                .filter(|m| !m.trim().is_empty())
                .map(|m| scrub::text(&m))
                .unwrap_or_else(|| reason(status)),
            body.more_info.filter(|m| !m.trim().is_empty()),
            body.details,
        ),
        None => {
            let excerpt = scrub::excerpt(content.trim(), 120);
            let message = if excerpt.is_empty() {
                reason(status)
            } else {
                format!(
                    "{} (body is not Twilio's error JSON: {excerpt})",
                    reason(status)
                )
            };
            (None, message, None, None)
        }
    };
    ApiError {
        status,
        code,
        message,
        more_info,
        details,
        request_id: meta.request_id,
        retry_after: meta.retry_after,
    }
}

fn reason(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unexpected status")
        .to_string()
}

fn decode_error(reason: String, meta: ResponseMeta) -> Error {
    let excerpt = meta
        .body
        .as_ref()
        .map(|body| scrub::excerpt(String::from_utf8_lossy(body).trim(), 200))
        .unwrap_or_default();
    let reason = match meta.status {
        Some(status) if (300..400).contains(&status) => {
            format!("a redirect, which this client never follows ({reason})")
        }
        _ => reason,
    };
    Error::Decode(DecodeError {
        status: meta.status,
        reason,
        excerpt,
        request_id: meta.request_id,
    })
}

fn transport(
    error: reqwest::Error,
    operation: Operation,
    settings: CallSettings,
    base_url: &str,
) -> Error {
    let request = format!("{} {}", operation.method, operation.path);
    if error.is_connect() {
        Error::Connect(TransportError {
            what: format!(
                "could not connect to {base_url} for {request} (the request was not sent)"
            ),
            source: Some(Box::new(error.without_url())),
        })
    } else if error.is_timeout() {
        Error::Timeout(TransportError {
            what: format!(
                "{request} timed out: no complete response within {} s",
                settings.timeout.as_secs_f64()
            ),
            source: Some(Box::new(error.without_url())),
        })
    } else {
        Error::Transport(TransportError {
            what: format!("{request} to {base_url} failed before a complete response arrived"),
            source: Some(Box::new(error.without_url())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(request_id: Option<&str>) -> ResponseMeta {
        ResponseMeta {
            request_id: request_id.map(str::to_owned),
            ..ResponseMeta::default()
        }
    }

    #[test]
    fn twilio_error_body_is_read() {
        let e = api_error(
            404,
            r#"{"code":20404,"message":"The requested resource was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#,
            meta(Some("RQ123")),
        );
        assert_eq!((e.status(), e.code()), (404, Some(20404)));
        assert_eq!(e.request_id(), Some("RQ123"));
        assert_eq!(
            e.to_string(),
            "Twilio error 20404 (HTTP 404): The requested resource was not found (https://www.twilio.com/docs/errors/20404)"
        );
    }

    #[test]
    fn missing_code_and_empty_more_info_are_handled() {
        let e = api_error(
            429,
            r#"{"message":"Too Many Requests","more_info":"","status":429}"#,
            meta(None),
        );
        assert_eq!(e.code(), None);
        assert_eq!(e.more_info(), None);
        assert_eq!(e.to_string(), "Twilio error (HTTP 429): Too Many Requests");
    }

    #[test]
    fn empty_more_info_falls_back_to_the_code_page() {
        let e = api_error(
            400,
            r#"{"code":60200,"message":"Invalid parameter","more_info":""}"#,
            meta(None),
        );
        assert!(
            e.to_string()
                .ends_with("(https://www.twilio.com/docs/errors/60200)"),
            "{e}"
        );
    }

    #[test]
    fn non_json_body_becomes_a_short_message() {
        let e = api_error(502, "<html><body>Bad Gateway</body></html>", meta(None));
        assert_eq!(e.code(), None);
        assert!(
            e.message()
                .starts_with("Bad Gateway (body is not Twilio's error JSON"),
            "{e}"
        );
        let e = api_error(503, "", meta(None));
        assert_eq!(e.message(), "Service Unavailable");
    }

    #[test]
    fn details_are_kept() {
        let e = api_error(
            400,
            r#"{"code":60200,"message":"x","details":{"field":"Ttl"}}"#,
            meta(None),
        );
        assert_eq!(e.details().unwrap()["field"], "Ttl");
    }
}
