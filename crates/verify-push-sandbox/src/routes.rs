//! The AccessTokens routes and their handlers, plus Twilio-style answers for unknown routes and
//! wrong methods. Requests reach these only after [`intake`](crate::intake) let them through.

use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;

use crate::access_token::AccessToken;
use crate::auth::{self, Caller};
use crate::delivery;
use crate::ids;
use crate::intake::{FormFields, intake};
use crate::resources;
use crate::state::SharedState;
use crate::twilio_error::{METHOD_NOT_ALLOWED, TwilioError};
use crate::validation::{self, PUSH};

/// The sandbox's whole HTTP surface.
pub(crate) fn router(state: Arc<SharedState>) -> Router {
    Router::new()
        .route("/v2/Services/{service_sid}/AccessTokens", post(create))
        .route("/v2/Services/{service_sid}/AccessTokens/{sid}", get(fetch))
        .merge(resources::router())
        // Inside the intake layer: a request it refuses produces no events. The resources
        // return their events on the response; this layer sends them.
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            delivery::after_response,
        ))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(unknown_route)
        .layer(middleware::from_fn_with_state(Arc::clone(&state), intake))
        // The phone page is added after the intake layer: it needs no Twilio credentials
        // (loopback only) and its requests are not API requests to record.
        .merge(crate::phone::router())
        // The control API likewise (loopback only, JSON; docs/sandbox.md#the-control-api).
        .merge(crate::control_api::router())
        .with_state(state)
}

/// `POST /v2/Services/{ServiceSid}/AccessTokens`: the service must be the sandbox's, then
/// Twilio's validation rules, then a fresh token.
async fn create(
    State(state): State<Arc<SharedState>>,
    uri: Uri,
    service_sid: Result<Path<String>, PathRejection>,
    Extension(caller): Extension<Caller>,
    Extension(FormFields(fields)): Extension<FormFields>,
) -> Response {
    // Only the account mints enrollment tokens; a device's `token` credential cannot.
    if !matches!(caller, Caller::Account) {
        return auth::challenge();
    }
    let Ok(Path(service_sid)) = service_sid else {
        return unknown_route(uri).await.into_response();
    };
    if !state.has_service(&service_sid) {
        return TwilioError::not_found(&format!("/Services/{service_sid}/AccessTokens"))
            .into_response();
    }
    let valid = match validation::validate_create(&fields) {
        Ok(valid) => valid,
        Err(error) => return error.into_response(),
    };
    let sid = ids::random_sid("YK");
    let token = AccessToken {
        url: format!(
            "{}/v2/Services/{service_sid}/AccessTokens/{sid}",
            state.base_url
        ),
        sid,
        account_sid: state.credentials.account_sid.clone(),
        service_sid: service_sid.clone(),
        entity_identity: valid.identity,
        factor_type: PUSH.to_owned(),
        factor_friendly_name: valid.friendly_name,
        token: ids::access_token(),
        ttl: valid.ttl,
        date_created: crate::resources::model::timestamp(state.now()),
    };
    let response = json(StatusCode::CREATED, &token);
    state.insert_token(token);
    response
}

/// `GET /v2/Services/{ServiceSid}/AccessTokens/{Sid}`: a token this sandbox issued, or 404.
async fn fetch(
    State(state): State<Arc<SharedState>>,
    uri: Uri,
    sids: Result<Path<(String, String)>, PathRejection>,
    Extension(caller): Extension<Caller>,
) -> Response {
    if !matches!(caller, Caller::Account) {
        return auth::challenge();
    }
    let Ok(Path((service_sid, sid))) = sids else {
        return unknown_route(uri).await.into_response();
    };
    // A token belongs to the service that minted it.
    let found = state.token(&sid).filter(|t| t.service_sid == service_sid);
    match found {
        Some(token) => json(StatusCode::OK, &token),
        None => TwilioError::not_found(&format!("/Services/{service_sid}/AccessTokens/{sid}"))
            .into_response(),
    }
}

/// Any path the sandbox does not serve: Twilio's 404.
async fn unknown_route(uri: Uri) -> TwilioError {
    TwilioError::not_found(uri.path())
}

/// A known path with a method it does not take: Twilio's 405 (code 20004).
async fn method_not_allowed(method: Method, uri: Uri) -> TwilioError {
    TwilioError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        METHOD_NOT_ALLOWED,
        format!(
            "Method not allowed: {method} is not supported on {}",
            uri.path()
        ),
    )
}

fn json(status: StatusCode, value: &impl Serialize) -> Response {
    let body = serde_json::to_vec(value).expect("an access token always serializes");
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}
