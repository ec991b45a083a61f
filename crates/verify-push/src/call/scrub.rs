//! Making response bodies safe to show in error messages.
//!
//! A body that failed to decode may be a success response carrying the enrollment token, so
//! it is never shown raw: token-like fields are redacted and long credential-shaped runs
//! (JWE parts, base64, hex secrets) are replaced before the excerpt is cut short. Every exact
//! occurrence of a secret the client knows ([`Secrets`]) is replaced too.
//!
//! Only a bounded window at the start of the text is ever looked at (a few times the excerpt's
//! length), so a multi-megabyte body costs the same as a short one.

use super::secrets::Secrets;

const REDACTED: &str = "[REDACTED]";
/// JSON keys whose values are credentials.
const SECRET_KEYS: &[&str] = &[
    "token",
    "access_token",
    "auth_token",
    "password",
    "secret",
    "api_secret",
    "api_key_secret",
    "authorization",
];
/// Runs of token characters at least this long are redacted. SIDs (34) stay readable;
/// JWE parts and secrets are longer or get caught by their key.
const LONG_RUN: usize = 40;

/// Characters of credentials in text: base64url and the JWE's dots (the access token), hex and
/// alphanumerics (auth tokens, API secrets). `/` is not one, so a URL path made of SIDs
/// (`/Services/VA…/AccessTokens/YK…`) stays readable in Twilio's 404 messages.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// The longest message kept from a server, in characters (Twilio's are one sentence).
const MAX_MESSAGE_CHARS: usize = 1000;

/// The start of `bytes`, enough for an excerpt of `max_chars` characters. A credential that
/// straddles the cut lies past the excerpt's end (the window is several times longer), and a
/// long run cut short is still long, so the window changes nothing that is shown.
pub(crate) fn window(bytes: &[u8], max_chars: usize) -> &[u8] {
    let limit = max_chars.saturating_mul(8).saturating_add(256);
    &bytes[..bytes.len().min(limit)]
}

fn window_str(text: &str, max_chars: usize) -> &str {
    let mut cut = window(text.as_bytes(), max_chars).len();
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// A secret-free excerpt of `body`, at most `max_chars` characters.
pub(crate) fn excerpt(body: &str, max_chars: usize, secrets: &Secrets) -> String {
    let body = secrets.redact(window_str(body, max_chars), REDACTED);
    let text = match serde_json::from_str::<serde_json::Value>(&body) {
        Ok(mut value) => {
            redact_keys(&mut value);
            secrets.redact(&value.to_string(), REDACTED)
        }
        Err(_) => redact_secret_fields_in_text(&body),
    };
    truncate(&redact_long_runs(&text), max_chars)
}

/// Redacts known secrets and long credential-shaped runs in free text (messages, serde
/// errors), and cuts it to a sentence's length.
pub(crate) fn text(message: &str, secrets: &Secrets) -> String {
    let message = secrets.redact(window_str(message, MAX_MESSAGE_CHARS), REDACTED);
    truncate(&redact_long_runs(&message), MAX_MESSAGE_CHARS)
}

/// A server's JSON (Twilio's `details`) with the values of secret keys replaced and every
/// string scrubbed like [`text`].
pub(crate) fn json(mut value: serde_json::Value, secrets: &Secrets) -> serde_json::Value {
    redact_keys(&mut value);
    scrub_strings(&mut value, secrets);
    value
}

fn scrub_strings(value: &mut serde_json::Value, secrets: &Secrets) {
    match value {
        serde_json::Value::String(s) => *s = text(s, secrets),
        serde_json::Value::Object(map) => map
            .values_mut()
            .for_each(|child| scrub_strings(child, secrets)),
        serde_json::Value::Array(items) => items
            .iter_mut()
            .for_each(|child| scrub_strings(child, secrets)),
        _ => {}
    }
}

fn redact_keys(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if SECRET_KEYS.contains(&key.to_ascii_lowercase().as_str()) && !child.is_null() {
                    *child = serde_json::Value::String(REDACTED.into());
                } else {
                    redact_keys(child);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_keys),
        _ => {}
    }
}

