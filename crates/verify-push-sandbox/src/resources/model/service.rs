//! A Verify service as the store keeps it, and its JSON (spec `verify.v2.service`): only what
//! Verify Push reads is stored; the rest of Twilio's fields answer with their defaults.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::scope::timestamp;

/// One Verify service: its push configuration and dates.
#[derive(Debug, Clone)]
pub(crate) struct Service {
    pub(crate) sid: String,
    pub(crate) friendly_name: String,
    /// `Push.IncludeDate`: challenge `details` carry `date` (the creation time).
    pub(crate) push_include_date: bool,
    pub(crate) push_apn_credential_sid: Option<String>,
    pub(crate) push_fcm_credential_sid: Option<String>,
    pub(crate) date_created: DateTime<Utc>,
    pub(crate) date_updated: DateTime<Utc>,
}

impl Service {
    /// The JSON of FetchService; SMS, voice and TOTP settings at Twilio's defaults.
    pub(crate) fn to_json(&self, base_url: &str, account_sid: &str) -> Value {
        let url = format!("{base_url}/v2/Services/{}", self.sid);
        json!({
            "sid": self.sid,
            "account_sid": account_sid,
            "friendly_name": self.friendly_name,
            "code_length": 6,
            "lookup_enabled": false,
            "psd2_enabled": false,
            "skip_sms_to_landlines": false,
            "dtmf_input_required": true,
            "tts_name": null,
            "do_not_share_warning_enabled": false,
            "custom_code_enabled": false,
            "push": {
                "include_date": self.push_include_date,
                "apn_credential_sid": self.push_apn_credential_sid,
                "fcm_credential_sid": self.push_fcm_credential_sid,
            },
            "totp": {
                "issuer": self.friendly_name,
                "time_step": 30,
                "code_length": 6,
                "skew": 1,
            },
            "default_template_sid": null,
            "verify_event_subscription_enabled": false,
            "date_created": timestamp(self.date_created),
            "date_updated": timestamp(self.date_updated),
            "url": url,
            "links": {
                "entities": format!("{url}/Entities"),
                "webhooks": format!("{url}/Webhooks"),
                "access_tokens": format!("{url}/AccessTokens"),
            },
        })
    }
}
