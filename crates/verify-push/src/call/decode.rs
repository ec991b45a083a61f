//! Helpers that turn a generated model's fields into the wrapper's types, refusing a response
//! that lacks what the resource must have. Each failure is a message naming the field; `execute`
//! turns it into an [`Error::Decode`](crate::Error::Decode) with a scrubbed excerpt.

use chrono::{DateTime, FixedOffset, Utc};

use crate::InvalidInput;

/// A nullable string field that must be present and non-empty.
pub(crate) fn required(field: &str, value: Option<Option<String>>) -> Result<String, String> {
    value
        .flatten()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("the response has no `{field}`"))
}

/// A required SID field, checked against its kind (so a SID from a response can be used in a
/// later path safely).
pub(crate) fn sid<T>(
    field: &str,
    value: Option<Option<String>>,
    parse: fn(String) -> Result<T, InvalidInput>,
) -> Result<T, String> {
    parse(required(field, value)?).map_err(|e| format!("`{field}`: {}", e.rule()))
}

/// An optional SID field: absent is fine, malformed is not.
pub(crate) fn optional_sid<T>(
    field: &str,
    value: Option<Option<String>>,
    parse: fn(String) -> Result<T, InvalidInput>,
) -> Result<Option<T>, String> {
    match value.flatten().filter(|v| !v.is_empty()) {
        Some(v) => parse(v)
            .map(Some)
            .map_err(|e| format!("`{field}`: {}", e.rule())),
        None => Ok(None),
    }
}

/// A generated enum turned into the wrapper's open enum through its wire spelling, so the
/// wrapper keeps working whatever shape the generated enum has (closed, or with a catch-all).
///
/// The spelling is the generated enum's `AsRef<str>` (the template patch writes it beside
/// `Display`, which the generated code uses to put the value in a request; no formatting, and
/// no allocation for a known value); `tests/generated_fixes.rs` checks both match the wire
/// spelling serde reads.
pub(crate) fn open_enum<G: AsRef<str>, T: for<'a> From<&'a str>>(value: Option<G>) -> Option<T> {
    value.map(|value| T::from(value.as_ref()))
}

/// A nullable date-time, in UTC.
pub(crate) fn date(value: Option<Option<DateTime<FixedOffset>>>) -> Option<DateTime<Utc>> {
    value.flatten().map(|d| d.with_timezone(&Utc))
}

/// A nullable free-form JSON field (`details`, `metadata`, `config`, `links`).
pub(crate) fn json(value: Option<Option<serde_json::Value>>) -> Option<serde_json::Value> {
    value.flatten().filter(|v| !v.is_null())
}

/// The serialized form of a date in our own `Serialize` impls: RFC 3339 UTC with `Z`.
pub(crate) fn rfc3339(date: &DateTime<Utc>) -> String {
    date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `Serialize` for an optional date in the wrapper's models: RFC 3339 UTC, like Twilio's JSON.
pub(crate) fn serialize_date<S: serde::Serializer>(
    date: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => serializer.serialize_some(&rfc3339(d)),
        None => serializer.serialize_none(),
    }
}

/// A list's items: the key must be there (an empty list is `[]`).
pub(crate) fn items<T>(key: &str, items: Option<Vec<T>>) -> Result<Vec<T>, String> {
    items.ok_or_else(|| format!("the list response has no `{key}`"))
}

/// The generated enum for a wire spelling (the reverse of [`open_enum`]), for request
/// parameters; `None` when the generated crate has no such value.
pub(crate) fn generated_enum<G: serde::de::DeserializeOwned>(spelling: &str) -> Option<G> {
    serde_json::from_value(serde_json::Value::String(spelling.to_string())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ChallengeStatus;

    struct Shown(&'static str);

    impl AsRef<str> for Shown {
        fn as_ref(&self) -> &str {
            self.0
        }
    }

    #[test]
    fn open_enum_reads_known_and_unknown_spellings() {
        assert_eq!(
            open_enum::<_, ChallengeStatus>(Some(Shown("approved"))),
            Some(ChallengeStatus::Approved)
        );
        assert_eq!(
            open_enum::<_, ChallengeStatus>(Some(Shown("escalated"))),
            Some(ChallengeStatus::Unknown("escalated".into()))
        );
        assert_eq!(open_enum::<Shown, ChallengeStatus>(None), None);
    }
}
