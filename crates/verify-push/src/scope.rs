//! Where a handle points in Twilio's URL tree: the path parameters a resource handle carries.
//!
//! Every handle below a parent depends on this module, never on its parent's module: an Entity
//! hands its `EntityPath` down to `Factors`, `Challenges` and `Notifications`, which import only
//! this.

use std::sync::Arc;

use crate::error::Error;
use crate::types::{Identity, ServiceSid};

/// The path parameters every handle under an Entity carries, checked together before a request.
///
/// Shared, not copied: `entity.challenges().create(…)` hands the same two strings down each
/// level of the handle tree (a clone is a reference count, not two allocations).
#[derive(Debug, Clone)]
pub(crate) struct EntityPath(Arc<Parts>);

#[derive(Debug)]
struct Parts {
    service_sid: String,
    identity: String,
}

impl EntityPath {
    pub(crate) fn new(service_sid: String, identity: String) -> Self {
        Self(Arc::new(Parts {
            service_sid,
            identity,
        }))
    }

    /// The identity, as given (unchecked).
    pub(crate) fn identity(&self) -> &str {
        &self.0.identity
    }

    /// The service SID and identity, or the rule the first bad one breaks. Checked in place:
    /// the request builders take them as `&str`.
    pub(crate) fn check(&self) -> Result<(&str, &str), Error> {
        Ok((
            ServiceSid::check_str(&self.0.service_sid)?,
            Identity::check_str(&self.0.identity)?,
        ))
    }
}
