//! The secrets this client knows: its own credential and the tokens it has received. Error
//! text is scrubbed of every exact occurrence of them, besides the pattern-based rules in
//! [`scrub`](super::scrub), so a server (or a proxy) that echoes one back cannot get it printed.

use std::collections::VecDeque;
use std::sync::Mutex;

/// Shorter values are not matched: they would redact ordinary words. Twilio's auth tokens and
/// API secrets are 32 characters, access tokens several hundred.
pub(crate) const MIN_LEN: usize = 8;
/// How many received tokens are remembered; the oldest is forgotten first. Bounded so a
/// long-lived client does not grow, and so scrubbing stays cheap.
const MAX_SEEN: usize = 32;
/// JSON keys of a success response whose values are remembered as secrets.
const TOKEN_KEYS: &[&str] = &["token", "auth_token", "secret", "api_secret", "password"];

/// The client's credential and the most recent tokens it received.
#[derive(Default)]
pub(crate) struct Secrets {
    own: Vec<String>,
    seen: Mutex<VecDeque<String>>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets([REDACTED])")
    }
}

impl Secrets {
    /// The client's own secrets (auth token or API key secret).
    pub(crate) fn new(own: impl IntoIterator<Item = String>) -> Self {
        Self {
            own: own.into_iter().filter(|s| s.len() >= MIN_LEN).collect(),
            seen: Mutex::default(),
        }
    }

    /// Remembers the token-like values of a success body. Cheap for bodies without one: a
    /// substring check before any parsing.
    pub(crate) fn learn_from_body(&self, body: &[u8]) {
        if !contains(body, b"\"token\"") && !contains(body, b"secret\"") {
            return;
        }
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
            return;
        };
        let mut found = Vec::new();
        collect(&value, &mut found);
        if found.is_empty() {
            return;
        }
        if let Ok(mut seen) = self.seen.lock() {
            for token in found {
                if !seen.contains(&token) {
                    if seen.len() == MAX_SEEN {
                        seen.pop_front();
                    }
                    seen.push_back(token);
                }
            }
        }
    }

    /// `text` with every known secret replaced by `replacement`.
    pub(crate) fn redact(&self, text: &str, replacement: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.own {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), replacement);
            }
        }
        if let Ok(seen) = self.seen.lock() {
            for secret in seen.iter() {
                if out.contains(secret.as_str()) {
                    out = out.replace(secret.as_str(), replacement);
                }
            }
        }
        out
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn collect(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                match child {
                    serde_json::Value::String(s)
                        if s.len() >= MIN_LEN
                            && TOKEN_KEYS.contains(&key.to_ascii_lowercase().as_str()) =>
                    {
                        found.push(s.clone());
                    }
                    _ => collect(child, found),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, found)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_secrets_and_seen_tokens_are_redacted() {
        let secrets = Secrets::new(["0123456789abcdef0123456789abcdef".to_string()]);
        secrets.learn_from_body(br#"{"sid":"YK1","token":"eyJhbGciOi.short.tok"}"#);
        let out = secrets.redact(
            "auth 0123456789abcdef0123456789abcdef and eyJhbGciOi.short.tok",
            "[X]",
        );
        assert_eq!(out, "auth [X] and [X]");
    }

    #[test]
    fn short_values_are_not_secrets_and_memory_is_bounded() {
        let secrets = Secrets::new(["t".to_string()]);
        assert_eq!(secrets.redact("tttt", "[X]"), "tttt");
        for i in 0..100 {
            secrets.learn_from_body(format!(r#"{{"token":"token-number-{i:04}"}}"#).as_bytes());
        }
        assert_eq!(secrets.seen.lock().unwrap().len(), MAX_SEEN);
        assert_eq!(
            secrets.redact("token-number-0099", "[X]"),
            "[X]",
            "the newest is kept"
        );
    }
}
