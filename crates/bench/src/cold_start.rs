//! Cold start: one token minted by a whole new process (the verify-push CLI, twilio-python,
//! twilio-node) against the stand-in, runs interleaved, median wall time and peak RSS.
//!
//! The two SDKs are installed by this benchmark into `<target>/bench-deps` (never globally);
//! when the registries cannot be reached they are skipped with a message.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::clients::{ACCOUNT_SID, AUTH_TOKEN, IDENTITY, SERVICE};
use crate::process::{self, Usage};

/// One contender: how to run it, and its version for the table.
#[derive(Debug)]
pub struct Contender {
    /// Name in the table.
    pub name: String,
    command: Vec<String>,
    env: Vec<(String, String)>,
}

/// A contender's medians over the runs.
#[derive(Debug, Clone)]
pub struct ColdStart {
    /// Name in the table (with the SDK's version).
    pub name: String,
    /// Median over the runs.
    pub median: Usage,
}

/// The target directory this benchmark was built into (`<target>/release/deps/<bench>`).
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    exe.ancestors()
        .nth(3)
        .expect("the benchmark runs from <target>/<profile>/deps")
        .to_path_buf()
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The profile directory this benchmark was built into (`release` for `cargo bench`, `debug`
/// for CI's `cargo bench --profile dev`).
fn profile_dir() -> String {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let dir = exe.ancestors().nth(2).and_then(|d| d.file_name());
    dir.map_or("release".into(), |d| d.to_string_lossy().into_owned())
}

/// Builds the CLI with the benchmark's own profile into the same target directory and
/// returns it.
pub fn verify_push_cli() -> Result<Contender, String> {
    let target = target_dir();
    let profile = match profile_dir().as_str() {
        "debug" => "dev".to_string(),
        other => other.to_string(),
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        // `--workspace` resolves features as `cargo test --workspace` does, so CI reuses its build.
        .args([
            "build",
            "--quiet",
            "--profile",
            &profile,
            "--workspace",
            "--bin",
            "verify-push",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(manifest_dir())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "cargo build --profile {profile} -p verify-push-cli failed"
        ));
    }
    let exe = target.join(profile_dir()).join("verify-push");
    Ok(Contender {
        name: "verify-push CLI".into(),
        command: vec![exe.display().to_string()],
        env: Vec::new(),
    })
}

fn quiet(command: &mut Command) -> Result<(), String> {
    let out = command
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    if out.status.success() {
        Ok(())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        Err(last.trim().to_string())
    }
}

/// The peer SDK versions the cold-start lines compare against (the ones the sandbox is
/// tested with); pinned so a table from one day can be compared with the next.
pub const TWILIO_PYTHON: &str = "9.13.0";
/// See [`TWILIO_PYTHON`].
pub const TWILIO_NODE: &str = "6.2.0";

/// twilio-python, installed with `pip install --target <target>/bench-deps/python` if absent,
/// under a file lock and renamed into place (crates/tool-install).
pub fn twilio_python() -> Result<Contender, String> {
    let dir = target_dir().join("bench-deps").join("python");
    tool_install::Install::new(&dir, format!("twilio=={TWILIO_PYTHON}")).ensure(|temp| {
        eprintln!(
            "installing twilio-python {TWILIO_PYTHON} into {}",
            dir.display()
        );
        quiet(Command::new("python3").args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--root-user-action=ignore",
            "--timeout",
            "20",
            "--target",
            &temp.display().to_string(),
            &format!("twilio=={TWILIO_PYTHON}"),
        ]))
    })?;
    // The version is in the name of pip's metadata directory, twilio-X.Y.Z.dist-info.
    let version = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .find_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Some(
                name.strip_prefix("twilio-")?
                    .strip_suffix(".dist-info")?
                    .to_string(),
            )
        })
        .unwrap_or_else(|| "?".into());
    Ok(Contender {
        name: format!("twilio-python {version}"),
        command: vec![
            "python3".into(),
            manifest_dir()
                .join("sdk/twilio_token.py")
                .display()
                .to_string(),
        ],
        env: vec![("PYTHONPATH".into(), dir.display().to_string())],
    })
}

/// twilio-node, installed with `npm install --prefix <target>/bench-deps/node` if absent, under
/// a file lock and renamed into place (crates/tool-install).
pub fn twilio_node() -> Result<Contender, String> {
    let dir = target_dir().join("bench-deps").join("node");
    let package = dir.join("node_modules").join("twilio").join("package.json");
    tool_install::Install::new(&dir, format!("twilio@{TWILIO_NODE}")).ensure(|temp| {
        eprintln!(
            "installing twilio-node {TWILIO_NODE} into {}",
            dir.display()
        );
        quiet(Command::new("npm").args([
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--fetch-retries=1",
            "--fetch-timeout=20000",
            "--prefix",
            &temp.display().to_string(),
            &format!("twilio@{TWILIO_NODE}"),
        ]))
    })?;
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&package).unwrap_or_default())
            .unwrap_or_default();
    let version = manifest["version"].as_str().unwrap_or("?");
    Ok(Contender {
        name: format!("twilio-node {version}"),
        command: vec![
            "node".into(),
            manifest_dir()
                .join("sdk/twilio_token.js")
                .display()
                .to_string(),
        ],
        env: vec![(
            "NODE_PATH".into(),
            dir.join("node_modules").display().to_string(),
        )],
    })
}

fn command(contender: &Contender, base_url: &str) -> Command {
    let mut command = Command::new(&contender.command[0]);
    command.args(&contender.command[1..]);
    if contender.name.starts_with("verify-push") {
        command.args([
            "--base-url",
            base_url,
            "token",
            "create",
            "--identity",
            IDENTITY,
            "--service",
            SERVICE,
        ]);
    } else {
        command.args([base_url, SERVICE, IDENTITY]);
    }
    // Only the credentials: no region, edge or other TWILIO_* variable from the caller's
    // environment may change where the request goes.
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("TWILIO_") {
            command.env_remove(name);
        }
    }
    command
        .env("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
        .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
        .envs(contender.env.iter().map(|(k, v)| (k, v)));
    command
}

fn median_by<T: Copy, K: Ord>(
    values: &[Usage],
    key: impl Fn(&Usage) -> K,
    pick: impl Fn(&Usage) -> T,
) -> T {
    let mut sorted: Vec<&Usage> = values.iter().collect();
    sorted.sort_by_key(|u| key(u));
    pick(sorted[sorted.len() / 2])
}

/// Runs each contender `runs` times, interleaved, after one unmeasured run each (so every one
/// starts with its files in the page cache).
pub fn measure(
    contenders: &[Contender],
    base_url: &str,
    runs: usize,
) -> Result<Vec<ColdStart>, String> {
    let mut usages: Vec<Vec<Usage>> = vec![Vec::new(); contenders.len()];
    for round in 0..=runs {
        for (i, contender) in contenders.iter().enumerate() {
            let usage = process::run(&mut command(contender, base_url))?;
            if round > 0 {
                usages[i].push(usage);
            }
        }
    }
    Ok(contenders
        .iter()
        .zip(usages)
        .map(|(c, u)| ColdStart {
            name: c.name.clone(),
            median: Usage {
                wall: median_by(&u, |x| x.wall, |x| x.wall),
                cpu: median_by(&u, |x| x.cpu, |x| x.cpu),
                max_rss_kib: median_by(&u, |x| x.max_rss_kib, |x| x.max_rss_kib),
            },
        })
        .collect())
}
