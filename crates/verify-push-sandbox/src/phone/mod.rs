//! The virtual phone page: `GET /` of a running sandbox shows its virtual phone (the devices it
//! enrolled, their pending challenges with message and fields) with Approve / Deny buttons.
//!
//! For local development only. The routes sit outside the API's authentication, which is safe
//! only because the sandbox listens on 127.0.0.1; the page says so. It uses plain HTML forms
//! and a few lines of plain JavaScript (no build step) that re-read the pending challenges every
//! second, so a login request shows up without a reload. A backend can enroll it with a link:
//! `/?enroll=<the enrollment JSON, URL-encoded>` fills the form, and the person presses Enroll.
//! Each button goes through the same [`VirtualDevice`] code as `verify-push device approve`: a
//! real HTTP request to the sandbox, signed with the factor's key.

mod html;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::device::{Enrollment, VirtualDevice};
use crate::state::SharedState;

/// The page's routes, merged outside the API's intake layer.
pub(crate) fn router() -> Router<Arc<SharedState>> {
    Router::new()
        .route("/", get(page))
        .route("/phone/enroll", post(enroll))
        .route("/phone/challenges/{sid}/{answer}", post(answer))
}

/// What the last action did, shown once at the top of the page; and an enrollment from a link.
#[derive(Debug, Default, Deserialize)]
struct Notice {
    done: Option<String>,
    error: Option<String>,
    enroll: Option<String>,
}

async fn page(State(state): State<Arc<SharedState>>, Query(notice): Query<Notice>) -> Response {
    let phone = state.phone();
    let pending = match phone.pending_challenges().await {
        Ok(pending) => pending,
        Err(e) => {
            return Html(html::page(
                &phone.factors(),
                &[],
                notice.done.as_deref(),
                Some(&format!("could not list challenges: {e}")),
                notice.enroll.as_deref(),
            ))
            .into_response();
        }
    };
    Html(html::page(
        &phone.factors(),
        &pending,
        notice.done.as_deref(),
        notice.error.as_deref(),
        notice.enroll.as_deref(),
    ))
    .into_response()
}

#[derive(Debug, Deserialize)]
struct EnrollForm {
    enrollment: String,
}

async fn enroll(State(state): State<Arc<SharedState>>, Form(form): Form<EnrollForm>) -> Redirect {
    let result = match Enrollment::from_json(form.enrollment.trim()) {
        Ok(enrollment) => state.phone().enroll(&enrollment).await.map(|f| f.sid),
        Err(e) => Err(e),
    };
    match result {
        Ok(sid) => back("done", &format!("enrolled {sid}")),
        Err(e) => back("error", &e.to_string()),
    }
}

async fn answer(
    State(state): State<Arc<SharedState>>,
    Path((sid, answer)): Path<(String, String)>,
) -> Redirect {
    let phone: VirtualDevice = state.phone();
    let result = match answer.as_str() {
        "approve" => phone.approve(&sid).await,
        "deny" => phone.deny(&sid).await,
        _ => return back("error", "unknown answer: use approve or deny"),
    };
    match result {
        Ok(()) => {
            let past = if answer == "approve" {
                "approved"
            } else {
                "denied"
            };
            back("done", &format!("{past} {sid}"))
        }
        Err(e) => back("error", &e.to_string()),
    }
}

/// Post/redirect/get: back to the page, with a one-line notice.
fn back(kind: &str, text: &str) -> Redirect {
    let query: String = url_encode(text);
    Redirect::to(&format!("/?{kind}={query}"))
}

fn url_encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
