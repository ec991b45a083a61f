//! The Entity resource Twilio returns.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::call::decode;
use crate::{AccountSid, EntitySid, ServiceSid};

/// An Entity: Verify's record of one of your users, keyed by its identity.
#[derive(Debug, Clone, Serialize)]
pub struct EntityResource {
    sid: EntitySid,
    identity: String,
    account_sid: Option<AccountSid>,
    service_sid: ServiceSid,
    #[serde(serialize_with = "decode::serialize_date")]
    date_created: Option<DateTime<Utc>>,
    #[serde(serialize_with = "decode::serialize_date")]
    date_updated: Option<DateTime<Utc>>,
    url: Option<String>,
}

impl EntityResource {
    /// The Entity's SID (`YE…`).
    pub fn sid(&self) -> &EntitySid {
        &self.sid
    }

    /// The identity (the path key).
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// The account (`AC…`), when returned.
    pub fn account_sid(&self) -> Option<&AccountSid> {
        self.account_sid.as_ref()
    }

    /// The service (`VA…`).
    pub fn service_sid(&self) -> &ServiceSid {
        &self.service_sid
    }

    /// When it was created.
    pub fn date_created(&self) -> Option<DateTime<Utc>> {
        self.date_created
    }

    /// When it last changed.
    pub fn date_updated(&self) -> Option<DateTime<Utc>> {
        self.date_updated
    }

    /// Its URL at Twilio.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    pub(crate) fn from_generated(
        model: verify_v2::models::VerifyV2ServiceEntity,
    ) -> Result<Self, String> {
        Ok(Self {
            sid: decode::sid("sid", model.sid, EntitySid::new)?,
            identity: decode::required("identity", model.identity)?,
            account_sid: decode::optional_sid("account_sid", model.account_sid, AccountSid::new)?,
            service_sid: decode::sid("service_sid", model.service_sid, ServiceSid::new)?,
            date_created: decode::date(model.date_created),
            date_updated: decode::date(model.date_updated),
            url: model.url.flatten(),
        })
    }
}
