//! `client.service("VA…")`: the root of the handle tree, `/v2/Services/{ServiceSid}`.

use crate::Client;
#[cfg(feature = "access-tokens")]
use crate::access_tokens::AccessTokens;
use crate::entities::{Entities, Entity};
#[cfg(feature = "webhooks")]
use crate::webhooks::Webhooks;

/// One Verify Service. Path parameters live in handles, so every handle below it carries the
/// service SID; the SID is checked when a request is made (a bad one is
/// [`Error::InvalidInput`](crate::Error::InvalidInput), with nothing sent).
///
/// ```no_run
/// use verify_push::{Client, Identity};
/// # async fn demo(client: Client) -> Result<(), verify_push::Error> {
/// let push = client.service("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
/// let user = push.entity(Identity::hashed("user-42"));
/// let devices = user.factors().list().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Service {
    client: Client,
    sid: String,
}

impl Service {
    pub(crate) fn new(client: Client, sid: String) -> Self {
        Self { client, sid }
    }

    /// The service SID as given.
    pub fn sid(&self) -> &str {
        &self.sid
    }

    /// Enrollment access tokens: `/v2/Services/{ServiceSid}/AccessTokens`.
    #[cfg(feature = "access-tokens")]
    pub fn access_tokens(&self) -> AccessTokens {
        AccessTokens::new(self.client.clone(), self.sid.clone())
    }

    /// All Entities (users) of the service: create and list.
    pub fn entities(&self) -> Entities {
        Entities::new(self.client.clone(), self.sid.clone())
    }

    /// One Entity, by its identity (see [`Identity`](crate::Identity); checked when a request
    /// is made): its factors, its challenges, fetch and delete.
    pub fn entity(&self, identity: impl Into<String>) -> Entity {
        Entity::new(self.client.clone(), self.sid.clone(), identity.into())
    }

    /// The service's webhooks: `/v2/Services/{ServiceSid}/Webhooks`.
    #[cfg(feature = "webhooks")]
    pub fn webhooks(&self) -> Webhooks {
        Webhooks::new(self.client.clone(), self.sid.clone())
    }
}

// The handle tree's entry points are methods of `Client`, declared here where the tree starts:
// `Client` sits below every handle (each holds one), so `client.rs` never imports a handle.
impl Client {
    /// The Verify Service `service_sid` (`VA…`, checked when a request is made): the root of
    /// the handle tree, which mirrors Twilio's URL tree.
    pub fn service(&self, service_sid: impl Into<String>) -> Service {
        Service::new(self.clone(), service_sid.into())
    }

    /// The access tokens of the Verify Service `service_sid`; a shortcut for
    /// `client.service(service_sid).access_tokens()`.
    #[cfg(feature = "access-tokens")]
    pub fn access_tokens(&self, service_sid: impl Into<String>) -> AccessTokens {
        self.service(service_sid).access_tokens()
    }
}
