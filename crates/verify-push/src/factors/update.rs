//! The builder that updates a factor.

use verify_v2::apis::verify_v2_factor_api as api;

use super::Factor;
use super::operations::UPDATE_FACTOR;
use crate::call;
use crate::scope::EntityPath;
use crate::{Client, Error, FactorSid, FriendlyName, InvalidInput};

/// A factor update: set the fields, then [`send`](Self::send).
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `send().await`"]
pub struct UpdateFactor {
    client: Client,
    entity: EntityPath,
    sid: String,
    friendly_name: Option<String>,
}

impl UpdateFactor {
    pub(crate) fn new(client: Client, entity: EntityPath, sid: String) -> Self {
        Self {
            client,
            entity,
            sid,
            friendly_name: None,
        }
    }

    /// The new name, 1 to 64 characters (see [`FriendlyName`]).
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_name = Some(name.into());
        self
    }

    /// Sets or clears the new name.
    pub fn set_friendly_name(mut self, name: Option<String>) -> Self {
        self.friendly_name = name;
        self
    }

    /// Checks the fields and sends the update. An update with nothing to change is refused
    /// before any request.
    pub async fn send(self) -> Result<Factor, Error> {
        let (service_sid, identity) = self.entity.check()?;
        let sid = FactorSid::new(self.sid)?;
        let name = self
            .friendly_name
            .ok_or_else(|| InvalidInput::new("friendly_name", "is required: nothing to update"))?;
        let name = FriendlyName::new(name)?;
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &UPDATE_FACTOR,
            || {
                api::update_factor_request(
                    configuration,
                    service_sid,
                    identity,
                    sid.as_str(),
                    None,
                    Some(name.as_str()),
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                )
            },
            api::update_factor_response,
            Factor::from_generated,
        )
        .await
    }
}
