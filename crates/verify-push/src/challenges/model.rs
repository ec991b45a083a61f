//! The Challenge resource Twilio returns.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::call::decode;
use crate::types::RespondedReason;
use crate::{
    AccountSid, ChallengeSid, ChallengeStatus, EntitySid, FactorSid, FactorType, ServiceSid,
};

/// A challenge: one login request sent to a factor, and its answer.
///
/// Its fields live behind one box: a `Challenge` is returned through every layer of a call
/// (the exchange, the retry loop, the handle's method, a wait's `Outcome`), and each layer
/// moved all 400 bytes of it; the box is moved as 8 (docs/performance.md).
#[derive(Clone, Serialize)]
#[serde(transparent)]
pub struct Challenge(Box<fields::Challenge>);

impl std::fmt::Debug for Challenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

mod fields {
    use super::*;

    /// The fields, under the public name so that `Debug` reads `Challenge { sid: … }`.
    #[derive(Debug, Clone, Serialize)]
    pub(super) struct Challenge {
        pub(super) sid: ChallengeSid,
        pub(super) account_sid: Option<AccountSid>,
        pub(super) service_sid: ServiceSid,
        pub(super) entity_sid: Option<EntitySid>,
        pub(super) identity: String,
        pub(super) factor_sid: FactorSid,
        pub(super) status: ChallengeStatus,
        pub(super) responded_reason: Option<RespondedReason>,
        pub(super) details: LazyDetails,
        pub(super) hidden_details: Option<serde_json::Value>,
        pub(super) metadata: Option<serde_json::Value>,
        pub(super) factor_type: Option<FactorType>,
        #[serde(serialize_with = "decode::serialize_date")]
        pub(super) date_created: Option<DateTime<Utc>>,
        #[serde(serialize_with = "decode::serialize_date")]
        pub(super) date_updated: Option<DateTime<Utc>>,
        #[serde(serialize_with = "decode::serialize_date")]
        pub(super) date_responded: Option<DateTime<Utc>>,
        #[serde(serialize_with = "decode::serialize_date")]
        pub(super) expiration_date: Option<DateTime<Utc>>,
        pub(super) url: Option<String>,
    }
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

    /// Reads the response's `details` object: its `message` string and the `{"label",
    /// "value"}` objects of its `fields` (anything else is skipped); `None` when it is not an
    /// object.
    fn from_json(value: &serde_json::Value) -> Option<Self> {
        let object = value.as_object()?;
        let text = |value: &serde_json::Value, key: &str| {
            value.get(key).and_then(|v| v.as_str()).map(str::to_owned)
        };
        let fields = object
            .get("fields")
            .and_then(|fields| fields.as_array())
            .map(|fields| {
                fields
                    .iter()
                    .filter_map(|field| Some((text(field, "label")?, text(field, "value")?)))
                    .collect()
            })
            .unwrap_or_default();
        Some(Self {
            message: text(value, "message"),
            fields,
        })
    }
}

/// A challenge's `details` as the response had them, read into [`ChallengeDetails`] the first
/// time they are asked for. Most callers of a fetch or a wait read only the status, and reading
/// the object (walking it, copying its strings, dropping it) was a measurable share of a poll
/// (docs/performance.md). `Debug` and `Serialize` show the read form, as before.
#[derive(Clone)]
struct LazyDetails {
    raw: Option<serde_json::Value>,
    read: OnceLock<Option<ChallengeDetails>>,
}

impl LazyDetails {
    fn get(&self) -> Option<&ChallengeDetails> {
        self.read
            .get_or_init(|| self.raw.as_ref().and_then(ChallengeDetails::from_json))
            .as_ref()
    }
}

impl std::fmt::Debug for LazyDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl Serialize for LazyDetails {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

impl Challenge {
    /// The challenge's SID (`YC…`).
    pub fn sid(&self) -> &ChallengeSid {
        &self.0.sid
    }

    /// The account (`AC…`), when returned.
    pub fn account_sid(&self) -> Option<&AccountSid> {
        self.0.account_sid.as_ref()
    }

    /// The service (`VA…`).
    pub fn service_sid(&self) -> &ServiceSid {
        &self.0.service_sid
    }

    /// The Entity's SID (`YE…`), when returned.
    pub fn entity_sid(&self) -> Option<&EntitySid> {
        self.0.entity_sid.as_ref()
    }

    /// The Entity's identity.
    pub fn identity(&self) -> &str {
        &self.0.identity
    }

    /// The factor it was sent to (`YF…`).
    pub fn factor_sid(&self) -> &FactorSid {
        &self.0.factor_sid
    }

    /// `pending`, then `approved` / `denied` (by the device) or `expired`.
    pub fn status(&self) -> &ChallengeStatus {
        &self.0.status
    }

    /// Twilio's `responded_reason`. Undocumented meanings: do not branch on it.
    pub fn responded_reason(&self) -> Option<&RespondedReason> {
        self.0.responded_reason.as_ref()
    }

    /// What the phone shows, when Twilio returned it.
    pub fn details(&self) -> Option<&ChallengeDetails> {
        self.0.details.get()
    }

    /// The hidden details, as sent.
    pub fn hidden_details(&self) -> Option<&serde_json::Value> {
        self.0.hidden_details.as_ref()
    }

    /// Metadata the device attached when answering, if any.
    pub fn metadata(&self) -> Option<&serde_json::Value> {
        self.0.metadata.as_ref()
    }

