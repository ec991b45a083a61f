//! A challenge as the store keeps it: its status by the clock, and its JSON.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::scope::{Scope, timestamp};

/// A stored status; `expired` is computed from the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answered {
    Pending,
    Approved,
    Denied,
}

/// One challenge.
#[derive(Debug, Clone)]
pub(crate) struct Challenge {
    pub(crate) sid: String,
    pub(crate) entity_sid: String,
    pub(crate) identity: String,
    pub(crate) factor_sid: String,
    pub(crate) date_created: DateTime<Utc>,
    pub(crate) date_updated: DateTime<Utc>,
    pub(crate) date_responded: Option<DateTime<Utc>>,
    pub(crate) expiration_date: DateTime<Utc>,
    pub(crate) answered: Answered,
    pub(crate) message: String,
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) hidden_details: Option<Value>,
    /// The service's `Push.IncludeDate` when it was created: `details.date` is then its
    /// creation time, as Twilio adds it.
    pub(crate) details_date: bool,
    pub(crate) metadata: Option<Value>,
    pub(crate) notifications: u32,
}

impl Challenge {
    /// `pending`, `approved`, `denied`, or `expired` once the clock passed `expiration_date`
    /// while pending.
    pub(crate) fn status(&self, now: DateTime<Utc>) -> &'static str {
        match self.answered {
            Answered::Approved => "approved",
            Answered::Denied => "denied",
            Answered::Pending if now >= self.expiration_date => "expired",
            Answered::Pending => "pending",
        }
    }

    pub(crate) fn is_pending(&self, now: DateTime<Utc>) -> bool {
        self.status(now) == "pending"
    }

    /// `details` as Twilio returns it (spec example `createPush`).
    pub(crate) fn details_json(&self) -> Value {
        let fields: Vec<Value> = self
            .fields
            .iter()
            .map(|(label, value)| json!({ "label": label, "value": value }))
            .collect();
        let mut details = json!({ "message": self.message, "fields": fields });
        if self.details_date {
            details["date"] = json!(timestamp(self.date_created));
        }
        details
    }

    pub(crate) fn url(&self, scope: &Scope) -> String {
        format!(
            "{}/Challenges/{}",
            scope.entity_url(&self.identity),
            self.sid
        )
    }

    pub(crate) fn to_json(&self, scope: &Scope, now: DateTime<Utc>) -> Value {
        let url = self.url(scope);
        json!({
            "sid": self.sid,
            "account_sid": scope.account_sid,
            "service_sid": scope.service_sid,
            "entity_sid": self.entity_sid,
            "identity": self.identity,
            "factor_sid": self.factor_sid,
            "date_created": timestamp(self.date_created),
            "date_updated": timestamp(self.date_updated),
            "date_responded": self.date_responded.map(timestamp),
            "expiration_date": timestamp(self.expiration_date),
            "status": self.status(now),
            "responded_reason": "none",
            "details": self.details_json(),
            "hidden_details": self.hidden_details,
            "metadata": self.metadata,
            "factor_type": "push",
            "url": url,
            "links": { "notifications": format!("{url}/Notifications") },
        })
    }
}
