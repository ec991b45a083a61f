//! The sandbox's log lines on stderr, written so that a closed stderr (`verify-push sandbox 2>&1
//! | head`) loses the line instead of panicking the server, as `eprintln!` would.

use std::io::Write as _;

/// Writes one line to stderr, ignoring any error (a closed pipe included).
pub(crate) fn line(message: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "verify-push-sandbox: {message}");
}