    /// The factor's type, when returned.
    pub fn factor_type(&self) -> Option<&FactorType> {
        self.0.factor_type.as_ref()
    }

    /// When it was created.
    pub fn date_created(&self) -> Option<DateTime<Utc>> {
        self.0.date_created
    }

    /// When it last changed.
    pub fn date_updated(&self) -> Option<DateTime<Utc>> {
        self.0.date_updated
    }

    /// When the device answered.
    pub fn date_responded(&self) -> Option<DateTime<Utc>> {
        self.0.date_responded
    }

    /// When it expires (or expired).
    pub fn expiration_date(&self) -> Option<DateTime<Utc>> {
        self.0.expiration_date
    }

    /// Its URL at Twilio.
    pub fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    pub(crate) fn from_generated(
        model: verify_v2::models::VerifyV2ServiceEntityChallenge,
    ) -> Result<Self, String> {
        Ok(Self(Box::new(fields::Challenge {
            sid: decode::sid("sid", model.sid, ChallengeSid::new)?,
            account_sid: decode::optional_sid("account_sid", model.account_sid, AccountSid::new)?,
            service_sid: decode::sid("service_sid", model.service_sid, ServiceSid::new)?,
            entity_sid: decode::optional_sid("entity_sid", model.entity_sid, EntitySid::new)?,
            identity: decode::required("identity", model.identity)?,
            factor_sid: decode::sid("factor_sid", model.factor_sid, FactorSid::new)?,
            status: decode::open_enum(model.status).ok_or("the response has no `status`")?,
            responded_reason: decode::open_enum(model.responded_reason),
            details: LazyDetails {
                raw: decode::json(model.details),
                read: OnceLock::new(),
            },
            hidden_details: decode::json(model.hidden_details),
            metadata: decode::json(model.metadata),
            factor_type: decode::open_enum(model.factor_type),
            date_created: decode::date(model.date_created),
            date_updated: decode::date(model.date_updated),
            date_responded: decode::date(model.date_responded),
            expiration_date: decode::date(model.expiration_date),
            url: model.url.flatten(),
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge() -> Challenge {
        with_details(serde_json::json!({
            "message": "Log in?",
            "fields": [{"label": "IP", "value": "10.0.0.1"}]
        }))
    }

    /// The fields moved behind a box; what a user prints or serializes did not change.
    #[test]
    fn the_box_is_invisible_in_debug_and_json() {
        let c = challenge();
        let shown = format!("{c:?}");
        assert!(
            shown.starts_with("Challenge { sid: "),
            "Debug names the public type: {shown}"
        );
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["sid"], "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        assert_eq!(json["status"], "approved");
        assert_eq!(json["details"]["fields"][0]["label"], "IP");
        assert_eq!(json["date_created"], "2015-07-30T20:00:00Z");
        assert_eq!(c.details().and_then(|d| d.message()), Some("Log in?"));
    }

    fn with_details(details: serde_json::Value) -> Challenge {
        let model = serde_json::from_value(serde_json::json!({
            "sid": "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "service_sid": "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "identity": "ff483d1ff591898a9942916050d2ca3f",
            "factor_sid": "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "status": "approved",
            "details": details,
            "date_created": "2015-07-30T20:00:00Z"
        }))
        .unwrap();
        Challenge::from_generated(model).unwrap()
    }

    /// The details are read on first use; `Debug` and JSON show them read, whether or not
    /// `details()` was called first, and a clone reads the same.
    #[test]
    fn details_are_read_when_shown() {
        let c = challenge();
        let shown = format!("{c:?}");
        assert!(
            shown.contains(
                r#"details: Some(ChallengeDetails { message: Some("Log in?"), fields: [("IP", "10.0.0.1")] })"#
            ),
            "{shown}"
        );
        let json = serde_json::to_value(challenge()).unwrap();
        assert_eq!(
            json["details"],
            serde_json::json!({"message": "Log in?", "fields": [{"label": "IP", "value": "10.0.0.1"}]})
        );
        let copy = challenge().clone();
        assert_eq!(copy.details().unwrap().fields()[0].1, "10.0.0.1");
    }

    /// What is not a string label and value is skipped; details that are not an object (or
    /// null) are none.
    #[test]
    fn odd_details_are_skipped_or_none() {
        let c = with_details(serde_json::json!({
            "message": 7,
            "fields": [
                {"label": "IP", "value": "10.0.0.1"},
                {"label": "no value"},
                "not an object",
                {"label": "Port", "value": 443},
                {"label": "City", "value": "Berlin", "extra": true}
            ]
        }));
        let details = c.details().expect("an object");
        assert_eq!(details.message(), None);
        assert_eq!(
            details.fields(),
            [
                ("IP".to_string(), "10.0.0.1".to_string()),
                ("City".to_string(), "Berlin".to_string())
            ]
        );
        assert!(
            with_details(serde_json::json!(["a list"]))
                .details()
                .is_none()
        );
        assert!(with_details(serde_json::Value::Null).details().is_none());
        let none = serde_json::to_value(with_details(serde_json::Value::Null)).unwrap();
        assert_eq!(none["details"], serde_json::Value::Null);
    }

    /// What the box is for: a `Challenge` moves through a call's layers as one pointer.
    #[test]
    fn a_challenge_is_one_pointer_wide() {
        assert_eq!(
            std::mem::size_of::<Challenge>(),
            std::mem::size_of::<usize>()
        );
    }
}
