//! What a push challenge shows on the phone, and what it carries unseen: the rules Twilio
//! documents only in prose, checked before anything is sent.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::InvalidInput;

/// Source for the limits below: spec CreateChallenge (`Details.Message`, `Details.Fields`,
/// `HiddenDetails`, `ExpirationDate`) and <https://www.twilio.com/docs/api/errors/60368>.
/// Lengths count Unicode characters (Twilio does not say; characters are the stricter reading
/// for ASCII and the natural one for a phone's display).
pub(crate) const MESSAGE_MAX: usize = 256;
pub(crate) const FIELDS_MAX: usize = 20;
pub(crate) const LABEL_MAX: usize = 36;
pub(crate) const VALUE_MAX: usize = 128;
pub(crate) const HIDDEN_DETAILS_MAX: usize = 1024;
/// "The maximum value is 60 minutes after the challenge creation" (spec `ExpirationDate`).
pub(crate) const EXPIRATION_MAX: Duration = Duration::from_secs(60 * 60);

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// `s`'s length in characters when it breaks "1 to `max` characters", else `None`. A string of
/// at most `max` bytes has at most `max` characters, and none exactly when it has no bytes, so
/// the common case is decided without walking the string.
fn outside(s: &str, max: usize) -> Option<usize> {
    if !s.is_empty() && s.len() <= max {
        return None;
    }
    let n = chars(s);
    (n == 0 || n > max).then_some(n)
}

/// `Details.Message`: required for push, 1 to 256 characters.
pub(crate) fn check_message(message: Option<&str>) -> Result<&str, InvalidInput> {
    let message = message.ok_or_else(|| {
        InvalidInput::new(
            "message",
            "is required for a push challenge: it is what the phone shows (Twilio error 60368)",
        )
    })?;
    if let Some(n) = outside(message, MESSAGE_MAX) {
        return Err(InvalidInput::new(
            "message",
            format!("must be 1 to {MESSAGE_MAX} characters, got {n}"),
        ));
    }
    Ok(message)
}

/// `Details.Fields`: at most 20, label 1 to 36 characters, value up to 128. Each goes out as
/// one JSON object `{"label", "value"}`.
pub(crate) fn check_fields(
    fields: &[(String, String)],
) -> Result<Vec<serde_json::Value>, InvalidInput> {
    if fields.len() > FIELDS_MAX {
        return Err(InvalidInput::new(
            "fields",
            format!("must be at most {FIELDS_MAX} fields, got {}", fields.len()),
        ));
    }
    fields
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let (l, v) = (chars(label), chars(value));
            if l == 0 || l > LABEL_MAX {
                return Err(InvalidInput::new(
                    format!("fields[{i}].label"),
                    format!("must be 1 to {LABEL_MAX} characters, got {l}"),
                ));
            }
            if v > VALUE_MAX {
                return Err(InvalidInput::new(
                    format!("fields[{i}].value"),
                    format!("must be at most {VALUE_MAX} characters, got {v}"),
                ));
            }
            Ok(serde_json::json!({ "label": label, "value": value }))
        })
        .collect()
}

/// `HiddenDetails`: a JSON object of string values only, at most 1024 characters serialized.
pub(crate) fn check_hidden_details(
    details: &BTreeMap<String, String>,
) -> Result<Option<serde_json::Value>, InvalidInput> {
    if details.is_empty() {
        return Ok(None);
    }
    let value = serde_json::to_value(details).expect("a map of strings always serializes");
    let n = chars(&value.to_string());
    if n > HIDDEN_DETAILS_MAX {
        return Err(InvalidInput::new(
            "hidden_details",
            format!("must be at most {HIDDEN_DETAILS_MAX} characters as JSON, got {n}"),
        ));
    }
    Ok(Some(value))
}

/// When the challenge should expire, relative or absolute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expiry {
    In(Duration),
    At(DateTime<Utc>),
}

