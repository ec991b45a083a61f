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
/// The spelling is the generated enum's `Display`, which the generated code also uses to put the
/// value in a request; `tests/generated_fixes.rs` checks it matches the wire spelling serde
/// reads.
pub(crate) fn open_enum<G: std::fmt::Display, T: for<'a> From<&'a str>>(
    value: Option<G>,
) -> Option<T> {
    value.map(|value| {
        // Spelled into a stack buffer: a known value then needs no allocation at all (the
        // spellings are short; a longer one falls back to a `String`).
        let mut spelling = Spelling::default();
        match std::fmt::Write::write_fmt(&mut spelling, format_args!("{value}")) {
            Ok(()) => T::from(spelling.as_str()),
            Err(_) => T::from(value.to_string().as_str()),
        }
    })
}

/// A short string written in place; writing past its capacity is an error.
#[derive(Default)]
struct Spelling {
    bytes: [u8; 32],
    len: usize,
}

impl Spelling {
    fn as_str(&self) -> &str {
        // Only whole `&str`s are written, so the bytes are UTF-8.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for Spelling {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
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

    impl std::fmt::Display for Shown {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    #[test]
    fn open_enum_reads_known_unknown_and_long_spellings() {
        assert_eq!(
            open_enum::<_, ChallengeStatus>(Some(Shown("approved"))),
            Some(ChallengeStatus::Approved)
        );
        assert_eq!(
            open_enum::<_, ChallengeStatus>(Some(Shown("escalated"))),
            Some(ChallengeStatus::Unknown("escalated".into()))
        );
        // Longer than the stack buffer: kept whole through the fallback.
        let long = "a-status-spelled-with-more-than-thirty-two-bytes";
        assert_eq!(
            open_enum::<_, ChallengeStatus>(Some(Shown(long))),
            Some(ChallengeStatus::Unknown(long.into()))
        );
        assert_eq!(open_enum::<Shown, ChallengeStatus>(None), None);
    }
}
