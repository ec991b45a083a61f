//! Sign-up, sign-in (password, then a push to the user's phone), the login poll, sign-out.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use verify_push::factors::Factor;
use verify_push::{Error, Identity};

use crate::auth;
use crate::limits::too_many;
use crate::responses::{api_error, db_error, error};
use crate::state::AppState;
use crate::store::User;

/// What the sign-up and sign-in forms send.
#[derive(Deserialize)]
pub(crate) struct Credentials {
    email: String,
    password: String,
}

/// The form's JSON; `None` gets [`bad_form`] (axum's own rejection is plain text).
fn credentials(body: &[u8]) -> Option<Credentials> {
    serde_json::from_slice(body).ok()
}

fn bad_form() -> Response {
    api_error(
        StatusCode::BAD_REQUEST,
        "bad_request",
        "send JSON: {\"email\": …, \"password\": …}",
    )
}

/// The signed-in user of a request, from its session cookie.
pub(crate) async fn current_user(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<User>, Response> {
    let Some(id) = auth::session_cookie(headers) else {
        return Ok(None);
    };
    state
        .store
        .session_user(&id)
        .await
        .map_err(|e| db_error(&e))
}

/// The signed-in user, or a 401 JSON error.
pub(crate) async fn require_user(state: &AppState, headers: &HeaderMap) -> Result<User, Response> {
    current_user(state, headers)
        .await?
        .ok_or_else(|| api_error(StatusCode::UNAUTHORIZED, "signed_out", "sign in first"))
}

/// The Verify identity of a user: a hash of the user's id, so no email reaches Twilio.
pub(crate) fn identity(user: &User) -> Identity {
    Identity::hashed(&user.id)
}

/// The user's factors at Verify (up to 50). A user who never enrolled has no Entity yet, which
/// Verify answers with a 404: no factors, not an error.
pub(crate) async fn verify_factors(state: &AppState, user: &User) -> Result<Vec<Factor>, Error> {
    let listed = state
        .client
        .service(&state.service_sid)
        .entity(identity(user).as_str())
        .factors()
        .list()
        .limit(50)
        .await;
    match listed {
        Err(e) if e.status() == Some(404) => Ok(Vec::new()),
        other => other,
    }
}

/// A short browser name from a User-Agent, at most 128 characters (a challenge field's limit).
pub(crate) fn browser_name(user_agent: &str) -> String {
    let name = if user_agent.contains("Edg/") {
        "Edge"
    } else if user_agent.contains("Chrome/") || user_agent.contains("Chromium/") {
        "Chrome"
    } else if user_agent.contains("Firefox/") {
        "Firefox"
    } else if user_agent.contains("Safari/") {
        "Safari"
    } else if user_agent.is_empty() {
        "an unknown browser"
    } else {
        "a browser"
    };
    name.to_string()
}

/// A new session for `user`, as a response with its cookie.
/// `word` is the JSON `status`: `signed_in`, or `approved` for a push sign-in's poll.
async fn signed_in(state: &AppState, user: &User, status: StatusCode, word: &str) -> Response {
    let id = auth::random_id();
    if let Err(e) = state
        .store
        .create_session(&id, &user.id, auth::SESSION_SECS)
        .await
    {
        return db_error(&e);
    }
    (
        status,
        [(header::SET_COOKIE, auth::set_cookie(&id, state.secure))],
        Json(json!({ "status": word, "email": user.email })),
    )
        .into_response()
}

/// `GET /me`: who is signed in.
pub(crate) async fn me(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    match require_user(&state, &headers).await {
        Ok(user) => Json(json!({ "email": user.email })).into_response(),
        Err(response) => response,
    }
}

/// `POST /signup`: a new user with a hashed password, signed in (no phone yet).
pub(crate) async fn signup(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let Some(form) = credentials(&body) else {
        return bad_form();
    };
    let email = form.email.trim().to_lowercase();
    if email.len() > 254 || !email.contains('@') || email.starts_with('@') {
        return api_error(
            StatusCode::BAD_REQUEST,
            "bad_email",
            "enter an email address",
        );
    }
    if form.password.chars().count() < 8 || form.password.len() > 1024 {
        return api_error(
            StatusCode::BAD_REQUEST,
            "bad_password",
            "the password needs 8 characters or more",
        );
    }
    // Argon2 is deliberately slow: off the async threads.
    let password = form.password;
    let Ok(Ok(hash)) = tokio::task::spawn_blocking(move || auth::hash_password(&password)).await
    else {
        return api_error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "try again");
    };
    match state
        .store
        .create_user(&auth::random_id(), &email, &hash)
        .await
    {
        Ok(Some(user)) => signed_in(&state, &user, StatusCode::CREATED, "signed_in").await,
        Ok(None) => api_error(
            StatusCode::CONFLICT,
            "email_taken",
            "that email already has an account",
        ),
        Err(e) => db_error(&e),
    }
}

