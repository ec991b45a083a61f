//! How factors, challenges and webhooks are printed: aligned `key: value` lines for people, or
//! the library's `Serialize` (Twilio's field names) for `--json`.

use chrono::{DateTime, Utc};
use serde::Serialize;
use verify_push::challenges::Challenge;
use verify_push::factors::Factor;
use verify_push::webhooks::Webhook;

use crate::error::CliError;

/// `value` as pretty JSON and a newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<String, CliError> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Runtime(format!("cannot encode the result as JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// Aligned `key: value` lines.
fn lines(pairs: &[(&str, String)]) -> String {
    let width = pairs.iter().map(|(key, _)| key.len()).max().unwrap_or(0) + 1;
    pairs
        .iter()
        .map(|(key, value)| format!("{:<width$} {value}\n", format!("{key}:")))
        .collect()
}

fn or_dash(value: Option<String>) -> String {
    value.unwrap_or_else(|| "-".to_string())
}

fn date(value: Option<DateTime<Utc>>) -> String {
    or_dash(value.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
}

/// One line per factor: SID, status, name; or a sentence when there is none.
pub fn factors(factors: &[Factor]) -> String {
    if factors.is_empty() {
        return "No factors.\n".to_string();
    }
    factors
        .iter()
        .map(|f| {
            format!(
                "{}  {:<10} {}\n",
                f.sid(),
                f.status().to_string(),
                f.friendly_name().unwrap_or("-")
            )
        })
        .collect()
}

/// A challenge: status first, then its message and fields.
pub fn challenge(c: &Challenge) -> String {
    let mut pairs = vec![
        ("sid", c.sid().to_string()),
        ("status", c.status().to_string()),
        (
            "responded_reason",
            or_dash(c.responded_reason().map(ToString::to_string)),
        ),
        ("identity", c.identity().to_string()),
        ("factor_sid", c.factor_sid().to_string()),
        (
            "message",
            or_dash(c.details().and_then(|d| d.message()).map(str::to_string)),
        ),
    ];
    if let Some(details) = c.details() {
        for (label, value) in details.fields() {
            pairs.push(("field", format!("{label}: {value}")));
        }
    }
    pairs.push(("expiration_date", date(c.expiration_date())));
    pairs.push(("date_responded", date(c.date_responded())));
    lines(&pairs)
}

/// One line per webhook: SID, name, URL, events; or a sentence when there is none.
pub fn webhooks(webhooks: &[Webhook]) -> String {
    if webhooks.is_empty() {
        return "No webhooks.\n".to_string();
    }
    webhooks.iter().map(webhook_line).collect()
}

/// A webhook on one line.
pub fn webhook_line(w: &Webhook) -> String {
    let events: Vec<&str> = w.event_types().iter().map(|e| e.as_str()).collect();
    format!(
        "{}  {}  {}  {}\n",
        w.sid(),
        w.friendly_name().unwrap_or("-"),
        w.webhook_url().unwrap_or("-"),
        events.join(",")
    )
}
