//! The Verify Push resources beyond access tokens: entities, factors, challenges, notifications
//! and webhooks, with the paths, form fields and JSON shapes of `openapi/twilio_verify_v2.json`.
//! Layers, each importing only the ones below it: `model` (records and their JSON) and `store`
//! (the collections and their bounds) at the bottom; `errors`, `page` and `http` (shared
//! helpers); one file per resource (Twilio's rules and its handlers); this router on top.

pub(crate) mod challenges;
pub(crate) mod device_auth;
pub(crate) mod entities;
pub(crate) mod errors;
pub(crate) mod factors;
pub(crate) mod http;
pub(crate) mod jws;
pub(crate) mod model;
pub(crate) mod notifications;
pub(crate) mod page;
pub(crate) mod services;
pub(crate) mod services_store;
pub(crate) mod signature;
pub(crate) mod store;
pub(crate) mod webhooks;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::state::SharedState;

/// The routes of every resource in this module.
pub(crate) fn router() -> Router<Arc<SharedState>> {
    const ENTITY: &str = "/v2/Services/{service_sid}/Entities/{identity}";
    Router::new()
        .route("/v2/Services", get(services::list).post(services::create))
        .route(
            "/v2/Services/{service_sid}",
            get(services::fetch)
                .post(services::update)
                .delete(services::delete),
        )
        .route(
            "/v2/Services/{service_sid}/Entities",
            get(entities::list).post(entities::create),
        )
        .route(ENTITY, get(entities::fetch).delete(entities::delete))
        .route(
            &format!("{ENTITY}/Factors"),
            get(factors::list).post(factors::create),
        )
        .route(
            &format!("{ENTITY}/Factors/{{sid}}"),
            get(factors::fetch)
                .post(factors::update)
                .delete(factors::delete),
        )
        .route(
            &format!("{ENTITY}/Challenges"),
            get(challenges::list).post(challenges::create),
        )
        .route(
            &format!("{ENTITY}/Challenges/{{sid}}"),
            get(challenges::fetch).post(challenges::update),
        )
        .route(
            &format!("{ENTITY}/Challenges/{{sid}}/Notifications"),
            post(notifications::create),
        )
        .route(
            "/v2/Services/{service_sid}/Webhooks",
            get(webhooks::list).post(webhooks::create),
        )
        .route(
            "/v2/Services/{service_sid}/Webhooks/{sid}",
            get(webhooks::fetch)
                .post(webhooks::update)
                .delete(webhooks::delete),
        )
}
