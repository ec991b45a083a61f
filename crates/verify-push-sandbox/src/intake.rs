//! What every request goes through before routing, in this order: it gets a request id, it is
//! counted, it takes the next injected failure (if any), it is authenticated, and once answered
//! it is recorded with its status (unless it was rejected for bad credentials). Doing this in
//! one middleware, rather than in the handlers, is what makes it hold for unknown routes, wrong
//! methods and unauthorized requests too.

use std::sync::Arc;

use axum::body::{self, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::{self, AuthRejected};
use crate::ids;
use crate::recording::RecordedRequest;
use crate::state::SharedState;
use crate::twilio_error::TwilioError;

/// Twilio's request id header, on every response.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("twilio-request-id");

/// Form bodies Twilio's API takes are a few hundred bytes; anything near this is a client bug.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// How long a request body may take to arrive, all of it.
const BODY_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The decoded form fields of the request body, handed to the handlers so the body is parsed once
/// and the handlers see exactly what was recorded.
#[derive(Debug, Clone)]
pub(crate) struct FormFields(pub(crate) Vec<(String, String)>);

/// The middleware (see the module docs).
pub(crate) async fn intake(
    State(state): State<Arc<SharedState>>,
    request: Request,
    next: Next,
) -> Response {
    let request_id = ids::request_id();
    let mut response = handle(&state, request, next, request_id.clone()).await;
    response.headers_mut().insert(
        REQUEST_ID,
        HeaderValue::from_str(&request_id).expect("a request id is ASCII"),
    );
    response
}

async fn handle(state: &SharedState, request: Request, next: Next, request_id: String) -> Response {
    let (parts, request_body) = request.into_parts();
    // Read before anything else so that even a request answered by an injected failure is
    // recorded with its form fields.
    // A body that trickles in byte by byte would dodge the idle timeout; this bounds the whole.
    let bytes = tokio::time::timeout(
        BODY_READ_TIMEOUT,
        body::to_bytes(request_body, MAX_BODY_BYTES),
    )
    .await
    .ok()
    .and_then(Result::ok);
    let mut recorded = RecordedRequest::new(&parts, bytes.as_deref(), request_id);
    let form = FormFields(recorded.form_fields.clone());
    state.count_request();

    let response = answer(state, parts, bytes, form, next).await;
    // Nothing of a request with bad credentials is kept: it may carry a guessed secret in a
    // form field, and a flood of them must not push real requests out of the log.
    if response.extensions().get::<AuthRejected>().is_none() {
        recorded.status = response.status().as_u16();
        state.record(recorded);
    }
    response
}

async fn answer(
    state: &SharedState,
    mut parts: axum::http::request::Parts,
    bytes: Option<axum::body::Bytes>,
    form: FormFields,
    next: Next,
) -> Response {
    if let Some(failure) = state.next_failure() {
        if let Some(wait) = failure.wait() {
            tokio::time::sleep(wait).await;
        }
        if let Some(response) = failure.response() {
            return response;
        }
    }

    let Some(bytes) = bytes else {
        return TwilioError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            20413,
            format!(
                "The request body is larger than {MAX_BODY_BYTES} bytes, or was not received within {} s",
                BODY_READ_TIMEOUT.as_secs()
            ),
        )
        .into_response();
    };
    let Some(caller) = state.credentials.caller(&parts.headers) else {
        return auth::challenge();
    };
    parts.extensions.insert(caller);
    parts.extensions.insert(form);
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
