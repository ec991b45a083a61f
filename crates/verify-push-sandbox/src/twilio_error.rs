//! Twilio's error body, `{"code", "message", "more_info", "status"}`, and the errors the sandbox
//! answers with in it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Twilio's error code for "the requested resource was not found".
pub(crate) const NOT_FOUND: u32 = 20404;
/// Twilio's error code for a failed authentication.
pub(crate) const AUTHENTICATE: u32 = 20003;
/// Twilio's error code for an HTTP method a resource does not support.
pub(crate) const METHOD_NOT_ALLOWED: u32 = 20004;
/// Verify's "invalid parameter".
pub(crate) const INVALID_PARAMETER: u32 = 60200;
/// Verify's "Access Token parameters invalid" (a required parameter is missing).
pub(crate) const ACCESS_TOKEN_PARAMETERS_INVALID: u32 = 60305;

/// An error the sandbox answers with, in Twilio's body shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TwilioError {
    pub(crate) status: StatusCode,
    pub(crate) code: u32,
    pub(crate) message: String,
}

/// The wire form. Field order is Twilio's (and alphabetical, as `serde_json` maps would sort it).
#[derive(Serialize)]
struct Body<'a> {
    code: u32,
    message: &'a str,
    more_info: String,
    status: u16,
}

impl TwilioError {
    pub(crate) fn new(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 404, code 20404, naming the resource path the way Twilio does (without the `/v2` prefix).
    pub(crate) fn not_found(resource: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            NOT_FOUND,
            format!("The requested resource {resource} was not found"),
        )
    }

    /// The JSON body, as bytes.
    pub(crate) fn to_json(&self) -> Vec<u8> {
        let body = Body {
            code: self.code,
            message: &self.message,
            more_info: more_info(self.code),
            status: self.status.as_u16(),
        };
        serde_json::to_vec(&body).expect("an error body always serializes")
    }
}

/// Twilio's documentation page for an error code, the `more_info` of every error body.
pub(crate) fn more_info(code: u32) -> String {
    format!("https://www.twilio.com/docs/errors/{code}")
}

impl IntoResponse for TwilioError {
    fn into_response(self) -> Response {
        let body = self.to_json();
        (
            self.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_twilios_fields_in_order() {
        let error = TwilioError::new(StatusCode::UNAUTHORIZED, AUTHENTICATE, "Authenticate");
        assert_eq!(
            String::from_utf8(error.to_json()).unwrap(),
            r#"{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"#
        );
    }
}
