//! Where a handle points in Twilio's URL tree: the path parameters a resource handle carries.
//!
//! Every handle below a parent depends on this module, never on its parent's module: an Entity
//! hands its `EntityPath` down to `Factors`, `Challenges` and `Notifications`, which import only
//! this.

use crate::error::Error;
use crate::types::{Identity, ServiceSid};

/// The path parameters every handle under an Entity carries, checked together before a request.
#[derive(Debug, Clone)]
pub(crate) struct EntityPath {
    service_sid: String,
    identity: String,
}

impl EntityPath {
    pub(crate) fn new(service_sid: String, identity: String) -> Self {
        Self {
            service_sid,
            identity,
        }
    }

    /// The service SID and identity, or the rule the first bad one breaks.
    pub(crate) fn check(&self) -> Result<(ServiceSid, Identity), Error> {
        Ok((
            ServiceSid::new(self.service_sid.as_str())?,
            Identity::new(self.identity.as_str())?,
        ))
    }
}
