//! Runs one child process and reports its wall time, CPU time and peak RSS, read with wait4(2)
//! for that child alone (getrusage(RUSAGE_CHILDREN) would mix the peaks of all children).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one child process cost.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    /// From spawn to exit.
    pub wall: Duration,
    /// User plus system CPU time.
    pub cpu: Duration,
    /// Peak resident set size, in KiB.
    pub max_rss_kib: u64,
}

/// Runs `command` to completion with stdout captured and discarded (stderr is captured and
/// shown if it fails). An error says what went wrong.
///
/// The peak RSS comes from GNU time (`/usr/bin/time -f %M`) wrapped around the command when it
/// is there: ru_maxrss of a direct child is not its own, since Linux carries the parent's peak
/// across fork and exec (it would report this benchmark's size); time is small, so the peak it
/// reports for its child is the child's. Without it, the figure is 0 (not measured).
pub fn run(command: &mut Command) -> Result<Usage, String> {
    let time = std::path::Path::new("/usr/bin/time");
    let mut wrapped;
    let command = if time.exists() {
        wrapped = Command::new(time);
        wrapped
            .args(["-f", "maxrss=%M"])
            .arg(command.get_program())
            .args(command.get_args());
        for (k, v) in command.get_envs() {
            match v {
                Some(v) => wrapped.env(k, v),
                None => wrapped.env_remove(k),
            };
        }
        &mut wrapped
    } else {
        command
    };
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let mut stderr = child.stderr.take();
    drop(child);
    // Drained on a thread so a chatty child cannot block on a full pipe before it exits.
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(s) = stderr.as_mut() {
            let _ = std::io::Read::read_to_string(s, &mut text);
        }
        text
    });
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct that wait4 fills in; all-zero bytes is a valid value
    // of it. The pid is our own child, not waited for elsewhere (its `Child` handle was consumed
    // above, so std will not reap it).
    #[allow(unsafe_code)]
    let (waited, usage) = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        let waited = libc::wait4(pid, &mut status, 0, &mut usage);
        (waited, usage)
    };
    let wall = started.elapsed();
    let err_text = reader.join().unwrap_or_default();
    if waited != pid {
        return Err(format!("wait4 failed: {}", std::io::Error::last_os_error()));
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!(
            "{command:?} failed (status {status}): {}",
            err_text.trim()
        ));
    }
    let own_rss = err_text
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("maxrss="))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Ok(Usage {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        max_rss_kib: own_rss,
    })
}

/// Runs this benchmark binary again with `args` (one of its child modes: `--child-rss`,
/// `--measure-requests`) and returns what it printed; panics with its stderr if it fails (a
/// failed child is a bug in the benchmark, not a measurement).
pub fn own_output(args: &[&str]) -> String {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let out = Command::new(exe)
        .args(args)
        .output()
        .expect("the benchmark starts itself");
    assert!(
        out.status.success(),
        "{} failed: {}",
        args.first().copied().unwrap_or("a child"),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
