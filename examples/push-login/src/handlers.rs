//! The router, the page, and the endpoints for enrollment, devices and webhooks (the account's
//! are in `account`). Errors go out through `responses`.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Extension, Json, Router};
use serde_json::json;
use verify_push::webhooks::VerifiedEvent;

use crate::account::{self, identity, require_user, verify_factors};
use crate::console::say;
use crate::csrf;
use crate::responses::{api_error, db_error, error};
use crate::state::AppState;
use crate::webhook_log::Recorded;

/// How long one request may take before the example gives up on it.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

pub(crate) fn router(state: Arc<AppState>) -> Router {
    let router = Router::new()
        .route("/", get(page))
        .route("/csrf", get(csrf::csrf_token))
        .route("/me", get(account::me))
        .route("/signup", post(account::signup))
        .route("/signin", post(account::signin))
        .route("/signout", post(account::signout))
        .route("/login/{poll}", get(account::login_status))
        .route("/enroll", post(enroll))
        .route("/devices", get(devices))
        .route("/devices/{sid}", delete(delete_device))
        .route(
            "/webhooks/verify",
            match &state.webhook {
                Some(_) => post(webhook),
                None => post(no_webhook_key),
            },
        )
        .route("/events", get(events))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::require_csrf,
        ))
        // A slow upstream must not hold a request (and its connection) forever.
        .layer(axum::middleware::from_fn(
            |request, next: axum::middleware::Next| async move {
                match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
                    Ok(response) => response,
                    Err(_) => api_error(
                        StatusCode::GATEWAY_TIMEOUT,
                        "timeout",
                        "the request took too long",
                    ),
                }
            },
        ));
    // What `VerifiedEvent` checks signatures with.
    let router = match state.webhook.clone() {
        Some(endpoint) => router.layer(Extension(endpoint)),
        None => router,
    };
    router.with_state(state)
}

/// Without an auth token, no webhook can be checked: refuse them all.
async fn no_webhook_key() -> Response {
    api_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "no_webhook_key",
        "no auth token configured to check webhook signatures",
    )
}

async fn page() -> Html<&'static str> {
    Html(include_str!("page.html"))
}

/// `POST /enroll`: an enrollment token for the signed-in user, as the app needs it.
async fn enroll(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let user = match require_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let created = state
        .client
        .service(&state.service_sid)
        .access_tokens()
        .create(identity(&user).as_str())
        .factor_friendly_name("My phone")
        .ttl(Duration::from_secs(300))
        .send()
        .await;
    let token = match created {
        Ok(token) => token,
        Err(e) => return error(&e),
    };
    let enrollment = token.enrollment();
    let Ok(json) = serde_json::to_string(&enrollment) else {
        return api_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "try again");
    };
    // The sandbox's phone page enrolls from a link; a real app would scan the JSON itself.
    let link = state.phone_url.as_ref().map(|phone| {
        let query: String = form_urlencoded::byte_serialize(json.as_bytes()).collect();
        format!("{phone}?enroll={query}")
    });
    let qr_svg = qrcode::QrCode::new(link.as_deref().unwrap_or(&json))
        .map(|code| {
            code.render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .build()
        })
        .ok();
    let mut body = serde_json::to_value(&enrollment).unwrap_or_default();
    body["link"] = json!(link);
    body["qr_svg"] = json!(qr_svg);
    Json(body).into_response()
}

/// `GET /devices`: the signed-in user's factors at Verify; verified ones are bound to the user
/// in the store as they are seen.
async fn devices(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let user = match require_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let factors = match verify_factors(&state, &user).await {
        Ok(factors) => factors,
        Err(e) => return error(&e),
    };
    for f in factors.iter().filter(|f| f.is_verified()) {
        let name = f.friendly_name().unwrap_or("");
        if let Err(e) = state
            .store
            .add_factor(&user.id, f.sid().as_str(), name)
            .await
        {
            return db_error(&e);
        }
    }
    Json(
        factors
            .iter()
            .map(|f| json!({ "sid": f.sid(), "friendly_name": f.friendly_name(), "status": f.status() }))
            .collect::<Vec<_>>(),
    )
    .into_response()
}

/// `DELETE /devices/{sid}`: removes one of the signed-in user's factors (the entity is the
/// user's own, so another user's SID is a 404 at Verify).
async fn delete_device(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(sid): Path<String>,
) -> Response {
    let user = match require_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let entity = state
        .client
        .service(&state.service_sid)
        .entity(identity(&user).as_str());
    match entity.factors().delete(&sid).await {
        Ok(()) => match state.store.remove_factor(&user.id, &sid).await {
            Ok(_) => StatusCode::NO_CONTENT.into_response(),
            Err(e) => db_error(&e),
        },
        Err(e) => error(&e),
    }
}

/// `POST /webhooks/verify`: Twilio's (or the sandbox's) event; `VerifiedEvent` has checked the
/// signature (403 otherwise). Applied once per event `uuid`: the store remembers them, across
/// restarts and instances.
async fn webhook(
    State(state): State<Arc<AppState>>,
    VerifiedEvent(event): VerifiedEvent,
) -> Response {
    let fresh = match state.store.first_delivery(event.uuid()).await {
        Ok(fresh) => fresh,
        Err(e) => return db_error(&e),
    };
    say(&format!(
        "webhook {} {}{}",
        event.event_type(),
        event.uuid(),
        if fresh { "" } else { " (duplicate, ignored)" }
    ));
    if !fresh {
        return StatusCode::NO_CONTENT.into_response();
    }
    let answer = match event.event_type().to_string().as_str() {
        "challenge.approved" => Some("approved"),
        "challenge.denied" => Some("denied"),
        _ => None,
    };
    if let (Some(answer), Some(sid)) = (answer, event.challenge_sid()) {
        if let Err(e) = state.store.move_attempt(sid, "pending", answer).await {
            return db_error(&e);
        }
    }
    state.events.record(Recorded {
        uuid: event.uuid().to_string(),
        event_type: event.event_type().to_string(),
        challenge_sid: event.challenge_sid().map(str::to_owned),
        factor_sid: event.factor_sid().map(str::to_owned),
    });
    StatusCode::NO_CONTENT.into_response()
}

/// `GET /events`: what this instance's webhook received (a demo view, kept in memory).
async fn events(State(state): State<Arc<AppState>>) -> Response {
    Json(state.events.all()).into_response()
}
