//! Re-sending the push of a pending challenge:
//! `…/Challenges/{ChallengeSid}/Notifications`.
//!
//! Twilio marks this resource **Pilot** ("check with Twilio before using it in production"),
//! and it fails once the challenge has expired: create a new challenge then
//! (<https://www.twilio.com/docs/verify/api/notifications-resource>). APNs and FCM already queue
//! pushes for offline phones, so offer a resend to the user sparingly; Twilio allows at most
//! three pushes per challenge (60309).

mod model;
mod operations;

pub use model::Notification;

use verify_v2::apis::verify_v2_notification_api as api;

use crate::call;
use crate::scope::EntityPath;
use crate::{ChallengeSid, Client, Error, NotificationTtl};
use operations::CREATE_NOTIFICATION;

/// The notifications of one challenge. Get it from
/// [`Challenges::notifications`](crate::challenges::Challenges::notifications).
#[derive(Debug, Clone)]
pub struct Notifications {
    client: Client,
    entity: EntityPath,
    challenge_sid: String,
}

impl Notifications {
    pub(crate) fn new(client: Client, entity: EntityPath, challenge_sid: String) -> Self {
        Self {
            client,
            entity,
            challenge_sid,
        }
    }

    /// Starts a new push for the challenge.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// # async fn demo(challenges: verify_push::challenges::Challenges) -> Result<(), verify_push::Error> {
    /// challenges
    ///     .notifications("YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    ///     .create()
    ///     .ttl(Duration::from_secs(60))
    ///     .send()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn create(&self) -> CreateNotification {
        CreateNotification {
            notifications: self.clone(),
            ttl: None,
        }
    }
}

/// A push being re-sent: set the TTL if you like, then [`send`](Self::send).
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `send().await`"]
pub struct CreateNotification {
    notifications: Notifications,
    ttl: Option<Duration>,
}

use std::time::Duration;

impl CreateNotification {
    /// How long APNs/FCM keep trying to deliver it: whole seconds from 0 to 300 (see
    /// [`NotificationTtl`]); Twilio's default is 300.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// Checks the TTL and sends. Never resent once it may have reached Twilio (it pushes).
    pub async fn send(self) -> Result<Notification, Error> {
        let n = &self.notifications;
        let (service_sid, identity) = n.entity.check()?;
        let challenge_sid = ChallengeSid::new(n.challenge_sid.as_str())?;
        let ttl = self.ttl.map(NotificationTtl::try_from).transpose()?;
        // NotificationTtl::MAX is 300, so the conversion to the generated i32 cannot fail.
        let ttl = ttl.map(|t| t.as_secs() as i32);
        let configuration = &n.client.inner().configuration;
        call::execute(
            &n.client,
            &CREATE_NOTIFICATION,
            || {
                api::create_notification_request(
                    configuration,
                    service_sid,
                    identity,
                    challenge_sid.as_str(),
                    ttl,
                )
            },
            api::create_notification_response,
            Notification::from_generated,
        )
        .await
    }
}
