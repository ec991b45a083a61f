//! Lines for the operator, on stdout.

use std::io::Write;

/// A line on stdout that never panics, even when stdout is a closed pipe.
pub fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
}
