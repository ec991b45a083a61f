//! What the handlers share to read a request and shape an answer: form fields, Twilio's 400 for
//! a bad parameter, JSON responses, the account-only check and the service check.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::model::{Emitted, Event};
use crate::auth::Caller;
use crate::state::SharedState;
use crate::twilio_error::{INVALID_PARAMETER, TwilioError};

/// A JSON response.
pub(crate) fn json(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        value.to_string(),
    )
        .into_response()
}

/// `response`, carrying the events the change produced for the delivery layer to send
/// ([`Emitted`]); the resource itself never sends them.
pub(crate) fn with_events(
    service_sid: &str,
    mut response: Response,
    events: Vec<Event>,
) -> Response {
    response.extensions_mut().insert(Emitted {
        service_sid: service_sid.to_owned(),
        events,
    });
    response
}

/// The first value of form field `name`. Repeated keys: the first counts, as for access tokens.
pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Every value of a repeated form field, in the order sent (`Details.Fields`, `EventTypes`).
pub(crate) fn all<'a>(fields: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    fields
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .collect()
}

/// 400 / 60200, Verify's "invalid parameter", naming the parameter.
pub(crate) fn invalid(message: impl Into<String>) -> TwilioError {
    TwilioError::new(StatusCode::BAD_REQUEST, INVALID_PARAMETER, message)
}

/// A required parameter that is missing or empty: 400 / 60200 naming it.
pub(crate) fn required<'a>(
    fields: &'a [(String, String)],
    name: &str,
) -> Result<&'a str, TwilioError> {
    match field(fields, name) {
        Some(value) if !value.is_empty() => Ok(value),
        _ => Err(invalid(format!("Missing required parameter {name}"))),
    }
}

/// Why a handler stopped early: a Twilio error body, or a ready response (the 401 challenge).
#[derive(Debug)]
pub(crate) struct Reject(Box<Response>);

impl Reject {
    pub(crate) fn new(response: Response) -> Self {
        Reject(Box::new(response))
    }
}

impl From<TwilioError> for Reject {
    fn from(error: TwilioError) -> Self {
        Reject::new(error.into_response())
    }
}

impl IntoResponse for Reject {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// What every handler returns.
pub(crate) type Answer = Result<Response, Reject>;

/// Routes only the account may call: a device credential there is a 401, like a wrong password.
pub(crate) fn require_account(caller: &Caller) -> Result<(), Reject> {
    match caller {
        Caller::Account => Ok(()),
        Caller::Device(_) => Err(Reject::new(crate::auth::challenge())),
    }
}

/// The service in the path must be one of the sandbox's; otherwise Twilio's 404 for the path.
pub(crate) fn check_service(
    state: &SharedState,
    service_sid: &str,
    rest: &str,
) -> Result<(), TwilioError> {
    if state.has_service(service_sid) {
        Ok(())
    } else {
        Err(TwilioError::not_found(&format!(
            "/Services/{service_sid}{rest}"
        )))
    }
}

/// Number of Unicode scalar values: Twilio's limits do not say bytes or characters; characters
/// are the stricter reading for non-ASCII text only when the limit is in bytes, so the sandbox
/// counts characters (as the library does).
pub(crate) fn chars(value: &str) -> usize {
    value.chars().count()
}
