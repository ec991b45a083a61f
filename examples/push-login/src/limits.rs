//! Rate limits on sign-in (each creates a challenge, a push to a phone, when the password is
//! right): per IP and per user, kept in this process's memory.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;

use axum::http::StatusCode;
use axum::response::Response;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::responses::api_error;

/// Keys kept before the ones whose quota has refilled are pruned: memory stays bounded by the
/// addresses and emails seen within a minute.
const MAX_KEYS: usize = 10_000;

/// Sign-in attempts allowed per IP and per user (email), per minute, bursting to the same.
#[derive(Debug)]
pub(crate) struct Limits {
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    by_user: DefaultKeyedRateLimiter<String>,
}

impl Limits {
    pub(crate) fn per_minute(per_ip: u32, per_user: u32) -> Self {
        let quota =
            |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        Self {
            by_ip: RateLimiter::keyed(quota(per_ip)),
            by_user: RateLimiter::keyed(quota(per_user)),
        }
    }

    /// Whether one more sign-in from `peer` for `email` is allowed (both limits count it).
    pub(crate) fn allow(&self, peer: SocketAddr, email: &str) -> bool {
        if self.by_ip.len() > MAX_KEYS || self.by_user.len() > MAX_KEYS {
            self.by_ip.retain_recent();
            self.by_user.retain_recent();
        }
        let ip = self.by_ip.check_key(&peer.ip()).is_ok();
        let user = self.by_user.check_key(&email.to_owned()).is_ok();
        ip && user
    }
}

/// The `429` a limited request gets.
pub(crate) fn too_many() -> Response {
    api_error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "too many sign-in attempts; wait a minute",
    )
}
