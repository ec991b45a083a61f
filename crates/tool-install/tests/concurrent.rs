//! Eight threads and two processes ask for one tool in an empty directory at the same moment:
//! exactly one install runs, and every caller gets a complete tool.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use tool_install::{Install, Outcome};

const CHILD_ENV: &str = "TOOL_INSTALL_TEST_CHILD_ROOT";

/// A slow install that records each time it runs, so overlapping builds would show.
fn ensure(root: &Path, who: &str) -> Result<Outcome, String> {
    let install = Install::new(root.join("tools").join("fake-tool"), "1.2.3");
    let outcome = install.ensure(|dir| {
        let mut log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(root.join("builds.log"))
            .map_err(|e| e.to_string())?;
        writeln!(log, "{who}").map_err(|e| e.to_string())?;
        for part in 0..5 {
            fs::write(dir.join(format!("part-{part}")), who).map_err(|e| e.to_string())?;
            std::thread::sleep(Duration::from_millis(60));
        }
        Ok(())
    })?;
    // Whoever returns, the tool is whole: five parts and the marker.
    let dir = install.dir();
    for part in 0..5 {
        if !dir.join(format!("part-{part}")).is_file() {
            return Err(format!("{who}: part-{part} missing after {outcome:?}"));
        }
    }
    if !install.is_complete() {
        return Err(format!("{who}: no marker after {outcome:?}"));
    }
    Ok(outcome)
}

/// Runs only as a child process of `eight_threads_and_two_processes_get_one_install`.
#[test]
fn child_process_entry() {
    let Some(root) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let who = format!("process-{}", std::process::id());
    match ensure(Path::new(&root), &who) {
        Ok(outcome) => println!("OUTCOME {outcome:?}"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn eight_threads_and_two_processes_get_one_install() {
    let root: PathBuf =
        std::env::temp_dir().join(format!("tool-install-concurrent-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(&root).unwrap();

    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..2)
        .map(|_| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "child_process_entry",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(CHILD_ENV, &root)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();

    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let barrier = barrier.clone();
            let root = root.clone();
            std::thread::spawn(move || {
                barrier.wait();
                ensure(&root, &format!("thread-{i}"))
            })
        })
        .collect();

    let mut outcomes: Vec<Outcome> = threads
        .into_iter()
        .map(|t| t.join().unwrap().expect("a thread's install failed"))
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "a child process failed: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        outcomes.push(if stdout.contains("OUTCOME Installed") {
            Outcome::Installed
        } else if stdout.contains("OUTCOME Present") {
            Outcome::Present
        } else {
            panic!("the child did not run the install: {stdout}")
        });
    }

    let builds = fs::read_to_string(root.join("builds.log")).unwrap();
    assert_eq!(builds.lines().count(), 1, "builds: {builds}");
    assert_eq!(outcomes.len(), 10);
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| **o == Outcome::Installed)
            .count(),
        1,
        "{outcomes:?}"
    );
    // Nothing temporary is left beside the tool.
    let names: Vec<String> = fs::read_dir(root.join("tools"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| n == "fake-tool" || n == ".fake-tool.lock"),
        "{names:?}"
    );
    fs::remove_dir_all(&root).unwrap();
}
