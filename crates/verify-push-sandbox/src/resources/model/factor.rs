//! A push factor as the store keeps it, and its JSON.

use chrono::{DateTime, Utc};
use p256::ecdsa::VerifyingKey;
use serde_json::{Value, json};

use super::scope::{Scope, timestamp};

/// One push factor.
#[derive(Debug, Clone)]
pub(crate) struct Factor {
    pub(crate) sid: String,
    pub(crate) entity_sid: String,
    pub(crate) identity: String,
    pub(crate) friendly_name: String,
    pub(crate) verified: bool,
    pub(crate) public_key: VerifyingKey,
    pub(crate) public_key_base64: String,
    /// The `kid` of the device's request JWTs (`config.credential_sid`, read by the SDK in
    /// `domain/factor/FactorMapper.kt`). Twilio's shape is undocumented; the sandbox uses `CR…`.
    pub(crate) credential_sid: String,
    pub(crate) sdk_version: Option<String>,
    pub(crate) app_id: Option<String>,
    pub(crate) notification_platform: String,
    pub(crate) notification_token: Option<String>,
    pub(crate) metadata: Option<Value>,
    pub(crate) date_created: DateTime<Utc>,
    pub(crate) date_updated: DateTime<Utc>,
}

impl Factor {
    /// The JSON of FetchFactor (spec example `fetchPush`), plus `config.credential_sid`.
    pub(crate) fn to_json(&self, scope: &Scope) -> Value {
        json!({
            "sid": self.sid,
            "account_sid": scope.account_sid,
            "service_sid": scope.service_sid,
            "entity_sid": self.entity_sid,
            "identity": self.identity,
            "date_created": timestamp(self.date_created),
            "date_updated": timestamp(self.date_updated),
            "friendly_name": self.friendly_name,
            "status": if self.verified { "verified" } else { "unverified" },
            "factor_type": "push",
            "config": {
                "sdk_version": self.sdk_version,
                "app_id": self.app_id,
                "notification_platform": self.notification_platform,
                "notification_token": self.notification_token,
                "credential_sid": self.credential_sid,
            },
            "metadata": self.metadata,
            "url": format!("{}/Factors/{}", scope.entity_url(&self.identity), self.sid),
        })
    }
}
