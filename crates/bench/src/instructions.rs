//! Instructions per request, counted by `valgrind --tool=callgrind`: the one figure here that
//! does not move with the machine's load (the same binary and inputs give the same count), so it
//! shows what the code costs when the timings are noisy, and CI can hold it tightly.
//!
//! Each count runs this benchmark's binary in `--profile` mode (profile.rs) under callgrind
//! against a stand-in served by another process (`--serve`), so the stand-in's instructions are
//! not counted. Two runs of different lengths are subtracted, which leaves out the fixed cost
//! of starting a process and building a client.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::clients::{Op, Path};
pub use crate::count::Count;
use crate::profile;

/// The stand-in in a child process; stopped (stdin closed) on drop.
struct Served {
    child: Child,
    base_url: String,
}

impl Served {
    fn start(exe: &std::path::Path) -> Result<Self, String> {
        let mut child = Command::new(exe)
            .arg(profile::SERVE_FLAG)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start the stand-in: {e}"))?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the stand-in's URL: {e}"))?;
        let base_url = line.trim().to_string();
        if !base_url.starts_with("http://127.0.0.1:") {
            let _ = child.kill();
            return Err(format!("the stand-in printed {base_url:?}, not its URL"));
        }
        Ok(Self { child, base_url })
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// Total instructions of one `--profile` run of `requests` requests.
fn collected(
    exe: &std::path::Path,
    base_url: &str,
    op: Op,
    path: Path,
    requests: usize,
) -> Result<u64, String> {
    let op_name = op.name().replace(' ', "-");
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(exe)
        .args([
            profile::PROFILE_FLAG,
            &op_name,
            path.name(),
            &requests.to_string(),
            base_url,
        ])
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!(
            "valgrind failed: {}",
            stderr.lines().last().unwrap_or("")
        ));
    }
    stderr
        .lines()
        .find_map(|l| l.split("Collected : ").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| "valgrind printed no instruction count".to_string())
}

/// Counts every `(op, path)` pair; `Err` says why nothing was counted (no valgrind).
pub fn measure(ops: &[Op], requests: usize) -> Result<Vec<Count>, String> {
    let found = Command::new("valgrind")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        return Err("valgrind is not installed (Debian package `valgrind`)".into());
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let served = Served::start(&exe)?;
    let mut counts = Vec::new();
    for &op in ops {
        for path in [Path::VerifyPush, Path::Generated, Path::Reqwest] {
            // The short run also opens the connection, so the difference is steady requests.
            let short = collected(&exe, &served.base_url, op, path, 1)?;
            let long = collected(&exe, &served.base_url, op, path, requests + 1)?;
            counts.push(Count {
                op,
                path,
                per_request: long.saturating_sub(short) as f64 / requests as f64,
            });
        }
    }
    Ok(counts)
}
