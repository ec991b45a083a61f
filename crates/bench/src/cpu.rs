//! CPU time with nanosecond resolution from the scheduler's accounting
//! (`/proc/.../schedstat`, first field: time spent running), so short batches can be measured.

use std::time::Duration;

fn schedstat(path: &str) -> Option<Duration> {
    let text = std::fs::read_to_string(path).ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// CPU time used so far by the calling thread. The client side runs on one current-thread
/// runtime, so this is all of its CPU time (request building, hyper's connection tasks,
/// decoding), and none of the stand-in server's.
pub fn thread() -> Duration {
    schedstat("/proc/thread-self/schedstat").unwrap_or_default()
}

/// CPU time used so far by every thread of the process, the stand-in server included.
pub fn process() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    tasks
        .flatten()
        .filter_map(|t| schedstat(&format!("{}/schedstat", t.path().display())))
        .sum()
}