/// `POST /signin`: checks the password; with a verified phone, pushes a login request to it and
/// returns a poll id (`202`); with none yet, signs in at once so the user can enroll one.
pub(crate) async fn signin(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(form) = credentials(&body) else {
        return bad_form();
    };
    let email = form.email.trim().to_lowercase();
    if !state.limits.allow(peer, &email) {
        return too_many();
    }
    let user = match state.store.user_by_email(&email).await {
        Ok(user) => user,
        Err(e) => return db_error(&e),
    };
    let phc = user.as_ref().map(|u| u.password_hash.clone());
    let password = form.password;
    // An unknown email is hashed against nothing, so it fails as slowly as a wrong password.
    let matches = tokio::task::spawn_blocking(move || match phc {
        Some(phc) => auth::password_matches(&password, &phc),
        None => {
            let _ = auth::hash_password(&password);
            false
        }
    })
    .await
    .unwrap_or(false);
    let (true, Some(user)) = (matches, user) else {
        return api_error(
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "wrong email or password",
        );
    };

    let factors = match verify_factors(&state, &user).await {
        Ok(factors) => factors,
        Err(e) => return error(&e),
    };
    let Some(device) = factors.iter().rev().find(|f| f.is_verified()) else {
        return signed_in(&state, &user, StatusCode::OK, "signed_in").await;
    };
    let browser = browser_name(
        headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    );
    let ip = peer.ip().to_string();
    let created = state
        .client
        .service(&state.service_sid)
        .entity(identity(&user).as_str())
        .challenges()
        .create(device.sid())
        .message(format!("Log in to the push-login example from {browser}?"))
        .field("Browser", browser)
        .field("IP address", ip.as_str())
        .hidden_detail("ip", ip.as_str())
        .expires_in(state.login_ttl)
        .send()
        .await;
    let challenge = match created {
        Ok(challenge) => challenge,
        Err(e) => return error(&e),
    };
    // The browser polls by a random id, not by the challenge SID, which the phone also sees.
    let poll = auth::random_id();
    let ttl = i64::try_from(state.login_ttl.as_secs()).unwrap_or(i64::MAX);
    if let Err(e) = state
        .store
        .create_attempt(challenge.sid().as_str(), &poll, &user.id, ttl)
        .await
    {
        return db_error(&e);
    }
    (
        StatusCode::ACCEPTED,
        Json(json!({ "status": "pending", "poll": poll, "challenge": challenge.sid() })),
    )
        .into_response()
}

/// `GET /login/{poll}`: `pending`, `denied`, `expired`, or `approved` with the session cookie
/// (given once: the attempt moves to `consumed` in the same statement, on any instance).
pub(crate) async fn login_status(
    State(state): State<Arc<AppState>>,
    Path(poll): Path<String>,
) -> Response {
    let attempt = match state.store.attempt(&poll).await {
        Ok(Some(attempt)) => attempt,
        Ok(None) => return api_error(StatusCode::NOT_FOUND, "no_such_login", "no such login"),
        Err(e) => return db_error(&e),
    };
    let status = match attempt.state.as_str() {
        "pending" if attempt.expired => "expired",
        "approved" => match state
            .store
            .move_attempt(&attempt.challenge_sid, "approved", "consumed")
            .await
        {
            Ok(true) => {
                let user = User {
                    id: attempt.user_id,
                    email: attempt.email,
                    password_hash: String::new(),
                };
                return signed_in(&state, &user, StatusCode::OK, "approved").await;
            }
            Ok(false) => "consumed",
            Err(e) => return db_error(&e),
        },
        other => other,
    };
    Json(json!({ "status": status })).into_response()
}

/// `POST /signout`: deletes the session and its cookie.
pub(crate) async fn signout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if let Some(id) = auth::session_cookie(&headers) {
        if let Err(e) = state.store.delete_session(&id).await {
            return db_error(&e);
        }
    }
    (
        StatusCode::OK,
        [(header::SET_COOKIE, auth::clear_cookie(state.secure))],
        Json(json!({ "status": "signed_out" })),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_names_are_short() {
        assert_eq!(
            browser_name(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36 Chrome/156.0"
            ),
            "Chrome"
        );
        assert_eq!(browser_name(""), "an unknown browser");
        assert_eq!(browser_name("curl/8"), "a browser");
    }
}
