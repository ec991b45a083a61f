//! `WebhookError`: which check an incoming webhook failed.

use std::fmt;

/// Why an incoming webhook was rejected.
///
/// Each variant names the check that failed, so a handler can log it and answer `403` (signature
/// problems) or `400` (a genuine delivery this crate cannot read). `Display` and `Debug` never
/// contain an auth token, the received signature, or the body.
///
/// ```
/// use verify_push::webhooks::{WebhookError, WebhookValidator};
///
/// let validator = WebhookValidator::new("your_auth_token").unwrap();
/// let err = validator
///     .check_signature("https://example.com/twilio/verify", None, None, b"")
///     .unwrap_err();
/// assert_eq!(err, WebhookError::MissingSignature);
/// assert!(err.is_unauthenticated());
/// assert_eq!(err.to_string(), "webhook rejected: no X-Twilio-Signature header");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request has no `X-Twilio-Signature` header (or an empty one).
    MissingSignature,
    /// The `X-Twilio-Signature` header is not the base64 of a 20-byte HMAC-SHA1.
    MalformedSignature,
    /// No accepted auth token signs this URL and body, with or without the port.
    SignatureMismatch,
    /// The body is JSON but the URL has no `bodySHA256` query parameter, so nothing signs the
    /// body. Twilio adds it to every JSON delivery; a missing one is a forgery or a URL rewritten
    /// on the way (a proxy dropping the query string).
    MissingBodyHash,
    /// The URL is signed correctly but the body's SHA-256 differs from its `bodySHA256`: the body
    /// was changed after signing.
    BodyHashMismatch,
    /// The URL is not an absolute `http://` or `https://` URL with a host.
    InvalidUrl {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The (authentic) body could not be read as a form or a JSON object.
    MalformedBody {
        /// What is wrong with it (never the body itself).
        reason: String,
    },
    /// A field the event needs (`uuid`, `type`) is absent or empty.
    MissingField {
        /// The payload's name for the field.
        field: &'static str,
    },
    /// A field has the wrong shape, e.g. a number or a repeated form key where one string is
    /// expected.
    InvalidField {
        /// The payload's name for the field.
        field: &'static str,
        /// What was expected.
        expected: &'static str,
    },
}

impl WebhookError {
    /// Whether the request failed authentication (answer `403` and do not act on it), as
    /// opposed to an authentic delivery this crate could not read (`400`) or a bad URL setting.
    ///
    /// ```
    /// use verify_push::webhooks::WebhookError;
    ///
    /// assert!(WebhookError::SignatureMismatch.is_unauthenticated());
    /// assert!(!WebhookError::MissingField { field: "uuid" }.is_unauthenticated());
    /// ```
    pub fn is_unauthenticated(&self) -> bool {
        match self {
            WebhookError::MissingSignature
            | WebhookError::MalformedSignature
            | WebhookError::SignatureMismatch
            | WebhookError::MissingBodyHash
            | WebhookError::BodyHashMismatch => true,
            WebhookError::InvalidUrl { .. }
            | WebhookError::MalformedBody { .. }
            | WebhookError::MissingField { .. }
            | WebhookError::InvalidField { .. } => false,
        }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("webhook rejected: ")?;
        match self {
            WebhookError::MissingSignature => f.write_str("no X-Twilio-Signature header"),
            WebhookError::MalformedSignature => {
                f.write_str("X-Twilio-Signature is not a base64 HMAC-SHA1")
            }
            WebhookError::SignatureMismatch => f.write_str(
                "X-Twilio-Signature does not match (wrong auth token, or not the exact URL Twilio called)",
            ),
            WebhookError::MissingBodyHash => {
                f.write_str("JSON body but no bodySHA256 query parameter in the URL")
            }
            WebhookError::BodyHashMismatch => {
                f.write_str("body does not match the bodySHA256 in the signed URL")
            }
            WebhookError::InvalidUrl { reason } => write!(f, "invalid webhook URL: {reason}"),
            WebhookError::MalformedBody { reason } => write!(f, "unreadable body: {reason}"),
            WebhookError::MissingField { field } => write!(f, "missing field {field}"),
            WebhookError::InvalidField { field, expected } => {
                write!(f, "invalid field {field}: expected {expected}")
            }
        }
    }
}

impl std::error::Error for WebhookError {}
