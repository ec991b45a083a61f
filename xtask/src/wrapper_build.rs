//! `spec diff`'s last check: does `verify-push` still build against the regenerated crate?

use std::path::Path;
use std::process::Command;

use crate::spec_report::Report;
use crate::tree::{self, Tree};
use crate::workspace;
use crate::wrapper_calls::Build;

/// When the report says the wrapper may break, builds `verify-push` against the regenerated
/// crate: a copy of the workspace (sources only) with `crates/generated` replaced, checked with
/// the workspace's target directory so dependencies are not rebuilt.
pub fn check_wrapper_builds(report: &mut Report) {
    if !report.wrapper_may_break() {
        return;
    }
    let started = std::time::Instant::now();
    report.wrapper.build = match build_against(&report.new_crate) {
        Ok(()) => Build::Ok(started.elapsed().as_secs_f64()),
        Err(e) => Build::Failed(e),
    };
}

fn build_against(generated: &Tree) -> Result<(), String> {
    let root = workspace::root();
    let work =
        tempfile::tempdir().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let copy = work.path().join("ws");
    for entry in [
        "Cargo.toml",
        "Cargo.lock",
        "crates",
        "xtask/Cargo.toml",
        "xtask/src",
    ] {
        let from = root.join(entry);
        if from.is_dir() {
            let files = tree::read(&from)?;
            write_tree(&copy.join(entry), &files)?;
        } else if from.is_file() {
            let to = copy.join(entry);
            std::fs::create_dir_all(to.parent().expect("has a parent"))
                .and_then(|()| std::fs::copy(&from, &to).map(drop))
                .map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
        }
    }
    let generated_dir = copy.join("crates/generated");
    let _ = std::fs::remove_dir_all(&generated_dir);
    write_tree(&generated_dir, generated)?;
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "check",
            "--quiet",
            "-p",
            "verify-push",
            "--all-targets",
            "--message-format",
            "short",
        ])
        .current_dir(&copy)
        // The workspace's own target directory: dependencies are already built there, and the
        // copied crates get artifacts of their own (their path differs).
        .env("CARGO_TARGET_DIR", workspace::target_dir())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let errors: Vec<String> = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| l.contains("error"))
        .take(20)
        .map(|l| l.replace(&copy.display().to_string(), ""))
        .collect();
    Err(errors.join("\n"))
}

fn write_tree(dir: &Path, files: &Tree) -> Result<(), String> {
    for (path, bytes) in files {
        let to = dir.join(path);
        std::fs::create_dir_all(to.parent().expect("has a parent"))
            .and_then(|()| std::fs::write(&to, bytes))
            .map_err(|e| format!("cannot write {}: {e}", to.display()))?;
    }
    Ok(())
}
