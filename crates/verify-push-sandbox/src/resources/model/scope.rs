//! What every record's JSON shares: Twilio's timestamp format and the service's URLs.

use chrono::{DateTime, Utc};

/// Twilio's timestamp format in JSON: UTC, `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What a record's JSON needs of the sandbox: its account, service and base URL.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub(crate) base_url: &'a str,
    pub(crate) account_sid: &'a str,
    pub(crate) service_sid: &'a str,
}

impl Scope<'_> {
    /// `{base}/v2/Services/{VA}/Entities/{identity}`.
    pub(crate) fn entity_url(&self, identity: &str) -> String {
        format!(
            "{}/v2/Services/{}/Entities/{identity}",
            self.base_url, self.service_sid
        )
    }
}
