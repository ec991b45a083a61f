//! An entity as the store keeps it, and its JSON.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::scope::{Scope, timestamp};

/// One entity.
#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub(crate) sid: String,
    pub(crate) identity: String,
    pub(crate) date_created: DateTime<Utc>,
}

impl Entity {
    pub(crate) fn to_json(&self, scope: &Scope) -> Value {
        let url = scope.entity_url(&self.identity);
        json!({
            "sid": self.sid,
            "identity": self.identity,
            "account_sid": scope.account_sid,
            "service_sid": scope.service_sid,
            "date_created": timestamp(self.date_created),
            "date_updated": timestamp(self.date_created),
            "url": url,
            "links": {
                "factors": format!("{url}/Factors"),
                "new_factors": format!("{url}/Factors"),
                "challenges": format!("{url}/Challenges"),
            },
        })
    }
}
