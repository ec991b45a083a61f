//! A self-rewriting stderr line saying what a command waits for and the time left, shown only
//! when stderr is a terminal and the output is for a human (not `--json`). Piped, scripts see
//! only the result.

use std::io::{IsTerminal as _, Write as _};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::task::JoinHandle;

/// The line is redrawn this often.
const TICK: Duration = Duration::from_millis(500);

/// A running progress line; dropping it clears the line.
#[derive(Debug)]
pub struct Progress {
    task: Option<JoinHandle<()>>,
}

impl Progress {
    /// Whether a line would be shown: stderr is a terminal and the output is not `--json`.
    pub fn wanted(json: bool) -> bool {
        !json && std::io::stderr().is_terminal()
    }

    /// Starts showing `what` with the time left until `deadline` (or the time elapsed when
    /// there is none), if stderr is a terminal and `enabled`.
    pub fn start(what: String, deadline: Option<DateTime<Utc>>, enabled: bool) -> Self {
        if !Self::wanted(!enabled) {
            return Self { task: None };
        }
        let started = Utc::now();
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(TICK);
            loop {
                tick.tick().await;
                let now = Utc::now();
                let time = match deadline {
                    Some(deadline) => format!("{} left", clock((deadline - now).num_seconds())),
                    None => format!("{} elapsed", clock((now - started).num_seconds())),
                };
                // \r returns to the line's start, \x1b[K erases the rest: a line that rewrites
                // itself. Errors (stderr closed) are ignored: the line is a courtesy.
                let _ = write!(std::io::stderr(), "\r\x1b[K{what} ({time})");
                let _ = std::io::stderr().flush();
            }
        });
        Self { task: Some(task) }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = write!(std::io::stderr(), "\r\x1b[K");
            let _ = std::io::stderr().flush();
        }
    }
}

/// `seconds` as `m:ss` (never negative).
fn clock(seconds: i64) -> String {
    let seconds = seconds.max(0);
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_shows_minutes_and_seconds_and_stops_at_zero() {
        assert_eq!(clock(299), "4:59");
        assert_eq!(clock(5), "0:05");
        assert_eq!(clock(-3), "0:00");
    }
}
