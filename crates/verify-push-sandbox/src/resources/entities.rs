//! Entities (`/v2/Services/{ServiceSid}/Entities`): one per user identity. Created explicitly
//! (CreateEntity) or implicitly by the first factor, as at Twilio. Deleting one deletes its
//! factors and challenges (a sandbox choice: Twilio does not document the cascade).

use std::sync::Arc;

use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::errors::{entity_exists, entity_not_found};
use super::http::{Answer, check_service, invalid, json, require_account, required};
use super::model::Entity;
use super::page::{list_page, query_pairs};
use super::store::{MAX_ENTITIES, Store};
use crate::auth::Caller;
use crate::ids;
use crate::intake::FormFields;
use crate::state::SharedState;
use crate::twilio_error::TwilioError;
use crate::validation::check_identity;

/// The entity for `identity`, created if it does not exist yet (the first factor creates it).
pub(crate) fn get_or_create(
    store: &mut Store,
    identity: &str,
    now: DateTime<Utc>,
) -> Result<Entity, TwilioError> {
    if let Some(entity) = store.entity(identity) {
        return Ok(entity.clone());
    }
    if store.entities.len() >= MAX_ENTITIES {
        return Err(invalid(format!(
            "The sandbox keeps at most {MAX_ENTITIES} entities; delete some first"
        )));
    }
    let entity = Entity {
        sid: ids::random_sid("YE"),
        identity: identity.to_owned(),
        date_created: now,
    };
    store.entities.push(entity.clone());
    Ok(entity)
}

/// CreateEntity: `POST …/Entities` with `Identity`.
pub(crate) async fn create(
    State(state): State<Arc<SharedState>>,
    Path(service_sid): Path<String>,
    Extension(caller): Extension<Caller>,
    Extension(FormFields(fields)): Extension<FormFields>,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Entities")?;
    let identity = required(&fields, "Identity")?;
    check_identity(identity)?;
    let now = state.now();
    let mut store = state.store(&service_sid)?;
    if store.entity(identity).is_some() {
        return Err(entity_exists(identity).into());
    }
    let entity = get_or_create(&mut store, identity, now)?;
    Ok(json(
        StatusCode::CREATED,
        &entity.to_json(&state.scope_of(&service_sid)),
    ))
}

/// FetchEntity: `GET …/Entities/{Identity}`.
pub(crate) async fn fetch(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity)): Path<(String, String)>,
    Extension(caller): Extension<Caller>,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Entities")?;
    let store = state.store(&service_sid)?;
    let entity = store
        .entity(&identity)
        .ok_or_else(|| entity_not_found(&identity))?;
    Ok(json(
        StatusCode::OK,
        &entity.to_json(&state.scope_of(&service_sid)),
    ))
}

/// ListEntity: `GET …/Entities`, oldest first.
pub(crate) async fn list(
    State(state): State<Arc<SharedState>>,
    Path(service_sid): Path<String>,
    Extension(caller): Extension<Caller>,
    RawQuery(query): RawQuery,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Entities")?;
    let items: Vec<Value> = state
        .store(&service_sid)?
        .entities
        .iter()
        .map(|e| e.to_json(&state.scope_of(&service_sid)))
        .collect();
    let path = format!("/v2/Services/{}/Entities", service_sid);
    let body = list_page(
        &query_pairs(query.as_deref()),
        &state.base_url,
        &path,
        &[],
        "entities",
        items,
    )?;
    Ok(json(StatusCode::OK, &body))
}

/// DeleteEntity: `DELETE …/Entities/{Identity}`, 204, with its factors and challenges.
pub(crate) async fn delete(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity)): Path<(String, String)>,
    Extension(caller): Extension<Caller>,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Entities")?;
    let removed = state.store(&service_sid)?.remove_entity(&identity);
    match removed {
        Some(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        None => Err(entity_not_found(&identity).into()),
    }
}
