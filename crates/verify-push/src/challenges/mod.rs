//! An Entity's challenges (login requests): `…/Entities/{Identity}/Challenges` and
//! `…/Challenges/{Sid}`, plus waiting for the answer.
//!
//! Answering a push challenge needs the device's private key, so only the app can approve or
//! deny one; a backend creates, fetches, lists and waits.

mod create;
mod details;
mod fetch;
mod list;
mod model;
mod operations;
mod wait;

pub use create::CreateChallenge;
pub use list::{ChallengeOrder, ListChallenges};
pub use model::{Challenge, ChallengeDetails};
pub use wait::{Outcome, WaitForChallenge};

#[cfg(feature = "notifications")]
use crate::notifications::Notifications;
use crate::scope::EntityPath;
use crate::{Client, Error};

/// The challenges of one Entity. Get it from
/// [`Entity::challenges`](crate::entities::Entity::challenges).
#[derive(Debug, Clone)]
pub struct Challenges {
    client: Client,
    entity: EntityPath,
}

impl Challenges {
    pub(crate) fn new(client: Client, entity: EntityPath) -> Self {
        Self { client, entity }
    }

    /// Starts a push challenge for the factor `factor_sid` (`YF…`, which must be verified:
    /// else Twilio answers 60318).
    pub fn create(&self, factor_sid: impl AsRef<str>) -> CreateChallenge {
        CreateChallenge::new(
            self.client.clone(),
            self.entity.clone(),
            factor_sid.as_ref().into(),
        )
    }

    /// Fetches one challenge (`YC…`; 60391 / HTTP 404 when it does not exist).
    pub async fn fetch(&self, sid: impl AsRef<str>) -> Result<Challenge, Error> {
        let path = fetch::ChallengePath::check(&self.entity, sid.as_ref())?;
        fetch::fetch(&self.client, path).await
    }

    /// Lists challenges, optionally filtered by status and factor.
    pub fn list(&self) -> ListChallenges {
        ListChallenges::new(self.client.clone(), self.entity.clone())
    }

    /// Waits until the challenge is approved, denied or expired, polling with GETs only.
    /// `.await` it; see [`WaitForChallenge`] for the interval and deadline.
    pub fn wait(&self, sid: impl AsRef<str>) -> WaitForChallenge {
        WaitForChallenge::new(
            self.client.clone(),
            self.entity.clone(),
            sid.as_ref().into(),
        )
    }

    /// The push notifications of a pending challenge: re-send the push when the user did not
    /// see it.
    #[cfg(feature = "notifications")]
    pub fn notifications(&self, challenge_sid: impl AsRef<str>) -> Notifications {
        Notifications::new(
            self.client.clone(),
            self.entity.clone(),
            challenge_sid.as_ref().into(),
        )
    }
}
