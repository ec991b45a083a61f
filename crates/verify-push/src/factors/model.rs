//! The Factor resource Twilio returns.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::call::decode;
use crate::{AccountSid, EntitySid, FactorSid, FactorStatus, FactorType, ServiceSid};

/// A factor: one enrolled device of an Entity (or a TOTP/passkey factor).
#[derive(Debug, Clone, Serialize)]
pub struct Factor {
    sid: FactorSid,
    account_sid: Option<AccountSid>,
    service_sid: ServiceSid,
    entity_sid: Option<EntitySid>,
    identity: String,
    friendly_name: Option<String>,
    status: FactorStatus,
    factor_type: FactorType,
    config: Option<serde_json::Value>,
    metadata: Option<serde_json::Value>,
    #[serde(serialize_with = "decode::serialize_date")]
    date_created: Option<DateTime<Utc>>,
    #[serde(serialize_with = "decode::serialize_date")]
    date_updated: Option<DateTime<Utc>>,
    url: Option<String>,
}

impl Factor {
    /// The factor's SID (`YF…`): what a challenge is sent to.
    pub fn sid(&self) -> &FactorSid {
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

    /// The device's name, as the app or a rename set it.
    pub fn friendly_name(&self) -> Option<&str> {
        self.friendly_name.as_deref()
    }

    /// `unverified` until the app verifies it; only a verified factor can be challenged.
    pub fn status(&self) -> &FactorStatus {
        &self.status
    }

    /// Whether a challenge can be sent to it.
    pub fn is_verified(&self) -> bool {
        self.status == FactorStatus::Verified
    }

    /// `push` for the devices this crate is about.
    pub fn factor_type(&self) -> &FactorType {
        &self.factor_type
    }

    /// The factor's `config` (for push: `sdk_version`, `app_id`, `notification_platform`,
    /// `notification_token`), as Twilio sent it.
    pub fn config(&self) -> Option<&serde_json::Value> {
        self.config.as_ref()
    }

    /// The `metadata` the app set, if any.
    pub fn metadata(&self) -> Option<&serde_json::Value> {
        self.metadata.as_ref()
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
        model: verify_v2::models::VerifyV2ServiceEntityFactor,
    ) -> Result<Self, String> {
        Ok(Self {
            sid: decode::sid("sid", model.sid, FactorSid::new)?,
            account_sid: decode::optional_sid("account_sid", model.account_sid, AccountSid::new)?,
            service_sid: decode::sid("service_sid", model.service_sid, ServiceSid::new)?,
            entity_sid: decode::optional_sid("entity_sid", model.entity_sid, EntitySid::new)?,
            identity: decode::required("identity", model.identity)?,
            friendly_name: model.friendly_name.flatten(),
            status: decode::open_enum(model.status).ok_or("the response has no `status`")?,
            factor_type: decode::open_enum(model.factor_type)
                .ok_or("the response has no `factor_type`")?,
            config: decode::json(model.config),
            metadata: decode::json(model.metadata),
            date_created: decode::date(model.date_created),
            date_updated: decode::date(model.date_updated),
            url: model.url.flatten(),
        })
    }
}
