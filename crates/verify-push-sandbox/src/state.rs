//! The sandbox's state, shared by the handlers and the [`Sandbox`](crate::Sandbox) handle: its
//! configuration, the tokens it issued, the Verify resources, the request log, the failure queue
//! and its clock.
//!
//! Locks are `std` mutexes held only for a copy or an update, never across an `.await`. Every
//! collection is bounded (see the constants), so a sandbox left running in a demo does not grow
//! without end.

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};

use crate::access_token::AccessToken;
use crate::auth::Credentials;
use crate::failure::{Failure, FailureQueue};
use crate::recording::RecordedRequest;
use crate::resources::model::Scope;
use crate::resources::model::Service;
use crate::resources::services_store::{ServiceData, Services, StoreGuard};
use crate::resources::store::Store;
use crate::twilio_error::TwilioError;

/// How many requests the log keeps: the newest 1,000. Older ones are dropped (they are still
/// counted by `request_count`). A recorded request holds at most a 64 KiB body's form fields.
pub(crate) const REQUEST_LOG_CAPACITY: usize = 1_000;
/// How many access tokens the sandbox remembers: the newest 1,000 (a token lives at most 300 s
/// at Twilio anyway). Older ones are forgotten: fetching them is a 404, enrolling with them a 401.
pub(crate) const ACCESS_TOKEN_CAPACITY: usize = 1_000;

pub(crate) struct SharedState {
    pub(crate) credentials: Credentials,
    pub(crate) service_sid: String,
    /// `http://127.0.0.1:PORT`, for the resources' `url`.
    pub(crate) base_url: String,
    /// Issued tokens in creation order, oldest first.
    tokens: Mutex<VecDeque<AccessToken>>,
    /// Every service with its entities, factors, challenges and webhooks; a service's data is
    /// read through [`SharedState::store`].
    pub(crate) services: Mutex<Services>,
    requests: Mutex<VecDeque<RecordedRequest>>,
    request_count: AtomicUsize,
    failures: Mutex<FailureQueue>,
    /// How far the sandbox's clock is ahead of the system clock (`Sandbox::advance_clock`).
    clock_offset: Mutex<chrono::Duration>,
    /// The virtual phone behind the phone page (`GET /`), shared with `Sandbox::phone`.
    phone: crate::device::VirtualDevice,
}

/// A panic in one handler must not wedge every later request and the test's assertions, so a
/// poisoned lock is used as is: every critical section leaves the data consistent.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SharedState {
    pub(crate) fn new(credentials: Credentials, service_sid: String, base_url: String) -> Self {
        let base_url_for_phone = base_url.clone();
        let state = Self {
            credentials,
            service_sid,
            base_url,
            tokens: Mutex::default(),
            services: Mutex::new(Vec::new()),
            requests: Mutex::default(),
            request_count: AtomicUsize::new(0),
            failures: Mutex::default(),
            clock_offset: Mutex::new(chrono::Duration::zero()),
            phone: crate::device::VirtualDevice::new(base_url_for_phone),
        };
        *lock(&state.services) = vec![state.default_service()];
        state
    }

    /// The sandbox's time: the system clock plus any [`advance`](SharedState::advance_clock).
    /// Challenge expiry, access-token lifetimes and unverified factors follow it.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        Utc::now() + *lock(&self.clock_offset)
    }

    /// The sandbox's own virtual phone (a cheap clone sharing its factors).
    pub(crate) fn phone(&self) -> crate::device::VirtualDevice {
        self.phone.clone()
    }

    pub(crate) fn advance_clock(&self, by: chrono::Duration) {
        *lock(&self.clock_offset) += by;
    }

    /// How far the clock is ahead of the system clock.
    pub(crate) fn clock_offset(&self) -> chrono::Duration {
        *lock(&self.clock_offset)
    }

    /// The Verify data, with unverified factors past their lifetime already gone (Twilio deletes
    /// them; see [`Store::expire_unverified_factors`]). Every handler reads the store through
    /// this, so the expiry follows the sandbox's clock with no timer.
    ///
    /// # Errors
    ///
    /// Twilio's 404 (20404) when the service does not exist (any more).
    pub(crate) fn store(&self, service_sid: &str) -> Result<StoreGuard<'_>, TwilioError> {
        let now = self.now();
        let mut store = StoreGuard::find(lock(&self.services), service_sid)
            .ok_or_else(|| TwilioError::not_found(&format!("/Services/{service_sid}")))?;
        store.expire_unverified_factors(now);
        Ok(store)
    }

    /// Whether `service_sid` is one of the sandbox's services.
    pub(crate) fn has_service(&self, service_sid: &str) -> bool {
        lock(&self.services)
            .iter()
            .any(|s| s.service.sid == service_sid)
    }

    /// What the records' JSON needs for `service_sid`.
    pub(crate) fn scope_of<'a>(&'a self, service_sid: &'a str) -> Scope<'a> {
        Scope {
            base_url: &self.base_url,
            account_sid: &self.credentials.account_sid,
            service_sid,
        }
    }

    /// The default service, as a fresh sandbox has it.
    fn default_service(&self) -> ServiceData {
        let now = self.now();
        ServiceData {
            service: Service {
                sid: self.service_sid.clone(),
                friendly_name: "Verify Push sandbox".to_owned(),
                push_include_date: false,
                push_apn_credential_sid: None,
                push_fcm_credential_sid: None,
                date_created: now,
                date_updated: now,
            },
            store: Store::default(),
        }
    }

    /// Back to a fresh sandbox with the same credentials and service: no Verify data, tokens,
    /// phone factors, queued failures or logged requests, and the clock at the real time.
    pub(crate) fn reset(&self) {
        *lock(&self.clock_offset) = chrono::Duration::zero();
        *lock(&self.services) = vec![self.default_service()];
        lock(&self.tokens).clear();
        lock(&self.requests).clear();
        self.clear_failures();
        self.phone.forget_factors();
    }

    pub(crate) fn insert_token(&self, token: AccessToken) {
        let mut tokens = lock(&self.tokens);
        if tokens.len() >= ACCESS_TOKEN_CAPACITY {
            tokens.pop_front();
        }
        tokens.push_back(token);
    }

    pub(crate) fn token(&self, sid: &str) -> Option<AccessToken> {
        lock(&self.tokens)
            .iter()
            .find(|token| token.sid == sid)
            .cloned()
    }

    /// The issued token whose secret value is `value`, if the sandbox still remembers it.
    pub(crate) fn token_by_value(&self, value: &str) -> Option<AccessToken> {
        lock(&self.tokens)
            .iter()
            .find(|token| token.token == value)
            .cloned()
    }

    pub(crate) fn tokens(&self) -> Vec<AccessToken> {
        lock(&self.tokens).iter().cloned().collect()
    }

    /// Counts a request as received, whatever happens to it next.
    pub(crate) fn count_request(&self) {
        self.request_count.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        let mut requests = lock(&self.requests);
        if requests.len() >= REQUEST_LOG_CAPACITY {
            requests.pop_front();
        }
        requests.push_back(request);
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).iter().cloned().collect()
    }

    pub(crate) fn request_count(&self) -> usize {
        self.request_count.load(Ordering::Relaxed)
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
            .field("access_tokens", &lock(&self.tokens).len())
            .field("requests", &self.request_count())
            .field("pending_failures", &self.pending_failures())
            .finish_non_exhaustive()
    }
}
