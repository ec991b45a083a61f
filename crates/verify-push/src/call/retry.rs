//! When a failed request is sent again, and after how long.

use std::time::Duration;

use crate::Error;

/// Automatic retries. Default: at most 3 retries, full-jitter exponential backoff from 200 ms
/// capped at 3 s, `Retry-After` honoured up to 30 s.
///
/// What is retried:
///
/// - **429 with code 20429 or no code**, on any request: Twilio never processed it
///   (<https://www.twilio.com/docs/errors/20429>). The wait is the response's `Retry-After`
///   (capped at [`max_retry_after`](RetryPolicy::with_max_retry_after)), else the backoff.
///   Other 429 codes (60203, 60309, 60310, 60326) are product limits: never retried.
/// - **Connection refused / not established**, on any request: it was never sent.
/// - **5xx, timeouts and other connection failures**, on fetches (GET) only. A create (POST)
///   that may have reached Twilio is never sent again: Twilio would create a second token.
///
/// ```
/// use std::time::Duration;
/// use verify_push::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .with_max_retries(5)
///     .with_max_backoff(Duration::from_secs(10));
/// let off = RetryPolicy::none();
/// # let _ = (patient, off);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(3),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// Whether sending the request again could duplicate its effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// GET: safe to send again.
    Idempotent,
    /// POST create: only safe when it certainly never reached the server.
    NotIdempotent,
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// At most `max_retries` retries after the first attempt.
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The backoff before the first retry; it doubles on each retry (before jitter).
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff between retries.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` honoured; longer values are cut to this.
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// The configured maximum number of retries.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// How long to wait before retry number `retry` (1-based) after `error`, or `None` to stop.
    pub(crate) fn delay(
        &self,
        idempotency: Idempotency,
        error: &Error,
        retry: u32,
    ) -> Option<Duration> {
        if retry > self.max_retries {
            return None;
        }
        let backoff = || self.backoff(retry);
        match error {
            Error::Api(api) if api.is_too_many_concurrent_requests() => Some(
                api.retry_after()
                    .map_or_else(backoff, |after| after.min(self.max_retry_after)),
            ),
            // Never sent: safe for every method.
            Error::Connect(_) => Some(backoff()),
            // May have reached Twilio: only requests without side effects go again.
            Error::Api(api) if api.status() >= 500 && idempotency == Idempotency::Idempotent => {
                Some(backoff())
            }
            Error::Timeout(_) | Error::Transport(_) if idempotency == Idempotency::Idempotent => {
                Some(backoff())
            }
            _ => None,
        }
    }

    /// Full jitter: uniform in `[0, min(max_backoff, initial * 2^(retry-1))]`, so many clients
    /// that failed together do not retry together.
    fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(20);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        ceiling.mul_f64(random_fraction())
    }
}

/// A uniform fraction in [0, 1) from the standard library's randomly keyed hasher: jitter needs
/// no cryptographic randomness, so no extra dependency.
fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, TransportError};
    use Idempotency::*;

    fn api(status: u16, code: Option<u32>, retry_after: Option<u64>) -> Error {
        Error::Api(Box::new(ApiError {
            status,
            code,
            message: String::new(),
            more_info: None,
            details: None,
            request_id: None,
            retry_after: retry_after.map(Duration::from_secs),
        }))
    }

    fn transport(make: fn(TransportError) -> Error) -> Error {
        make(TransportError {
            what: String::new(),
            source: None,
        })
    }

    #[test]
    fn too_many_concurrent_requests_is_retried_for_both_methods() {
        let policy = RetryPolicy::default();
        for idempotency in [Idempotent, NotIdempotent] {
            assert!(
                policy
                    .delay(idempotency, &api(429, Some(20429), None), 1)
                    .is_some()
            );
            assert!(
                policy
                    .delay(idempotency, &api(429, None, None), 1)
                    .is_some()
            );
        }
    }

    #[test]
    fn product_limit_429s_are_not_retried() {
        let policy = RetryPolicy::default();
        for code in [60203, 60309, 60310, 60326] {
            assert_eq!(
                policy.delay(Idempotent, &api(429, Some(code), None), 1),
                None,
                "{code}"
            );
        }
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let policy = RetryPolicy::default().with_max_retry_after(Duration::from_secs(5));
        assert_eq!(
            policy.delay(NotIdempotent, &api(429, Some(20429), Some(2)), 1),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            policy.delay(NotIdempotent, &api(429, Some(20429), Some(3600)), 1),
            Some(Duration::from_secs(5))
        );
    }

    #[test]
    fn create_is_never_resent_once_it_may_have_reached_twilio() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(NotIdempotent, &api(500, None, None), 1), None);
        assert_eq!(
            policy.delay(NotIdempotent, &api(503, Some(20503), None), 1),
            None
        );
        assert_eq!(
            policy.delay(NotIdempotent, &transport(Error::Timeout), 1),
            None
        );
        assert_eq!(
            policy.delay(NotIdempotent, &transport(Error::Transport), 1),
            None
        );
        assert!(
            policy
                .delay(NotIdempotent, &transport(Error::Connect), 1)
                .is_some()
        );
    }

    #[test]
    fn fetch_is_retried_on_5xx_timeouts_and_connection_errors() {
        let policy = RetryPolicy::default();
        assert!(policy.delay(Idempotent, &api(502, None, None), 1).is_some());
        assert!(
            policy
                .delay(Idempotent, &transport(Error::Timeout), 1)
                .is_some()
        );
        assert!(
            policy
                .delay(Idempotent, &transport(Error::Transport), 1)
                .is_some()
        );
        assert!(
            policy
                .delay(Idempotent, &transport(Error::Connect), 1)
                .is_some()
        );
    }

    #[test]
    fn client_errors_are_not_retried() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.delay(Idempotent, &api(404, Some(20404), None), 1),
            None
        );
        assert_eq!(
            policy.delay(Idempotent, &api(400, Some(60200), None), 1),
            None
        );
        assert_eq!(
            policy.delay(Idempotent, &api(401, Some(20003), None), 1),
            None
        );
    }

    #[test]
    fn retries_stop_at_the_maximum() {
        let policy = RetryPolicy::default().with_max_retries(2);
        let error = api(429, Some(20429), Some(0));
        assert!(policy.delay(Idempotent, &error, 2).is_some());
        assert_eq!(policy.delay(Idempotent, &error, 3), None);
        assert_eq!(RetryPolicy::none().delay(Idempotent, &error, 1), None);
    }

    #[test]
    fn backoff_is_jittered_below_an_exponential_ceiling() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(250));
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            assert!(policy.backoff(10) <= Duration::from_millis(250));
        }
        let distinct: std::collections::HashSet<_> = (0..50).map(|_| policy.backoff(3)).collect();
        assert!(distinct.len() > 10, "backoff is not jittered");
    }
}
