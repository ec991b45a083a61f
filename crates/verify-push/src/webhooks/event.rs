//! `WebhookEvent`: the payload of a verified Verify webhook delivery, read from a form or JSON
//! body without losing any field.

use serde_json::{Map, Value};

use super::{EventType, WebhookError};

/// One Verify webhook delivery, read from a body whose signature was checked.
///
/// Get one from [`WebhookValidator::verify`](super::WebhookValidator::verify); there is no way to
/// build one from an unchecked body.
///
/// **Which field names are confirmed.** Twilio's Verify webhooks page
/// (<https://www.twilio.com/docs/verify/api/webhooks>) lists `uuid`, `type`, `account_sid`,
/// `service_sid`, `entity_identity`, `factor_sid` and `factor_type` ("Currently only push"). The
/// rest of that table could not be read in any stored copy; `factor_friendly_name`,
/// `challenge_sid`, `challenge_details`, `challenge_hidden_details`, `challenge_metadata` and
/// `factor_metadata` are recalled from it and **unverified**. Whether Twilio sends a form or a
/// JSON body is also unverified, so both are read. Only `uuid` and `type` are required; every
/// field without an accessor is kept in [`other_fields`](Self::other_fields), so nothing Twilio
/// sends is lost if a name here turns out wrong.
///
/// **Values.** An empty string reads as absent. The details and metadata fields are JSON; in a
/// form body they arrive as strings, which are parsed when they hold a JSON object or array and
/// kept as a string otherwise. A repeated form name becomes a JSON array of its values in
/// [`other_fields`](Self::other_fields), and is an error for a field that has an accessor.
///
/// ```
/// # fn demo(event: verify_push::webhooks::WebhookEvent) {
/// use verify_push::webhooks::EventType;
///
/// // Twilio may deliver the same event more than once: remember the uuids you processed.
/// let first_time = remember(event.uuid());
/// if first_time {
///     match event.event_type() {
///         EventType::FactorVerified => println!("{:?} can now receive challenges", event.factor_sid()),
///         EventType::ChallengeApproved => println!("{:?} approved", event.challenge_sid()),
///         EventType::ChallengeDenied => println!("{:?} denied", event.challenge_sid()),
///         other => println!("ignoring {other}"),
///     }
/// }
/// # }
/// # fn remember(_uuid: &str) -> bool { true }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    uuid: String,
    event_type: EventType,
    account_sid: Option<String>,
    service_sid: Option<String>,
    entity_identity: Option<String>,
    factor_sid: Option<String>,
    factor_type: Option<String>,
    factor_friendly_name: Option<String>,
    factor_metadata: Option<Value>,
    challenge_sid: Option<String>,
    challenge_details: Option<Value>,
    challenge_hidden_details: Option<Value>,
    challenge_metadata: Option<Value>,
    other: Map<String, Value>,
}

/// How an authentic body is encoded; decided with the signature check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    Form,
    Json,
}

impl BodyKind {
    /// From the `Content-Type` (parameters such as `charset` ignored); without a recognised one,
    /// a URL with `bodySHA256` means JSON (Twilio adds it to JSON deliveries only) and anything
    /// else a form.
    pub(crate) fn from_content_type(content_type: Option<&str>, has_body_hash: bool) -> Self {
        let essence = content_type
            .and_then(|value| value.split(';').next())
            .map(|essence| essence.trim().to_ascii_lowercase());
        match essence.as_deref() {
            Some("application/x-www-form-urlencoded") => BodyKind::Form,
            Some("application/json") => BodyKind::Json,
            _ if has_body_hash => BodyKind::Json,
            _ => BodyKind::Form,
        }
    }
}

impl WebhookEvent {
    /// Reads an authentic body. Private to the crate: only the validator calls it.
    pub(crate) fn parse(kind: BodyKind, body: &[u8]) -> Result<Self, WebhookError> {
        let fields = match kind {
            BodyKind::Form => form_fields(body),
            BodyKind::Json => json_fields(body)?,
        };
        Self::from_fields(fields)
    }

