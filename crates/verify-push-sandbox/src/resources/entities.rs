//! Entities (`/v2/Services/{ServiceSid}/Entities`): one per user identity. Created explicitly
//! (CreateEntity) or implicitly by the first factor, as at Twilio. Deleting one deletes its
//! factors and challenges (a sandbox choice: Twilio does not document the cascade).

use std::sync::Arc;

use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::page::{PageRequest, query_pairs};
use super::store::{MAX_ENTITIES, Store};
use super::{Answer, check_service, invalid, json, require_account, required, timestamp};
use crate::auth::Caller;
use crate::ids;
use crate::intake::FormFields;
use crate::state::{SharedState, lock};
use crate::twilio_error::TwilioError;
use crate::validation::check_identity;

/// Verify's "entity not found" (<https://www.twilio.com/docs/api/errors/60392> ; reference
/// verify-push-flow.md section 2).
pub(crate) const ENTITY_NOT_FOUND: u32 = 60392;

/// One entity.
#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub(crate) sid: String,
    pub(crate) identity: String,
    pub(crate) date_created: DateTime<Utc>,
}

impl Entity {
    pub(crate) fn to_json(&self, state: &SharedState) -> Value {
        let url = entity_url(state, &self.identity);
        json!({
            "sid": self.sid,
            "identity": self.identity,
            "account_sid": state.credentials.account_sid,
            "service_sid": state.service_sid,
            "date_created": timestamp(self.date_created),
            "date_updated": timestamp(self.date_created),
            "url": url,
            "links": {
                "factors": format!("{url}/Factors"),
                "new_factors": format!("{url}/Factors"),
                "challenges": format!("{url}/Challenges"),
            },
        })
    }
}

/// `{base}/v2/Services/{VA}/Entities/{identity}`.
pub(crate) fn entity_url(state: &SharedState, identity: &str) -> String {
    format!(
        "{}/v2/Services/{}/Entities/{identity}",
        state.base_url, state.service_sid
    )
}

/// 404 / 60392 for an identity without an entity.
pub(crate) fn not_found(identity: &str) -> TwilioError {
    TwilioError::new(
        StatusCode::NOT_FOUND,
        ENTITY_NOT_FOUND,
        format!("Entity {identity} was not found"),
    )
}

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
    let mut store = lock(&state.store);
    if store.entity(identity).is_some() {
        // Twilio documents no code for a duplicate; the sandbox's choice.
        return Err(invalid(format!("Entity {identity} already exists")).into());
    }
    let entity = get_or_create(&mut store, identity, now)?;
    Ok(json(StatusCode::CREATED, &entity.to_json(&state)))
}

/// FetchEntity: `GET …/Entities/{Identity}`.
pub(crate) async fn fetch(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity)): Path<(String, String)>,
    Extension(caller): Extension<Caller>,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Entities")?;
    let store = lock(&state.store);
    let entity = store
        .entity(&identity)
        .ok_or_else(|| not_found(&identity))?;
    Ok(json(StatusCode::OK, &entity.to_json(&state)))
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
    let page = PageRequest::from_query(&query_pairs(query.as_deref()))?;
    let items: Vec<Value> = lock(&state.store)
        .entities
        .iter()
        .map(|e| e.to_json(&state))
        .collect();
    let path = format!("/v2/Services/{}/Entities", state.service_sid);
    Ok(json(
        StatusCode::OK,
        &page.respond(&state.base_url, &path, &[], "entities", items),
    ))
}

/// DeleteEntity: `DELETE …/Entities/{Identity}`, 204, with its factors and challenges.
pub(crate) async fn delete(
    State(state): State<Arc<SharedState>>,
    Path((service_sid, identity)): Path<(String, String)>,
    Extension(caller): Extension<Caller>,
) -> Answer {
    require_account(&caller)?;
    check_service(&state, &service_sid, "/Entities")?;
    let removed = lock(&state.store).remove_entity(&identity);
    match removed {
        Some(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        None => Err(not_found(&identity).into()),
    }
}
