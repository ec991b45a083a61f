//! Entities (your users, as Verify knows them): `/v2/Services/{ServiceSid}/Entities` and
//! `…/Entities/{Identity}`.
//!
//! An Entity comes into being with its first factor (the app's enrollment), so a backend rarely
//! creates one; it deletes one when the user deletes their account.

mod list;
mod model;
mod operations;

pub use list::ListEntities;
pub use model::EntityResource;

use verify_v2::apis::verify_v2_entity_api as api;

use crate::call;
#[cfg(feature = "challenges")]
use crate::challenges::Challenges;
#[cfg(feature = "factors")]
use crate::factors::Factors;
use crate::scope::EntityPath;
use crate::{Client, Error, Identity, ServiceSid};
use operations::{CREATE_ENTITY, DELETE_ENTITY, FETCH_ENTITY};

/// All Entities of one service. Get it from [`Service::entities`](crate::Service::entities).
#[derive(Debug, Clone)]
pub struct Entities {
    client: Client,
    service_sid: String,
}

impl Entities {
    pub(crate) fn new(client: Client, service_sid: String) -> Self {
        Self {
            client,
            service_sid,
        }
    }

    /// Creates the Entity `identity`. Rarely needed: the app's first factor creates it. Not
    /// retried once it may have reached Twilio.
    pub async fn create(&self, identity: impl Into<String>) -> Result<EntityResource, Error> {
        let service_sid = ServiceSid::new(self.service_sid.as_str())?;
        let identity = Identity::new(identity.into())?;
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &CREATE_ENTITY,
            || api::create_entity_request(configuration, service_sid.as_str(), identity.as_str()),
            api::create_entity_response,
            EntityResource::from_generated,
        )
        .await
    }

    /// Lists the Entities: `.await` for all of them (with [`limit`](ListEntities::limit) as a
    /// cap), or [`pages`](ListEntities::pages) to read page by page.
    pub fn list(&self) -> ListEntities {
        ListEntities::new(self.client.clone(), self.service_sid.clone())
    }
}

/// One Entity, by identity: `/v2/Services/{ServiceSid}/Entities/{Identity}`. Get it from
/// [`Service::entity`](crate::Service::entity).
///
/// ```no_run
/// use verify_push::{Client, Identity};
/// # async fn demo(client: Client) -> Result<(), verify_push::Error> {
/// let user = client
///     .service("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .entity(Identity::hashed("user-42"));
/// // The user deleted their account: remove them, their devices and challenges.
/// user.delete().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Entity {
    client: Client,
    path: EntityPath,
}

impl Entity {
    pub(crate) fn new(client: Client, service_sid: String, identity: String) -> Self {
        Self {
            client,
            path: EntityPath::new(service_sid, identity),
        }
    }

    /// The identity as given.
    pub fn identity(&self) -> &str {
        self.path.identity()
    }

    /// The Entity's factors (the user's enrolled devices).
    #[cfg(feature = "factors")]
    pub fn factors(&self) -> Factors {
        Factors::new(self.client.clone(), self.path())
    }

    /// The Entity's challenges (login requests), and waiting for their answer.
    #[cfg(feature = "challenges")]
    pub fn challenges(&self) -> Challenges {
        Challenges::new(self.client.clone(), self.path())
    }

    /// Fetches the Entity (60392 / HTTP 404 when it does not exist).
    pub async fn fetch(&self) -> Result<EntityResource, Error> {
        let (service_sid, identity) = self.path.check()?;
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &FETCH_ENTITY,
            || api::fetch_entity_request(configuration, service_sid, identity),
            api::fetch_entity_response,
            EntityResource::from_generated,
        )
        .await
    }

    /// Deletes the Entity, the natural call when your user deletes their account. Whether
    /// Twilio also deletes its factors and challenges is not documented.
    pub async fn delete(&self) -> Result<(), Error> {
        let (service_sid, identity) = self.path.check()?;
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &DELETE_ENTITY,
            || api::delete_entity_request(configuration, service_sid, identity),
            api::delete_entity_response,
            Ok,
        )
        .await
    }

    #[cfg(any(feature = "factors", feature = "challenges"))]
    fn path(&self) -> EntityPath {
        self.path.clone()
    }
}
