//! CSRF tokens on every state-changing request: the key and salt live in the database, so every
//! instance accepts the tokens of every other.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_csrf::{CsrfConfig, CsrfToken, Key};
use serde_json::json;

use crate::auth::random_id;
use crate::responses::api_error;
use crate::state::AppState;
use crate::store::Store;

/// The header the page sends its CSRF token in.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

/// The CSRF configuration with the key and salt every instance shares (from the database).
pub(crate) async fn csrf_config(
    store: &dyn Store,
    secure: bool,
) -> Result<CsrfConfig, sqlx::Error> {
    let key = store
        .setting_or_insert("csrf_key", &(random_id() + &random_id()))
        .await?;
    let salt = store.setting_or_insert("csrf_salt", &random_id()).await?;
    let key = hex::decode(key).map_err(|e| sqlx::Error::Decode(e.into()))?;
    Ok(CsrfConfig::default()
        .with_key(Some(Key::from(&key)))
        .with_salt(salt)
        .with_cookie_name("push_login_csrf")
        .with_secure(secure))
}

/// The request's CSRF token: from its cookie, or a new one.
async fn token_of(state: &AppState, parts: &mut axum::http::request::Parts) -> Option<CsrfToken> {
    CsrfToken::from_request_parts(parts, &state.csrf).await.ok()
}

/// `GET /csrf`: a token for the page's requests (and its cookie).
pub(crate) async fn csrf_token(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    let Some(token) = token_of(&state, &mut parts).await else {
        return api_error(StatusCode::INTERNAL_SERVER_ERROR, "csrf", "try again");
    };
    match token.authenticity_token() {
        Ok(value) => (token, Json(json!({ "token": value }))).into_response(),
        Err(_) => api_error(StatusCode::INTERNAL_SERVER_ERROR, "csrf", "try again"),
    }
}

/// Refuses a state-changing request without a valid CSRF token (403). Webhooks are exempt: they
/// come from Twilio, not a browser, and carry a signature instead.
pub(crate) async fn require_csrf(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || request.uri().path() == "/webhooks/verify" {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let given = parts
        .headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let token = token_of(&state, &mut parts).await;
    let valid =
        matches!((token, given), (Some(token), Some(given)) if token.verify(&given).is_ok());
    if !valid {
        return api_error(
            StatusCode::FORBIDDEN,
            "csrf",
            "missing or stale CSRF token: reload the page",
        );
    }
    next.run(Request::from_parts(parts, body)).await
}
