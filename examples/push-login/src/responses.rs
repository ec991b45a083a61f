//! Errors as responses: JSON `{"error", "code"}` with a fitting status, never a panic and never
//! a secret (the library's errors carry none; database errors are logged, not returned).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use verify_push::Error;

use crate::console::say;

/// A `verify-push` error as a JSON error with a fitting status.
pub(crate) fn error(e: &Error) -> Response {
    let status = match e {
        Error::InvalidInput(_) => StatusCode::BAD_REQUEST,
        Error::Api(api) if (400..500).contains(&api.status()) => {
            StatusCode::from_u16(api.status()).unwrap_or(StatusCode::BAD_GATEWAY)
        }
        Error::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
        _ => StatusCode::BAD_GATEWAY,
    };
    api_error(status, "verify", &e.to_string())
}

/// A store error: logged here, and a plain 500 JSON error for the caller (no details).
pub(crate) fn db_error(e: &sqlx::Error) -> Response {
    say(&format!("database error: {e}"));
    api_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "database",
        "the database is unavailable; try again",
    )
}

/// `{"error": message, "code": code}` with `status`.
pub(crate) fn api_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "error": message, "code": code }))).into_response()
}
