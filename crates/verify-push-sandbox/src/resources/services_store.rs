//! The services the sandbox serves, each with its own Verify data: a test that creates a fresh
//! service per test sees only its own entities, factors, challenges and webhooks, as at Twilio.

use std::ops::{Deref, DerefMut};
use std::sync::MutexGuard;

use super::model::Service;
use super::store::Store;

/// Services the sandbox keeps, the default one included (Twilio's default limit per account is
/// higher; a test suite needs a handful).
pub(crate) const MAX_SERVICES: usize = 100;

/// One service and its data.
#[derive(Debug)]
pub(crate) struct ServiceData {
    pub(crate) service: Service,
    pub(crate) store: Store,
}

/// Every service, in creation order.
pub(crate) type Services = Vec<ServiceData>;

/// The locked store of one service. Holding it holds the lock over all services, so the index
/// found when it was made stays valid until it is dropped.
pub(crate) struct StoreGuard<'a> {
    guard: MutexGuard<'a, Services>,
    index: usize,
}

impl<'a> StoreGuard<'a> {
    /// The store of `service_sid`, or `None` if no such service exists.
    pub(crate) fn find(guard: MutexGuard<'a, Services>, service_sid: &str) -> Option<Self> {
        let index = guard.iter().position(|s| s.service.sid == service_sid)?;
        Some(Self { guard, index })
    }

    /// The service itself (its push configuration).
    pub(crate) fn service(&self) -> &Service {
        &self.guard[self.index].service
    }
}

impl Deref for StoreGuard<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.guard[self.index].store
    }
}

impl DerefMut for StoreGuard<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        &mut self.guard[self.index].store
    }
}
