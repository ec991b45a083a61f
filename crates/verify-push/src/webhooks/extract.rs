//! `VerifiedEvent`: an axum extractor that hands a handler only webhook events whose
//! `X-Twilio-Signature` checks out (feature `axum`).

use axum_core::body::Body;
use axum_core::extract::{FromRequest, Request};
use axum_core::response::{IntoResponse, Response};
use bytes::Bytes;
use http::StatusCode;

use super::{WebhookError, WebhookEvent, WebhookValidator};

/// Where webhooks arrive and how their signatures are checked: the validator (with every auth
/// token it accepts, for rotation) and the public origin Twilio calls, e.g.
/// `https://example.com` (Twilio signs the URL it called, which a proxy or tunnel may change,
/// so it is configured, not read from the request). Add it to the router as an extension:
/// `.layer(axum::Extension(endpoint))`.
#[derive(Debug, Clone)]
pub struct WebhookEndpoint {
    validator: WebhookValidator,
    public_origin: String,
}

impl WebhookEndpoint {
    /// Checks signatures with `validator` against `public_origin` followed by the request's
    /// path and query (as the router sees them; with a nested router, include its prefix in
    /// `public_origin`).
    pub fn new(validator: WebhookValidator, public_origin: impl Into<String>) -> Self {
        Self {
            validator,
            public_origin: public_origin.into().trim_end_matches('/').to_string(),
        }
    }

    /// The URL Twilio signed for a request to `path_and_query`.
    fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.public_origin)
    }
}

/// A webhook event whose signature was checked: the body was read once, and the event parsed
/// only after the signature (and, for JSON, the body hash) passed.
///
/// ```ignore
/// async fn webhook(VerifiedEvent(event): VerifiedEvent) -> StatusCode {
///     if event.event_type() == &EventType::ChallengeApproved { /* … */ }
///     StatusCode::NO_CONTENT
/// }
/// ```
#[derive(Debug, Clone)]
pub struct VerifiedEvent(pub WebhookEvent);

/// Why a request was not a verified event: `403` (not from Twilio), `400` (from Twilio but
/// unreadable), or `500` (no [`WebhookEndpoint`] extension). The response has no body: nothing
/// of the request is echoed back.
#[derive(Debug)]
pub enum WebhookRejection {
    /// The signature (or the body hash) is missing or wrong.
    Unauthenticated(WebhookError),
    /// Signed, but not a readable event.
    Invalid(WebhookError),
    /// The body could not be read.
    Body,
    /// The router has no `WebhookEndpoint` extension.
    NotConfigured,
}

impl IntoResponse for WebhookRejection {
    fn into_response(self) -> Response {
        let status = match self {
            WebhookRejection::Unauthenticated(_) => StatusCode::FORBIDDEN,
            WebhookRejection::Invalid(_) | WebhookRejection::Body => StatusCode::BAD_REQUEST,
            WebhookRejection::NotConfigured => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, Body::empty()).into_response()
    }
}

impl<S: Send + Sync> FromRequest<S> for VerifiedEvent {
    type Rejection = WebhookRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let endpoint = request
            .extensions()
            .get::<WebhookEndpoint>()
            .cloned()
            .ok_or(WebhookRejection::NotConfigured)?;
        let headers = request.headers();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (signature, content_type) = (header("x-twilio-signature"), header("content-type"));
        let url = endpoint.url(request.uri().path_and_query().map_or("/", |p| p.as_str()));
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| WebhookRejection::Body)?;
        endpoint
            .validator
            .verify(&url, signature.as_deref(), content_type.as_deref(), &body)
            .map(VerifiedEvent)
            .map_err(|e| {
                if e.is_unauthenticated() {
                    WebhookRejection::Unauthenticated(e)
                } else {
                    WebhookRejection::Invalid(e)
                }
            })
    }
}
