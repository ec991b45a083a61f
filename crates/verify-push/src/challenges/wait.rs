//! Waiting for a challenge's answer by polling FetchChallenge.
//!
//! Twilio documents no backend polling interval; its sample backends poll every 2 s (legacy
//! `verify-push-sample-backend`) or 5 s (`verify-push-backend`). Webhooks are the push-based
//! alternative (see [`crate::webhooks`]).

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use chrono::Utc;
use tokio::time::Instant;

use super::fetch::{ChallengePath, fetch};
use super::model::Challenge;
use crate::client::Client;
use crate::error::WaitTimedOut;
use crate::scope::EntityPath;
use crate::{ChallengeStatus, Error, InvalidInput};

/// How a challenge ended.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Outcome {
    /// The user approved on the device.
    Approved(Challenge),
    /// The user denied on the device.
    Denied(Challenge),
    /// Twilio says `expired`, or the expiration date (plus the grace period) passed while
    /// Twilio still said `pending`; in that case the challenge's status is still `pending`.
    Expired(Challenge),
    /// A final status this crate does not know (see [`ChallengeStatus::Unknown`]).
    Other(Challenge),
}

impl Outcome {
    /// The challenge as last fetched.
    pub fn challenge(&self) -> &Challenge {
        match self {
            Outcome::Approved(c) | Outcome::Denied(c) | Outcome::Expired(c) | Outcome::Other(c) => {
                c
            }
        }
    }

    /// Whether the user approved.
    pub fn is_approved(&self) -> bool {
        matches!(self, Outcome::Approved(_))
    }
}

/// A wait for a challenge's answer: `.await` it.
///
/// Polls with GETs only (never creates or answers anything) every
/// [`interval`](Self::interval) until the challenge is approved, denied or expired. It never
/// outlives the challenge's `expiration_date` plus a [`grace`](Self::grace) period, and stops
/// with [`Error::WaitTimedOut`] at the caller's [`timeout`](Self::timeout). A 429 answer waits
/// for its `Retry-After` (or one interval) and polls again; other errors end the wait.
///
/// ```no_run
/// use std::time::Duration;
/// use verify_push::challenges::Outcome;
/// # async fn demo(challenges: verify_push::challenges::Challenges) -> Result<(), verify_push::Error> {
/// match challenges
///     .wait("YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .interval(Duration::from_secs(2))
///     .timeout(Duration::from_secs(90))
///     .await?
/// {
///     Outcome::Approved(_) => println!("logged in"),
///     Outcome::Denied(_) => println!("denied on the phone"),
///     other => println!("not logged in: {}", other.challenge().status()),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `.await`"]
pub struct WaitForChallenge {
    client: Client,
    entity: EntityPath,
    sid: String,
    interval: Duration,
    timeout: Option<Duration>,
    grace: Duration,
}

impl WaitForChallenge {
    /// The default time between polls, as Twilio's legacy sample backend.
    pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(2);
    /// The shortest interval accepted: polling faster only spends the account's rate limit.
    pub const MIN_INTERVAL: Duration = Duration::from_millis(100);
    /// The default time allowed after `expiration_date` for Twilio to mark it expired.
    pub const DEFAULT_GRACE: Duration = Duration::from_secs(5);

    pub(crate) fn new(client: Client, entity: EntityPath, sid: String) -> Self {
        Self {
            client,
            entity,
            sid,
            interval: Self::DEFAULT_INTERVAL,
            timeout: None,
            grace: Self::DEFAULT_GRACE,
        }
    }

    /// Time between polls: at least 100 ms, default 2 s.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Gives up with [`Error::WaitTimedOut`] after this long (default: only the challenge's
    /// own expiry bounds the wait).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed after `expiration_date` before a still-pending challenge counts as
    /// expired (default 5 s).
    pub fn grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// Waits. Same as `.await`.
    pub async fn send(self) -> Result<Outcome, Error> {
        if self.interval < Self::MIN_INTERVAL {
            return Err(Error::InvalidInput(InvalidInput::new(
                "interval",
                format!(
                    "must be at least 100 ms, got {} ms",
                    self.interval.as_millis()
                ),
            )));
        }
        // Checked once: every poll sends the same path.
        let path = ChallengePath::check(&self.entity, &self.sid)?;
        // The clock is read only for a caller's timeout.
        let deadline = self.timeout.map(|t| {
            let started = Instant::now();
            (started, started + t)
        });
        let mut polls = 0u32;
        loop {
            polls += 1;
            // What ends the wait is decided here; the steps between polls (a pending
            // challenge's expiry, a rate limit, the caller's timeout) are the methods below,
            // one rule each.
            let pause = match fetch(&self.client, path).await {
                Ok(challenge) => match challenge.status() {
                    ChallengeStatus::Approved => return Ok(Outcome::Approved(challenge)),
                    ChallengeStatus::Denied => return Ok(Outcome::Denied(challenge)),
                    ChallengeStatus::Expired => return Ok(Outcome::Expired(challenge)),
                    ChallengeStatus::Pending => match self.still_pending(&challenge) {
                        Some(pause) => pause,
                        None => return Ok(Outcome::Expired(challenge)),
                    },
                    _ => return Ok(Outcome::Other(challenge)),
                },
                Err(error) => self.after_error(error)?,
            };
            let pause = match deadline {
                Some((started, deadline)) => {
                    self.before_deadline(pause, started, deadline, polls)?
                }
                None => pause,
            };
            tokio::time::sleep(pause).await;
        }
    }

    /// The pause before the next poll of a pending challenge: one interval, but never past its
    /// expiry plus the grace period (one more poll right at the end rather than sleeping past
    /// it); `None` once that has passed.
    fn still_pending(&self, challenge: &Challenge) -> Option<Duration> {
        let Some(expires) = challenge.expiration_date() else {
            return Some(self.interval);
        };
        let grace = chrono::Duration::from_std(self.grace).unwrap_or_default();
        let left = (expires + grace - Utc::now()).to_std().unwrap_or_default();
        (!left.is_zero()).then(|| self.interval.min(left))
    }

    /// A failed poll: rate limited, wait as Twilio asks (at least one interval) and poll
    /// again; any other error ends the wait.
    #[cold]
    fn after_error(&self, error: Error) -> Result<Duration, Error> {
        match error {
            Error::Api(api) if api.status() == 429 => Ok(api
                .retry_after()
                .unwrap_or(self.interval)
                .max(self.interval)),
            other => Err(other),
        }
    }

    /// The pause cut to the caller's deadline, or [`Error::WaitTimedOut`] once it has passed.
    fn before_deadline(
        &self,
        pause: Duration,
        started: Instant,
        deadline: Instant,
        polls: u32,
    ) -> Result<Duration, Error> {
        let now = Instant::now();
        if now >= deadline {
            return Err(Error::WaitTimedOut(WaitTimedOut {
                challenge_sid: self.sid.clone(),
                waited: now - started,
                polls,
            }));
        }
        Ok(pause.min(deadline - now))
    }
}

impl IntoFuture for WaitForChallenge {
    type Output = Result<Outcome, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
