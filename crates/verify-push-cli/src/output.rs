//! How a token is printed: human-readable lines, Twilio's JSON, or the mobile hand-off JSON.
//!
//! Every format includes the token: handing it on is what `token create` is for. It goes to
//! stdout only; logs and errors (stderr) never carry it.

use std::io::{self, Write};

use verify_push::AccessToken;

use crate::args::Format;
use crate::error::CliError;

/// `token` in `format`, ending with a newline.
pub fn render(token: &AccessToken, format: Format) -> String {
    match format {
        Format::Human => human(token),
        // Serializing these types cannot fail: plain strings and numbers, no maps with
        // non-string keys.
        Format::Json => line(serde_json::to_string_pretty(token)),
        Format::Enrollment => line(serde_json::to_string_pretty(&token.enrollment())),
    }
}

fn line(json: serde_json::Result<String>) -> String {
    let mut text = json.unwrap_or_default();
    text.push('\n');
    text
}

/// Aligned `key: value` lines. The token comes last, on its own line, so it is easy to copy
/// (`| tail -n 1`) and does not scroll the other fields out of sight.
fn human(token: &AccessToken) -> String {
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "-".to_string());
    let lines = [
        ("sid", token.sid().to_string()),
        ("service_sid", token.service_sid().to_string()),
        (
            "account_sid",
            or_dash(token.account_sid().map(ToString::to_string)),
        ),
        ("identity", token.identity().to_string()),
        ("factor_type", token.factor_type().to_string()),
        (
            "friendly_name",
            or_dash(token.factor_friendly_name().map(str::to_string)),
        ),
        ("ttl", format!("{} s", token.ttl().as_secs())),
        (
            "date_created",
            or_dash(token.date_created().map(|d| d.to_string())),
        ),
        (
            "expires_at",
            or_dash(token.expires_at().map(|d| d.to_string())),
        ),
        ("url", or_dash(token.url().map(str::to_string))),
        ("token", token.token().expose_secret().to_string()),
    ];
    let width = lines.iter().map(|(key, _)| key.len()).max().unwrap_or(0) + 1;
    lines
        .iter()
        .map(|(key, value)| format!("{:<width$} {value}\n", format!("{key}:")))
        .collect()
}

/// Writes `text` to stdout. Any failure, a closed pipe included, is an error (exit 1): the
/// output is a token, and a token that did not arrive is lost, so the caller must not take the
/// exit status for success.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| {
            CliError::Runtime(format!(
                "cannot write the result to stdout: {e}; the token was not delivered"
            ))
        })
}

/// Writes a line for the person at the terminal to stderr. A stderr that cannot be written (a
/// pipe whose reader is gone) is ignored: the note is a courtesy, and `eprintln!` would panic
/// there, turning a delivered result into exit 101.
pub fn note(text: &str) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "{text}").and_then(|()| stderr.flush());
}

/// Fails when stdout was closed when the process started, checked before any request so no
/// token is created only to be lost.
///
/// The standard library reopens a closed stdout as `/dev/null` (read-write) before `main`, and
/// writes there succeed silently. A shell's `> /dev/null` opens it write-only, so a read-write
/// `/dev/null` on descriptor 1 is the closed stdout. Linux only (it reads /proc); elsewhere
/// this check passes.
pub fn check_stdout_open() -> Result<(), CliError> {
    if stdout_was_closed() {
        Err(CliError::Runtime(
            "stdout is closed, so the result could not be delivered; nothing was sent".to_string(),
        ))
    } else {
        Ok(())
    }
}

fn stdout_was_closed() -> bool {
    if !cfg!(target_os = "linux") {
        return false;
    }
    let is_dev_null = std::fs::read_link("/proc/self/fd/1")
        .is_ok_and(|target| target == std::path::Path::new("/dev/null"));
    if !is_dev_null {
        return false;
    }
    // `flags:` in octal; the access mode is its low two bits (2 = O_RDWR).
    std::fs::read_to_string("/proc/self/fdinfo/1")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("flags:"))
                .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
        })
        .is_some_and(|flags| flags & 0o3 == 0o2)
}
