//! The Notification resource Twilio returns.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::call::decode;
use crate::{AccountSid, ChallengeSid, EntitySid, NotificationSid, ServiceSid};

/// One push sent for a challenge.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    sid: NotificationSid,
    account_sid: Option<AccountSid>,
    service_sid: ServiceSid,
    entity_sid: Option<EntitySid>,
    identity: String,
    challenge_sid: ChallengeSid,
    priority: Option<String>,
    ttl: Option<Duration>,
    #[serde(serialize_with = "decode::serialize_date")]
    date_created: Option<DateTime<Utc>>,
}

impl Notification {
    /// The notification's SID (`NT…`).
    pub fn sid(&self) -> &NotificationSid {
        &self.sid
    }

    /// The account (`AC…`), when returned.
    pub fn account_sid(&self) -> Option<&AccountSid> {
        self.account_sid.as_ref()
    }

    /// The service (`VA…`).
    pub fn service_sid(&self) -> &ServiceSid {
        &self.service_sid
    }

    /// The Entity's SID (`YE…`), when returned.
    pub fn entity_sid(&self) -> Option<&EntitySid> {
        self.entity_sid.as_ref()
    }

    /// The Entity's identity.
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// The challenge it pushes (`YC…`).
    pub fn challenge_sid(&self) -> &ChallengeSid {
        &self.challenge_sid
    }

    /// The push priority (`high` for push).
    pub fn priority(&self) -> Option<&str> {
        self.priority.as_deref()
    }

    /// How long delivery is attempted.
    pub fn ttl(&self) -> Option<Duration> {
        self.ttl
    }

    /// When it was created.
    pub fn date_created(&self) -> Option<DateTime<Utc>> {
        self.date_created
    }

    pub(crate) fn from_generated(
        model: verify_v2::models::VerifyV2ServiceEntityChallengeNotification,
    ) -> Result<Self, String> {
        let ttl = match model.ttl {
            Some(ttl) => Some(
                u64::try_from(ttl)
                    .map(Duration::from_secs)
                    .map_err(|_| format!("`ttl` is negative ({ttl})"))?,
            ),
            None => None,
        };
        Ok(Self {
            sid: decode::sid("sid", model.sid, NotificationSid::new)?,
            account_sid: decode::optional_sid("account_sid", model.account_sid, AccountSid::new)?,
            service_sid: decode::sid("service_sid", model.service_sid, ServiceSid::new)?,
            entity_sid: decode::optional_sid("entity_sid", model.entity_sid, EntitySid::new)?,
            identity: decode::required("identity", model.identity)?,
            challenge_sid: decode::sid("challenge_sid", model.challenge_sid, ChallengeSid::new)?,
            priority: model.priority.flatten(),
            ttl,
            date_created: decode::date(model.date_created),
        })
    }
}
