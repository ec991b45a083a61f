//! An Entity's factors (enrolled devices): `…/Entities/{Identity}/Factors` and
//! `…/Factors/{Sid}`.
//!
//! A push factor is created and verified by the mobile app's SDK with the enrollment access
//! token and the device's key, never by a backend, so this module has no `create`: the backend
//! learns of a new factor by listing, or from the `factor.created` / `factor.verified` webhooks.

mod list;
mod model;
mod operations;
mod update;

pub use list::ListFactors;
pub use model::Factor;
pub use update::UpdateFactor;

use verify_v2::apis::verify_v2_factor_api as api;

use crate::call;
use crate::scope::EntityPath;
use crate::{Client, Error, FactorSid};
use operations::{DELETE_FACTOR, FETCH_FACTOR};

/// The factors of one Entity. Get it from [`Entity::factors`](crate::entities::Entity::factors).
///
/// ```no_run
/// use verify_push::{Client, FactorStatus, Identity};
/// # async fn demo(client: Client) -> Result<(), verify_push::Error> {
/// let factors = client
///     .service("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .entity(Identity::hashed("user-42"))
///     .factors();
/// for device in factors.list().await? {
///     println!("{} {:?} {}", device.sid(), device.friendly_name(), device.status());
///     if *device.status() == FactorStatus::Unverified {
///         factors.delete(device.sid()).await?; // an abandoned enrollment
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Factors {
    client: Client,
    entity: EntityPath,
}

impl Factors {
    pub(crate) fn new(client: Client, entity: EntityPath) -> Self {
        Self { client, entity }
    }

    /// Lists the factors: `.await` for all (with [`limit`](ListFactors::limit) as a cap), or
    /// [`pages`](ListFactors::pages).
    pub fn list(&self) -> ListFactors {
        ListFactors::new(self.client.clone(), self.entity.clone())
    }

    /// Fetches one factor (`YF…`; 60390 / HTTP 404 when it does not exist).
    pub async fn fetch(&self, sid: impl AsRef<str>) -> Result<Factor, Error> {
        let (service_sid, identity) = self.entity.check()?;
        let sid = FactorSid::new(sid.as_ref())?;
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &FETCH_FACTOR,
            || api::fetch_factor_request(configuration, service_sid, identity, sid.as_str()),
            api::fetch_factor_response,
            Factor::from_generated,
        )
        .await
    }

    /// Starts updating a factor. A backend can change its friendly name; the other fields are
    /// the device SDK's.
    pub fn update(&self, sid: impl AsRef<str>) -> UpdateFactor {
        UpdateFactor::new(
            self.client.clone(),
            self.entity.clone(),
            sid.as_ref().into(),
        )
    }

    /// Renames a factor: `update(sid).friendly_name(name).send()`.
    pub async fn rename(
        &self,
        sid: impl AsRef<str>,
        friendly_name: impl Into<String>,
    ) -> Result<Factor, Error> {
        self.update(sid).friendly_name(friendly_name).send().await
    }

    /// Deletes a factor: the device can no longer approve logins. The app keeps its local copy
    /// until it next talks to Twilio.
    pub async fn delete(&self, sid: impl AsRef<str>) -> Result<(), Error> {
        let (service_sid, identity) = self.entity.check()?;
        let sid = FactorSid::new(sid.as_ref())?;
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &DELETE_FACTOR,
            || api::delete_factor_request(configuration, service_sid, identity, sid.as_str()),
            api::delete_factor_response,
            Ok,
        )
        .await
    }
}
