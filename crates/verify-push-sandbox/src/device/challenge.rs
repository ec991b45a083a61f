//! A challenge as the device shows it to its user.

use serde_json::Value;

/// A challenge waiting for the user's answer: what the app would display.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PendingChallenge {
    /// `YC…`
    pub sid: String,
    /// The factor it was sent to.
    pub factor_sid: String,
    /// The entity identity.
    pub identity: String,
    /// `details.message`.
    pub message: String,
    /// `details.fields`, as (label, value) pairs.
    pub fields: Vec<(String, String)>,
    /// `expiration_date`, RFC 3339.
    pub expiration_date: String,
}

impl PendingChallenge {
    pub(crate) fn from_json(value: &Value) -> Option<Self> {
        let text = |v: &Value, name: &str| v.get(name).and_then(Value::as_str).map(str::to_owned);
        let details = value.get("details")?;
        let fields = details
            .get("fields")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| Some((text(item, "label")?, text(item, "value")?)))
                    .collect()
            })
            .unwrap_or_default();
        Some(Self {
            sid: text(value, "sid")?,
            factor_sid: text(value, "factor_sid")?,
            identity: text(value, "identity")?,
            message: text(details, "message")?,
            fields,
            expiration_date: text(value, "expiration_date")?,
        })
    }
}
