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

    /// Remembers a secret the client received (an access token), so a later error that echoes
    /// it is scrubbed. The room that decodes a response with a secret in it calls this with the
    /// decoded value: no response is searched or parsed a second time for secrets (that cost a
    /// third of a token create's CPU time; docs/performance.md).
    pub(crate) fn remember(&self, secret: &str) {
        if secret.len() < MIN_LEN {
            return;
        }
        if let Ok(mut seen) = self.seen.lock() {
            if seen.iter().any(|s| s == secret) {
                return;
            }
            if seen.len() == MAX_SEEN {
                seen.pop_front();
            }
            seen.push_back(secret.to_string());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_secrets_and_seen_tokens_are_redacted() {
        let secrets = Secrets::new(["0123456789abcdef0123456789abcdef".to_string()]);
        secrets.remember("eyJhbGciOi.short.tok");
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
            secrets.remember(&format!("token-number-{i:04}"));
        }
        assert_eq!(secrets.seen.lock().unwrap().len(), MAX_SEEN);
        assert_eq!(
            secrets.redact("token-number-0099", "[X]"),
            "[X]",
            "the newest is kept"
        );
    }
}