/// `ExpirationDate`: in the future and at most 60 minutes after `now`; whole seconds (the
/// wire format has none smaller).
pub(crate) fn check_expiry(
    expiry: Expiry,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, InvalidInput> {
    let (field, at) = match expiry {
        Expiry::In(d) => {
            if d.is_zero() || d > EXPIRATION_MAX {
                return Err(InvalidInput::new(
                    "expires_in",
                    format!(
                        "must be more than 0 and at most 60 minutes, got {} s",
                        d.as_secs_f64()
                    ),
                ));
            }
            let d = chrono::Duration::from_std(d).expect("at most an hour");
            ("expires_in", now + d)
        }
        Expiry::At(at) => ("expires_at", at),
    };
    let at = chrono::Timelike::with_nanosecond(&at, 0)
        .ok_or_else(|| InvalidInput::new(field, "is not a representable date"))?;
    if at <= now {
        return Err(InvalidInput::new(
            field,
            format!("must be in the future, got {}", at.to_rfc3339()),
        ));
    }
    if at - now > chrono::Duration::from_std(EXPIRATION_MAX).expect("an hour") {
        return Err(InvalidInput::new(
            field,
            format!(
                "must be at most 60 minutes from now, got {}",
                at.to_rfc3339()
            ),
        ));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(label: &str, value: &str) -> (String, String) {
        (label.to_string(), value.to_string())
    }

    #[test]
    fn message_is_required_and_at_most_256_characters() {
        assert_eq!(check_message(None).unwrap_err().field(), "message");
        assert!(check_message(Some("")).is_err());
        assert!(check_message(Some(&"é".repeat(256))).is_ok());
        let err = check_message(Some(&"x".repeat(257))).unwrap_err();
        assert!(err.rule().contains("got 257"), "{err}");
        // Characters, not bytes, on both sides of the byte-length shortcut.
        assert!(check_message(Some(&"x".repeat(256))).is_ok());
        let err = check_message(Some(&"é".repeat(257))).unwrap_err();
        assert!(err.rule().contains("got 257"), "{err}");
        let err = check_message(Some("")).unwrap_err();
        assert!(err.rule().contains("got 0"), "{err}");
    }

    #[test]
    fn more_than_20_fields_are_rejected() {
        let twenty: Vec<_> = (0..20).map(|i| field(&format!("L{i}"), "v")).collect();
        assert_eq!(check_fields(&twenty).unwrap().len(), 20);
        let mut many = twenty;
        many.push(field("L20", "v"));
        assert_eq!(check_fields(&many).unwrap_err().field(), "fields");
    }

    #[test]
    fn label_over_36_and_value_over_128_characters_are_rejected_naming_the_field() {
        let err = check_fields(&[field("ok", "v"), field(&"l".repeat(37), "v")]).unwrap_err();
        assert_eq!(err.field(), "fields[1].label");
        let err = check_fields(&[field("ok", &"v".repeat(129))]).unwrap_err();
        assert_eq!(err.field(), "fields[0].value");
        assert!(check_fields(&[field(&"l".repeat(36), &"v".repeat(128))]).is_ok());
        assert!(check_fields(&[field("", "v")]).is_err());
    }

    #[test]
    fn fields_go_out_as_label_value_objects() {
        let json = check_fields(&[field("Location", "Berlin, DE")]).unwrap();
        assert_eq!(
            json[0],
            serde_json::json!({"label": "Location", "value": "Berlin, DE"})
        );
    }

    #[test]
    fn hidden_details_over_1024_characters_are_rejected() {
        let mut map = BTreeMap::new();
        map.insert("k".to_string(), "v".repeat(1016)); // {"k":"…"} = 1024
        assert!(check_hidden_details(&map).is_ok());
        map.insert("k".to_string(), "v".repeat(1017));
        let err = check_hidden_details(&map).unwrap_err();
        assert_eq!(err.field(), "hidden_details");
        assert!(err.rule().contains("got 1025"), "{err}");
        assert_eq!(check_hidden_details(&BTreeMap::new()).unwrap(), None);
    }

    #[test]
    fn expiry_must_be_in_the_future_and_within_60_minutes() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T12:00:00.250Z")
            .unwrap()
            .with_timezone(&Utc);
        let at = check_expiry(Expiry::In(Duration::from_secs(120)), now).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-01-01T12:02:00+00:00");
        assert!(check_expiry(Expiry::In(Duration::from_secs(3600)), now).is_ok());
        assert_eq!(
            check_expiry(Expiry::In(Duration::from_secs(3601)), now)
                .unwrap_err()
                .field(),
            "expires_in"
        );
        assert!(check_expiry(Expiry::In(Duration::ZERO), now).is_err());
        let past = now - chrono::Duration::seconds(1);
        assert_eq!(
            check_expiry(Expiry::At(past), now).unwrap_err().field(),
            "expires_at"
        );
        let far = now + chrono::Duration::minutes(61);
        assert!(check_expiry(Expiry::At(far), now).is_err());
    }
}