    fn from_fields(mut fields: Map<String, Value>) -> Result<Self, WebhookError> {
        let uuid = take_string(&mut fields, "uuid")?
            .ok_or(WebhookError::MissingField { field: "uuid" })?;
        let event_type = take_string(&mut fields, "type")?
            .ok_or(WebhookError::MissingField { field: "type" })?;
        Ok(Self {
            uuid,
            event_type: EventType::from(event_type),
            account_sid: take_string(&mut fields, "account_sid")?,
            service_sid: take_string(&mut fields, "service_sid")?,
            entity_identity: take_string(&mut fields, "entity_identity")?,
            factor_sid: take_string(&mut fields, "factor_sid")?,
            factor_type: take_string(&mut fields, "factor_type")?,
            factor_friendly_name: take_string(&mut fields, "factor_friendly_name")?,
            factor_metadata: take_json(&mut fields, "factor_metadata"),
            challenge_sid: take_string(&mut fields, "challenge_sid")?,
            challenge_details: take_json(&mut fields, "challenge_details"),
            challenge_hidden_details: take_json(&mut fields, "challenge_hidden_details"),
            challenge_metadata: take_json(&mut fields, "challenge_metadata"),
            other: fields,
        })
    }

    /// `uuid` (confirmed): the delivery's unique id. Twilio may deliver an event more than once;
    /// process each uuid once.
    pub fn uuid(&self) -> &str {
        &self.uuid
    }

    /// `type` (confirmed): what happened. Unknown types arrive as [`EventType::Unknown`].
    pub fn event_type(&self) -> &EventType {
        &self.event_type
    }

    /// `account_sid` (confirmed): the Twilio account (`AC…`).
    pub fn account_sid(&self) -> Option<&str> {
        self.account_sid.as_deref()
    }

    /// `service_sid` (confirmed): the Verify Service (`VA…`).
    pub fn service_sid(&self) -> Option<&str> {
        self.service_sid.as_deref()
    }

    /// `entity_identity` (confirmed): the identity the factor belongs to, as your backend set it
    /// (hashed if you used [`Identity::hashed`](crate::Identity::hashed)).
    pub fn entity_identity(&self) -> Option<&str> {
        self.entity_identity.as_deref()
    }

    /// `factor_sid` (confirmed): the factor (`YF…`).
    pub fn factor_sid(&self) -> Option<&str> {
        self.factor_sid.as_deref()
    }

    /// `factor_type` (confirmed): "Currently only push".
    pub fn factor_type(&self) -> Option<&str> {
        self.factor_type.as_deref()
    }

    /// `factor_friendly_name` (**unverified** name): the factor's friendly name.
    pub fn factor_friendly_name(&self) -> Option<&str> {
        self.factor_friendly_name.as_deref()
    }

    /// `factor_metadata` (**unverified** name; webhook version v2 only): the factor's metadata
    /// as JSON.
    pub fn factor_metadata(&self) -> Option<&Value> {
        self.factor_metadata.as_ref()
    }

    /// `challenge_sid` (**unverified** name): the challenge (`YC…`), on challenge events.
    pub fn challenge_sid(&self) -> Option<&str> {
        self.challenge_sid.as_deref()
    }

    /// `challenge_details` (**unverified** name): the details shown to the user, as JSON.
    pub fn challenge_details(&self) -> Option<&Value> {
        self.challenge_details.as_ref()
    }

    /// `challenge_hidden_details` (**unverified** name; omitted when the challenge has none):
    /// the details not shown to the user, as JSON.
    pub fn challenge_hidden_details(&self) -> Option<&Value> {
        self.challenge_hidden_details.as_ref()
    }

    /// `challenge_metadata` (**unverified** name): the challenge's metadata, as JSON.
    pub fn challenge_metadata(&self) -> Option<&Value> {
        self.challenge_metadata.as_ref()
    }

    /// Every field without an accessor, by its name in the payload (e.g. `updated_date`).
    ///
    /// ```
    /// # fn demo(event: verify_push::webhooks::WebhookEvent) {
    /// if let Some(updated) = event.other_fields().get("updated_date").and_then(|v| v.as_str()) {
    ///     println!("updated at {updated}");
    /// }
    /// # }
    /// ```
    pub fn other_fields(&self) -> &Map<String, Value> {
        &self.other
    }
}

/// Form fields as JSON strings; a repeated name becomes an array of its values, in order.
fn form_fields(body: &[u8]) -> Map<String, Value> {
    let mut fields = Map::new();
    for (name, value) in form_urlencoded::parse(body) {
        let value = Value::String(value.into_owned());
        match fields.get_mut(name.as_ref()) {
            None => {
                fields.insert(name.into_owned(), value);
            }
            Some(Value::Array(values)) => values.push(value),
            Some(slot) => {
                let first = slot.take();
                *slot = Value::Array(vec![first, value]);
            }
        }
    }
    fields
}

