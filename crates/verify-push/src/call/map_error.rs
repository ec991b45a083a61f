//! Turning what went wrong in one attempt into the crate's [`Error`]: Twilio's error body,
//! transport failures, and responses that do not decode.

use crate::Error;
use crate::call::exchange::{Failure, ResponseMeta};
use crate::call::operation::Operation;
use crate::call::scrub;
use crate::call::secrets::Secrets;
use crate::call::settings::CallSettings;

use crate::error::{ApiError, DecodeError, ResponseTooLarge, TransportError};

/// Turns what went wrong in the exchange into our error, with what the exchange saw.
///
/// `cold`, like `decode_error`: errors are the rare path, and the compiler lays their code out
/// of the success path's way.
#[cold]
pub(crate) fn map_error<E>(
    failure: Failure<E>,
    meta: ResponseMeta,
    operation: Operation,
    settings: CallSettings,
    base_url: &str,
    secrets: &Secrets,
) -> Error {
    use verify_v2::apis::Error as Generated;
    let error = match failure {
        Failure::Generated(error) => error,
        Failure::Convert(reason) => {
            return decode_error(scrub::text(&reason, secrets), meta, secrets);
        }
        Failure::TooLarge(limit) => {
            return Error::ResponseTooLarge(ResponseTooLarge {
                status: meta.status,
                limit,
                request_id: meta.request_id().map(str::to_owned),
            });
        }
    };
    match error {
        Generated::ResponseError(response) => Error::Api(Box::new(api_error(
            response.status.as_u16(),
            &response.content,
            meta,
            secrets,
        ))),
        Generated::Reqwest(e) => transport(e, operation, settings, base_url),
        Generated::Serde(e) => decode_error(scrub::text(&e.to_string(), secrets), meta, secrets),
        Generated::SerdePathToError(e) => decode_error(
            scrub::text(&format!("at `{}`: {}", e.path(), e.inner()), secrets),
            meta,
            secrets,
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

pub(crate) fn api_error(
    status: u16,
    content: &str,
    meta: ResponseMeta,
    secrets: &Secrets,
) -> ApiError {
    let parsed = serde_json::from_str::<TwilioErrorBody>(content).ok();
    let (code, message, more_info, details) = match parsed {
        Some(body) => (
            body.code,
            body.message
                .filter(|m| !m.trim().is_empty())
                .map(|m| scrub::text(&m, secrets))
                .unwrap_or_else(|| reason(status)),
            body.more_info
                .filter(|m| !m.trim().is_empty())
                .map(|m| scrub::text(&m, secrets)),
            body.details.map(|d| scrub::json(d, secrets)),
        ),
        None => {
            let excerpt = scrub::excerpt(content.trim_start(), 120, secrets);
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
        request_id: meta.request_id().map(str::to_owned),
        retry_after: meta.retry_after(),
    }
}

fn reason(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unexpected status")
        .to_string()
}

#[cold]
pub(crate) fn decode_error(reason: String, meta: ResponseMeta, secrets: &Secrets) -> Error {
    const EXCERPT_CHARS: usize = 200;
    let excerpt = meta
        .body
        .as_ref()
        .map(|body| {
            let start = String::from_utf8_lossy(scrub::window(body, EXCERPT_CHARS));
            scrub::excerpt(start.trim(), EXCERPT_CHARS, secrets)
        })
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
        request_id: meta.request_id().map(str::to_owned),
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
                "{request} timed out: no complete response within the per-attempt timeout of {} s",
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
        let mut headers = http::HeaderMap::new();
        if let Some(id) = request_id {
            headers.insert("twilio-request-id", id.parse().unwrap());
        }
        ResponseMeta {
            headers,
            ..ResponseMeta::default()
        }
    }

    #[test]
    fn twilio_error_body_is_read() {
        let e = api_error(
            404,
            r#"{"code":20404,"message":"The requested resource was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#,
            meta(Some("RQ123")),
            &Secrets::default(),
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
            &Secrets::default(),
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
            &Secrets::default(),
        );
        assert!(
            e.to_string()
                .ends_with("(https://www.twilio.com/docs/errors/60200)"),
            "{e}"
        );
    }

    #[test]
    fn non_json_body_becomes_a_short_message() {
        let e = api_error(
            502,
            "<html><body>Bad Gateway</body></html>",
            meta(None),
            &Secrets::default(),
        );
        assert_eq!(e.code(), None);
        assert!(
            e.message()
                .starts_with("Bad Gateway (body is not Twilio's error JSON"),
            "{e}"
        );
        let e = api_error(503, "", meta(None), &Secrets::default());
        assert_eq!(e.message(), "Service Unavailable");
    }

    #[test]
    fn details_are_kept() {
        let e = api_error(
            400,
            r#"{"code":60200,"message":"x","details":{"field":"Ttl"}}"#,
            meta(None),
            &Secrets::default(),
        );
        assert_eq!(e.details().unwrap()["field"], "Ttl");
    }
}
