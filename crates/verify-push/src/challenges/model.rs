//! The Challenge resource Twilio returns.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::call::decode;
use crate::types::RespondedReason;
use crate::{
    AccountSid, ChallengeSid, ChallengeStatus, EntitySid, FactorSid, FactorType, ServiceSid,
};

/// A challenge: one login request sent to a factor, and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct Challenge {
    sid: ChallengeSid,
    account_sid: Option<AccountSid>,
    service_sid: ServiceSid,
    entity_sid: Option<EntitySid>,
    identity: String,
    factor_sid: FactorSid,
    status: ChallengeStatus,
    responded_reason: Option<RespondedReason>,
    details: Option<ChallengeDetails>,
    hidden_details: Option<serde_json::Value>,
    metadata: Option<serde_json::Value>,
    factor_type: Option<FactorType>,
    #[serde(serialize_with = "decode::serialize_date")]
    date_created: Option<DateTime<Utc>>,
    #[serde(serialize_with = "decode::serialize_date")]
    date_updated: Option<DateTime<Utc>>,
    #[serde(serialize_with = "decode::serialize_date")]
    date_responded: Option<DateTime<Utc>>,
    #[serde(serialize_with = "decode::serialize_date")]
    expiration_date: Option<DateTime<Utc>>,
    url: Option<String>,
}

/// What the phone shows: the message and the fields (spec example `createPush`).
///
/// Serializes in Twilio's shape: `{"message", "fields": [{"label", "value"}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChallengeDetails {
    message: Option<String>,
    #[serde(serialize_with = "labelled")]
    fields: Vec<(String, String)>,
}

fn labelled<S: serde::Serializer>(
    fields: &[(String, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    #[derive(Serialize)]
    struct Field<'a> {
        label: &'a str,
        value: &'a str,
    }
    let mut seq = serializer.serialize_seq(Some(fields.len()))?;
    for (label, value) in fields {
        seq.serialize_element(&Field { label, value })?;
    }
    seq.end()
}

impl ChallengeDetails {
    /// The question shown to the user.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The `(label, value)` fields, in order.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// Takes the strings out of the response's `details` object (moved, not copied).
    fn from_json(value: serde_json::Value) -> Option<Self> {
        use serde_json::Value;
        let Value::Object(object) = value else {
            return None;
        };
        // Taken by iterating the map it consumes, not by `remove`: the map is dropped anyway,
        // and each `remove` searches and rebalances the tree first.
        let (mut message, mut fields) = (None, Vec::new());
        for (key, value) in object {
            match (key.as_str(), value) {
                ("message", Value::String(text)) => message = Some(text),
                ("fields", Value::Array(list)) => {
                    fields = list.into_iter().filter_map(label_and_value).collect();
                }
                _ => {}
            }
        }
        Some(Self { message, fields })
    }
}

/// One `{"label", "value"}` object of `details.fields`; anything else is skipped.
fn label_and_value(field: serde_json::Value) -> Option<(String, String)> {
    use serde_json::Value;
    let Value::Object(field) = field else {
        return None;
    };
    let (mut label, mut value) = (None, None);
    for (key, item) in field {
        match (key.as_str(), item) {
            ("label", Value::String(text)) => label = Some(text),
            ("value", Value::String(text)) => value = Some(text),
            _ => {}
        }
    }
    label.zip(value)
}

impl Challenge {
    /// The challenge's SID (`YC…`).
    pub fn sid(&self) -> &ChallengeSid {
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

    /// The factor it was sent to (`YF…`).
    pub fn factor_sid(&self) -> &FactorSid {
        &self.factor_sid
    }

    /// `pending`, then `approved` / `denied` (by the device) or `expired`.
    pub fn status(&self) -> &ChallengeStatus {
        &self.status
    }

    /// Twilio's `responded_reason`. Undocumented meanings: do not branch on it.
    pub fn responded_reason(&self) -> Option<&RespondedReason> {
        self.responded_reason.as_ref()
    }

    /// What the phone shows, when Twilio returned it.
    pub fn details(&self) -> Option<&ChallengeDetails> {
        self.details.as_ref()
    }

    /// The hidden details, as sent.
    pub fn hidden_details(&self) -> Option<&serde_json::Value> {
        self.hidden_details.as_ref()
    }

    /// Metadata the device attached when answering, if any.
    pub fn metadata(&self) -> Option<&serde_json::Value> {
        self.metadata.as_ref()
    }

    /// The factor's type, when returned.
    pub fn factor_type(&self) -> Option<&FactorType> {
        self.factor_type.as_ref()
    }

    /// When it was created.
    pub fn date_created(&self) -> Option<DateTime<Utc>> {
        self.date_created
    }

    /// When it last changed.
    pub fn date_updated(&self) -> Option<DateTime<Utc>> {
        self.date_updated
    }

    /// When the device answered.
    pub fn date_responded(&self) -> Option<DateTime<Utc>> {
        self.date_responded
    }

    /// When it expires (or expired).
    pub fn expiration_date(&self) -> Option<DateTime<Utc>> {
        self.expiration_date
    }

    /// Its URL at Twilio.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    pub(crate) fn from_generated(
        model: verify_v2::models::VerifyV2ServiceEntityChallenge,
    ) -> Result<Self, String> {
        Ok(Self {
            sid: decode::sid("sid", model.sid, ChallengeSid::new)?,
            account_sid: decode::optional_sid("account_sid", model.account_sid, AccountSid::new)?,
            service_sid: decode::sid("service_sid", model.service_sid, ServiceSid::new)?,
            entity_sid: decode::optional_sid("entity_sid", model.entity_sid, EntitySid::new)?,
            identity: decode::required("identity", model.identity)?,
            factor_sid: decode::sid("factor_sid", model.factor_sid, FactorSid::new)?,
            status: decode::open_enum(model.status).ok_or("the response has no `status`")?,
            responded_reason: decode::open_enum(model.responded_reason),
            details: decode::json(model.details).and_then(ChallengeDetails::from_json),
            hidden_details: decode::json(model.hidden_details),
            metadata: decode::json(model.metadata),
            factor_type: decode::open_enum(model.factor_type),
            date_created: decode::date(model.date_created),
            date_updated: decode::date(model.date_updated),
            date_responded: decode::date(model.date_responded),
            expiration_date: decode::date(model.expiration_date),
            url: model.url.flatten(),
        })
    }
}