/// For bodies that are not valid JSON (truncated, wrong content): blank the string value that
/// follows a secret key, up to its closing quote or the end of the text.
fn redact_secret_fields_in_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    'outer: while !rest.is_empty() {
        for key in SECRET_KEYS {
            let quoted = format!("\"{key}\"");
            if rest.starts_with(&quoted) {
                out.push_str(&quoted);
                rest = &rest[quoted.len()..];
                let trimmed = rest.trim_start_matches([' ', ':', '\t', '\n', '\r']);
                out.push_str(&rest[..rest.len() - trimmed.len()]);
                rest = trimmed;
                if let Some(value) = rest.strip_prefix('"') {
                    let end = value.find('"').map_or(value.len(), |i| i + 1);
                    out.push('"');
                    out.push_str(REDACTED);
                    if end <= value.len() && value[..end].ends_with('"') {
                        out.push('"');
                    }
                    rest = &value[end..];
                }
                continue 'outer;
            }
        }
        let c = rest.chars().next().expect("rest is not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn redact_long_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= LONG_RUN {
            out.push_str(REDACTED);
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if is_token_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(body: &str, max_chars: usize) -> String {
        super::excerpt(body, max_chars, &Secrets::default())
    }

    fn text(message: &str) -> String {
        super::text(message, &Secrets::default())
    }

    const JWE: &str = "eyJ6aXAiOiJERUYiLCJraWQiOiJTQVNfUzNfX19LTVNfdjEiLCJjdHkiOiJ0d2lsaW8tZnBhO3Y9MSIsImVuYyI6IkEyNTZHQ00iLCJhbGciOiJkaXIifQ..qjltWfIgQaTwp2De.81Z_6W4kR-hdlAUvJQCbwS8CQ7QAoFRkOvNMoySEj8zEB4BAY3MXhPARfaK4Lnr4YceA2cXEmrzPKQ7bPm0XZMGYm1fqLYzAR8YAqUetI9WEdQ.GCt35DWTurtP-QaIL5aBSQ";

    #[test]
    fn json_token_field_is_redacted() {
        let body = format!(
            r#"{{"sid":"YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","token":"{JWE}","ttl":"sixty"}}"#
        );
        let out = excerpt(&body, 500);
        assert!(!out.contains("eyJ6aXAi"), "{out}");
        assert!(out.contains("[REDACTED]"), "{out}");
        assert!(
            out.contains("YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            "SIDs stay: {out}"
        );
        assert!(out.contains("sixty"), "{out}");
    }

    #[test]
    fn truncated_json_token_is_redacted() {
        let body = format!(r#"{{"sid":"YK1","token": "{}"#, &JWE[..30]);
        let out = excerpt(&body, 500);
        assert!(!out.contains(&JWE[..20]), "{out}");
    }

    #[test]
    fn long_runs_in_free_text_are_redacted_but_urls_kept() {
        let out = excerpt(
            &format!("<html>{JWE} see https://www.twilio.com/docs/errors/20404</html>"),
            500,
        );
        assert!(!out.contains("eyJ6aXAi"), "{out}");
        assert!(
            out.contains("https://www.twilio.com/docs/errors/20404"),
            "{out}"
        );
    }

    #[test]
    fn paths_made_of_sids_stay_readable() {
        let message = "The requested resource /Services/VAcccccccccccccccccccccccccccccccc/AccessTokens/YKdddddddddddddddddddddddddddddddd was not found";
        assert_eq!(text(message), message);
    }

    #[test]
    fn a_token_inside_a_message_is_redacted() {
        let out = text(&format!("bad token {JWE} given"));
        assert_eq!(out, "bad token [REDACTED] given");
    }

    #[test]
    fn excerpt_is_cut_short_on_a_character_boundary() {
        let out = excerpt(&"é".repeat(500), 10);
        assert_eq!(out, format!("{}…", "é".repeat(10)));
    }

    #[test]
    fn an_echoed_auth_token_is_redacted_everywhere() {
        // 32 characters: shorter than the long-run rule, caught because the client knows it.
        let token = "0123456789abcdef0123456789abcdef";
        let secrets = Secrets::new([token.to_string()]);
        let out = super::excerpt(&format!("<html>you sent {token}</html>"), 200, &secrets);
        assert!(!out.contains(token), "{out}");
        let out = super::text(&format!("bad password {token}"), &secrets);
        assert_eq!(out, "bad password [REDACTED]");
        let details = super::json(
            serde_json::json!({"echo": format!("Basic {token}"), "access_token": "abc", "n": 1}),
            &secrets,
        );
        let shown = details.to_string();
        assert!(!shown.contains(token) && !shown.contains("abc"), "{shown}");
    }

    #[test]
    fn only_a_window_of_a_huge_body_is_scrubbed() {
        let body = "x".repeat(200) + &"<p>".repeat(1_000_000);
        let out = excerpt(&body, 120);
        assert_eq!(out.chars().count(), 121, "{out}");
        assert!(window(body.as_bytes(), 120).len() < 2000);
    }
}
