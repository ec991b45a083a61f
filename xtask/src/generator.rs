//! Finding, installing and running openapi-generator.
//!
//! The generator is pinned here and nowhere else. It comes from the PyPI package
//! `openapi-generator-cli`, which bundles the generator jar, installed on first use into a
//! directory under the build directory and run with `java -jar`. Nothing is installed globally.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::workspace;

/// The one place the generator version is pinned.
pub const GENERATOR_VERSION: &str = "7.26.0";

/// Points at a generator of the maintainer's own: an `openapi-generator-cli` launcher or a
/// `.jar`. Output from another version will not match the committed crate.
pub const GENERATOR_ENV: &str = "OPENAPI_GENERATOR_CLI";

/// A runnable openapi-generator.
#[derive(Debug, Clone)]
pub struct Generator {
    program: OsString,
    leading_args: Vec<OsString>,
}

impl Generator {
    /// The generator named by [`GENERATOR_ENV`], or the pinned one, installed if needed.
    pub fn locate() -> Result<Self, String> {
        let java = java()?;
        if let Some(custom) = std::env::var_os(GENERATOR_ENV) {
            let path = PathBuf::from(&custom);
            let generator = if path.extension().is_some_and(|ext| ext == "jar") {
                Generator {
                    program: java.into_os_string(),
                    leading_args: vec!["-jar".into(), custom],
                }
            } else {
                Generator {
                    program: custom,
                    leading_args: Vec::new(),
                }
            };
            let version = generator.version()?;
            if version != GENERATOR_VERSION {
                eprintln!(
                    "warning: {GENERATOR_ENV} points at openapi-generator {version}; this workspace \
                     pins {GENERATOR_VERSION}, so the output may differ from the committed crate"
                );
            }
            return Ok(generator);
        }
        let jar = install_pinned()?;
        Ok(Generator {
            program: java.into_os_string(),
            leading_args: vec!["-jar".into(), jar.into_os_string()],
        })
    }

    /// A command running the generator with `args`.
    pub fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let mut command = Command::new(&self.program);
        command.args(&self.leading_args);
        command.args(args.into_iter().map(Into::into));
        command
    }

    /// Runs the generator; on failure the error carries its output.
    pub fn run<I, S>(&self, args: I) -> Result<String, String>
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let output = self
            .command(args.clone())
            .output()
            .map_err(|e| format!("cannot run openapi-generator ({:?}): {e}", self.program))?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() {
            return Err(format!(
                "openapi-generator {} failed ({}):\n{}\n{}",
                args.iter()
                    .map(|a| a.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join(" "),
                output.status,
                stdout.trim(),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(stdout)
    }

    /// The version the generator reports.
    pub fn version(&self) -> Result<String, String> {
        Ok(self.run(["version"])?.trim().to_string())
    }
}

/// The Java runtime the generator needs.
fn java() -> Result<PathBuf, String> {
    let candidate = match std::env::var_os("JAVA_HOME") {
        Some(home) => Path::new(&home).join("bin/java"),
        None => PathBuf::from("java"),
    };
    match Command::new(&candidate).arg("-version").output() {
        Ok(output) if output.status.success() => Ok(candidate),
        _ => Err(format!(
            "openapi-generator needs a Java runtime (11 or newer) and none was found \
             ({} did not run).\nInstall one, for example on Debian or Ubuntu:\n  \
             apt-get update && apt-get install -y openjdk-17-jre-headless\n\
             or set JAVA_HOME to an existing installation.",
            candidate.display()
        )),
    }
}

/// For tests that run the generator: whether a Java runtime is present; says so when not.
#[cfg(test)]
pub fn java_present_for_tests() -> bool {
    let ok = java().is_ok();
    if !ok {
        eprintln!("skipped: no Java runtime, so openapi-generator cannot run");
    }
    ok
}

/// Where the pinned generator is installed: `pip install --target`, which unpacks the
/// `openapi-generator-cli` wheel (a Python wrapper around the jar it bundles) into a plain
/// directory. Not a virtualenv: a virtualenv records its own path, so it could not be built in
/// a temporary directory and renamed into place (tool_install's atomic install).
fn install_dir() -> PathBuf {
    workspace::target_dir()
        .join("xtask")
        .join(format!("openapi-generator-cli-{GENERATOR_VERSION}"))
}

/// The jar the wheel bundles, run with `java -jar` as its own Python launcher does.
fn bundled_jar(dir: &Path) -> PathBuf {
    dir.join("openapi_generator_cli")
        .join("openapi-generator.jar")
}

/// Installs `openapi-generator-cli==GENERATOR_VERSION` from PyPI on first use and returns its
/// jar. Safe to call from parallel tests and processes: one install runs, under a file lock,
/// into a temporary directory renamed into place (crates/tool-install).
fn install_pinned() -> Result<PathBuf, String> {
    let dir = install_dir();
    let install = tool_install::Install::new(&dir, GENERATOR_VERSION);
    install.ensure(|temp| {
        eprintln!(
            "Installing openapi-generator-cli {GENERATOR_VERSION} (PyPI) into {} …",
            workspace::display(&dir)
        );
        let python = std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into());
        run_step(
            Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--root-user-action=ignore",
                    "--no-deps",
                    "--no-compile",
                    "--target",
                ])
                .arg(temp)
                .arg(format!("openapi-generator-cli=={GENERATOR_VERSION}")),
            "install openapi-generator-cli from PyPI (needs Python 3 with pip; set PYTHON to \
             choose the interpreter)",
        )?;
        if !bundled_jar(temp).is_file() {
            return Err(format!(
                "openapi-generator-cli {GENERATOR_VERSION} installed but has no {}",
                bundled_jar(Path::new("")).display()
            ));
        }
        Ok(())
    })?;
    Ok(bundled_jar(&dir))
}

fn run_step(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot {what}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cannot {what}:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(())
}
