//! The CLI's failures and the exit code and message each one gets.
//!
//! Exit codes are the contract scripts rely on: 2 means the command itself was wrong (bad input,
//! missing or malformed configuration) and nothing was sent; 1 means the request was made, or
//! tried, and failed (a Twilio error, a network failure, an unreadable response).

use std::error::Error as _;
use std::fmt;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// Bad input or configuration found by the CLI itself; nothing was sent. Exit 2.
    Usage(String),
    /// What the library returned. Exit 2 for invalid input or configuration, else 1.
    Verify(verify_push::Error),
    /// Anything else that went wrong at run time (the sandbox could not start, stdout closed).
    /// Exit 1.
    Runtime(String),
}

impl CliError {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Verify(
                verify_push::Error::InvalidInput(_) | verify_push::Error::Config(_),
            ) => 2,
            CliError::Verify(_) | CliError::Runtime(_) => 1,
        }
    }
}

impl From<verify_push::Error> for CliError {
    fn from(e: verify_push::Error) -> Self {
        CliError::Verify(e)
    }
}

/// One line for stderr, after `error: `. For a Twilio error the library's `Display` already has
/// the code, the HTTP status and the more-info URL; the request id is added for Twilio support.
/// For a network failure the innermost cause (e.g. "Connection refused") is added, since the
/// library's message says what was attempted but not what the operating system answered.
impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(message) | CliError::Runtime(message) => f.write_str(message),
            CliError::Verify(e) => {
                write!(f, "{e}")?;
                if let Some(id) = e.request_id() {
                    write!(f, " (request {id})")?;
                }
                if let Some(cause) = root_cause(e) {
                    write!(f, " ({cause})")?;
                }
                Ok(())
            }
        }
    }
}

/// `text` with control characters (ESC, CR, line breaks unless `keep_newlines`) and invisible
/// or bidirectional formatting characters escaped, so text a user or a server supplied cannot
/// move the cursor, rewrite the line or reorder what the terminal shows.
pub fn escape_controls(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if keep_newlines && c == '\n' {
            out.push(c);
        } else if c.is_control() {
            out.extend(c.escape_debug());
        } else if is_invisible_or_bidi(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Zero-width characters, direction marks, embeddings, overrides and isolates, line and
/// paragraph separators, the byte-order mark (Unicode's bidi and default-ignorable classes
/// that matter on a terminal).
fn is_invisible_or_bidi(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

/// The innermost source of a transport error. The library strips URLs from these; they never
/// hold credentials.
fn root_cause(e: &verify_push::Error) -> Option<String> {
    use verify_push::Error as E;
    if !matches!(e, E::Timeout(_) | E::Connect(_) | E::Transport(_)) {
        return None;
    }
    let mut cause = e.source()?;
    while let Some(next) = cause.source() {
        cause = next;
    }
    Some(cause.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_and_invalid_input_exit_2_and_the_rest_exit_1() {
        assert_eq!(CliError::Usage("x".into()).exit_code(), 2);
        assert_eq!(CliError::Runtime("x".into()).exit_code(), 1);
        let invalid = "301".parse::<verify_push::Ttl>().unwrap_err();
        assert_eq!(
            CliError::Verify(verify_push::Error::InvalidInput(invalid.clone())).exit_code(),
            2
        );
        assert_eq!(
            CliError::Verify(verify_push::Error::Config(invalid)).exit_code(),
            2
        );
    }

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        assert_eq!(
            escape_controls("a\r\n\u{1b}[2Jb\u{202E}c", false),
            "a\\r\\n\\u{1b}[2Jb\\u{202e}c"
        );
        assert_eq!(escape_controls("one\ntwo\r", true), "one\ntwo\\r");
        assert_eq!(escape_controls("plain é text", false), "plain é text");
    }
}