fn json_fields(body: &[u8]) -> Result<Map<String, Value>, WebhookError> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(WebhookError::MalformedBody {
            reason: "the JSON body is not an object".to_owned(),
        }),
        // serde_json's message names a line and column, never the content.
        Err(e) => Err(WebhookError::MalformedBody {
            reason: format!("invalid JSON: {e}"),
        }),
    }
}

/// Removes a string field; absent, `null` and `""` read as `None`.
fn take_string(
    fields: &mut Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, WebhookError> {
    match fields.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) if value.is_empty() => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(WebhookError::InvalidField {
            field,
            expected: "a single string",
        }),
    }
}

/// Removes a JSON field; a string holding a JSON object or array is parsed (form bodies can only
/// carry strings), any other string kept as it is.
fn take_json(fields: &mut Map<String, Value>, field: &str) -> Option<Value> {
    match fields.remove(field)? {
        Value::Null => None,
        Value::String(text) if text.is_empty() => None,
        Value::String(text) => match serde_json::from_str(&text) {
            Ok(parsed @ (Value::Object(_) | Value::Array(_))) => Some(parsed),
            _ => Some(Value::String(text)),
        },
        value => Some(value),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn form(params: &[(&str, &str)]) -> Vec<u8> {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish()
            .into_bytes()
    }

    const CHALLENGE_APPROVED: &[(&str, &str)] = &[
        ("uuid", "5a4a3a2a-1b2b-4c3c-8d4d-5e6e7f8091a2"),
        ("type", "challenge.approved"),
        ("account_sid", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("service_sid", "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("entity_identity", "ff483d1ff591898a9942916050d2ca3f"),
        ("factor_sid", "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("factor_type", "push"),
        ("factor_friendly_name", "John's iPhone"),
        ("challenge_sid", "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        (
            "challenge_details",
            r#"{"message":"Login request","fields":[{"label":"IP","value":"10.0.0.1"}]}"#,
        ),
        ("challenge_hidden_details", r#"{"ip":"10.0.0.1"}"#),
        ("challenge_metadata", "not json"),
        ("updated_date", "2026-11-22T06:00:00Z"),
    ];

    #[test]
    fn a_form_body_reads_every_field() {
        let event = WebhookEvent::parse(BodyKind::Form, &form(CHALLENGE_APPROVED)).unwrap();
        assert_eq!(event.uuid(), "5a4a3a2a-1b2b-4c3c-8d4d-5e6e7f8091a2");
        assert_eq!(event.event_type(), &EventType::ChallengeApproved);
        assert_eq!(
            event.account_sid(),
            Some("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        );
        assert_eq!(
            event.service_sid(),
            Some("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        );
        assert_eq!(
            event.entity_identity(),
            Some("ff483d1ff591898a9942916050d2ca3f")
        );
        assert_eq!(
            event.factor_sid(),
            Some("YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        );
        assert_eq!(event.factor_type(), Some("push"));
        assert_eq!(event.factor_friendly_name(), Some("John's iPhone"));
        assert_eq!(
            event.challenge_sid(),
            Some("YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        );
        assert_eq!(
            event.challenge_details(),
            Some(
                &json!({"message": "Login request", "fields": [{"label": "IP", "value": "10.0.0.1"}]})
            )
        );
        assert_eq!(
            event.challenge_hidden_details(),
            Some(&json!({"ip": "10.0.0.1"}))
        );
        // Not JSON: kept as the string it is.
        assert_eq!(event.challenge_metadata(), Some(&json!("not json")));
        assert_eq!(event.factor_metadata(), None);
        // Fields without an accessor are kept, and only those.
        assert_eq!(
            event.other_fields(),
            json!({"updated_date": "2026-11-22T06:00:00Z"})
                .as_object()
                .unwrap()
        );
    }

    #[test]
    fn a_json_body_reads_the_same_event() {
        let mut object = Map::new();
        for (name, value) in CHALLENGE_APPROVED {
            object.insert((*name).to_owned(), json!(value));
        }
        // Details as a real JSON object rather than a string.
        object.insert(
            "challenge_details".to_owned(),
            json!({"message": "Login request", "fields": [{"label": "IP", "value": "10.0.0.1"}]}),
        );
        let body = serde_json::to_vec(&object).unwrap();
        let from_json = WebhookEvent::parse(BodyKind::Json, &body).unwrap();
        let from_form = WebhookEvent::parse(BodyKind::Form, &form(CHALLENGE_APPROVED)).unwrap();
        assert_eq!(from_json, from_form);
    }

    #[test]
    fn only_uuid_and_type_are_required() {
        let event =
            WebhookEvent::parse(BodyKind::Form, b"uuid=u-1&type=factor.deleted&factor_sid=")
                .unwrap();
        assert_eq!(event.uuid(), "u-1");
        assert_eq!(event.event_type(), &EventType::FactorDeleted);
        assert_eq!(event.factor_sid(), None, "an empty value reads as absent");
        assert_eq!(event.account_sid(), None);
        assert!(event.other_fields().is_empty());

        for (body, field) in [
            (&b"type=factor.deleted"[..], "uuid"),
            (b"uuid=&type=factor.deleted", "uuid"),
            (b"uuid=u-1", "type"),
            (b"", "uuid"),
        ] {
            assert_eq!(
                WebhookEvent::parse(BodyKind::Form, body),
                Err(WebhookError::MissingField { field })
            );
        }
        assert_eq!(
            WebhookEvent::parse(BodyKind::Json, br#"{"uuid":"u-1","type":null}"#),
            Err(WebhookError::MissingField { field: "type" })
        );
    }

    #[test]
    fn an_unknown_type_and_unknown_fields_are_kept() {
        let event = WebhookEvent::parse(
            BodyKind::Json,
            br#"{"uuid":"u-2","type":"challenge.expired","new_field":{"a":1},"count":3}"#,
        )
        .unwrap();
        assert_eq!(
            event.event_type(),
            &EventType::Unknown("challenge.expired".to_owned())
        );
        assert_eq!(
            event.other_fields(),
            json!({"new_field": {"a": 1}, "count": 3})
                .as_object()
                .unwrap()
        );
    }

    #[test]
    fn repeated_form_names_are_kept_as_arrays_and_refused_for_typed_fields() {
        let event = WebhookEvent::parse(
            BodyKind::Form,
            b"uuid=u-3&type=factor.created&tag=a&tag=b&tag=c",
        )
        .unwrap();
        assert_eq!(
            event.other_fields().get("tag"),
            Some(&json!(["a", "b", "c"]))
        );

        assert_eq!(
            WebhookEvent::parse(
                BodyKind::Form,
                b"uuid=u-3&type=factor.created&factor_sid=YF1&factor_sid=YF2"
            ),
            Err(WebhookError::InvalidField {
                field: "factor_sid",
                expected: "a single string"
            })
        );
        assert_eq!(
            WebhookEvent::parse(BodyKind::Json, br#"{"uuid":7,"type":"factor.created"}"#),
            Err(WebhookError::InvalidField {
                field: "uuid",
                expected: "a single string"
            })
        );
    }

    #[test]
    fn a_json_body_that_is_not_an_object_is_malformed() {
        for body in [
            &b"[1,2]"[..],
            b"\"uuid\"",
            b"{\"uuid\":",
            b"uuid=u-1&type=x",
        ] {
            let err = WebhookEvent::parse(BodyKind::Json, body).unwrap_err();
            assert!(matches!(err, WebhookError::MalformedBody { .. }), "{err:?}");
            assert!(!err.is_unauthenticated());
        }
    }

    #[test]
    fn content_type_decides_the_body_kind_and_body_hash_breaks_ties() {
        let cases = [
            (Some("application/json"), false, BodyKind::Json),
            (
                Some("application/json; charset=utf-8"),
                false,
                BodyKind::Json,
            ),
            (Some(" APPLICATION/JSON "), false, BodyKind::Json),
            (
                Some("application/x-www-form-urlencoded; charset=UTF-8"),
                true,
                BodyKind::Form,
            ),
            (Some("text/plain"), true, BodyKind::Json),
            (Some("text/plain"), false, BodyKind::Form),
            (None, true, BodyKind::Json),
            (None, false, BodyKind::Form),
        ];
        for (content_type, has_hash, kind) in cases {
            assert_eq!(
                BodyKind::from_content_type(content_type, has_hash),
                kind,
                "{content_type:?}"
            );
        }
    }
}
