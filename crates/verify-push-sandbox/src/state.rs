//! The sandbox's state, shared by the handlers and the [`Sandbox`](crate::Sandbox) handle: its
//! configuration, the tokens it issued, the request log and the failure queue.
//!
//! Locks are `std` mutexes held only for a copy or an insert, never across an `.await`.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::access_token::AccessToken;
use crate::auth::Credentials;
use crate::failure::{Failure, FailureQueue};
use crate::recording::RecordedRequest;

pub(crate) struct SharedState {
    pub(crate) credentials: Credentials,
    pub(crate) service_sid: String,
    /// `http://127.0.0.1:PORT`, for the resources' `url`.
    pub(crate) base_url: String,
    /// Issued tokens in creation order, plus an index by SID for fetches.
    tokens: Mutex<Tokens>,
    requests: Mutex<Vec<RecordedRequest>>,
    failures: Mutex<FailureQueue>,
}

#[derive(Default)]
struct Tokens {
    in_order: Vec<AccessToken>,
    by_sid: HashMap<String, usize>,
}

/// A panic in one handler must not wedge every later request and the test's assertions, so a
/// poisoned lock is used as is: every critical section leaves the data consistent.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SharedState {
    pub(crate) fn new(credentials: Credentials, service_sid: String, base_url: String) -> Self {
        Self {
            credentials,
            service_sid,
            base_url,
            tokens: Mutex::default(),
            requests: Mutex::default(),
            failures: Mutex::default(),
        }
    }

    pub(crate) fn insert_token(&self, token: AccessToken) {
        let mut tokens = lock(&self.tokens);
        let index = tokens.in_order.len();
        tokens.by_sid.insert(token.sid.clone(), index);
        tokens.in_order.push(token);
    }

    pub(crate) fn token(&self, sid: &str) -> Option<AccessToken> {
        let tokens = lock(&self.tokens);
        tokens
            .by_sid
            .get(sid)
            .map(|&index| tokens.in_order[index].clone())
    }

    pub(crate) fn tokens(&self) -> Vec<AccessToken> {
        lock(&self.tokens).in_order.clone()
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        lock(&self.requests).push(request);
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).clone()
    }

    pub(crate) fn request_count(&self) -> usize {
        lock(&self.requests).len()
    }

    pub(crate) fn queue_failures(&self, count: usize, failure: &Failure) {
        lock(&self.failures).push(count, failure);
    }

    pub(crate) fn next_failure(&self) -> Option<Failure> {
        lock(&self.failures).pop()
    }

    pub(crate) fn pending_failures(&self) -> usize {
        lock(&self.failures).len()
    }

    pub(crate) fn clear_failures(&self) {
        lock(&self.failures).clear();
    }
}

/// Counts rather than contents: the tokens are bearer-shaped and the log can be long.
impl fmt::Debug for SharedState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedState")
            .field("credentials", &self.credentials)
            .field("service_sid", &self.service_sid)
            .field("base_url", &self.base_url)
            .field("access_tokens", &lock(&self.tokens).in_order.len())
            .field("requests", &self.request_count())
            .field("pending_failures", &self.pending_failures())
            .finish()
    }
}
