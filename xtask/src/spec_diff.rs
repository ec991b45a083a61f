//! `cargo xtask spec diff OLD [NEW] [--json]`: what a spec update changes for the generated
//! `verify-v2` crate and for `verify-push`, and which version bump it calls for, before anyone
//! regenerates. `spec fetch` prints the same report for the spec it is about to replace.

use crate::spec_changes;
use crate::spec_lock::{SpecLock, sha256_hex};
use crate::spec_model;
use crate::spec_report::{self, Report, SideInfo};
use crate::spec_source::{self, FetchedSpec};
use crate::workspace;

const USAGE: &str = "usage: cargo xtask spec diff OLD [NEW] [--json]\n  \
    OLD, NEW: a file path, an http(s) URL, or npm:@twilio/cli-core@VERSION; NEW defaults to the vendored spec";

/// The parsed command line.
#[derive(Debug, PartialEq, Eq)]
struct Args<'a> {
    old: &'a str,
    new: Option<&'a str>,
    json: bool,
}

fn parse_args<'a>(args: &[&'a str]) -> Result<Args<'a>, String> {
    let mut json = false;
    let mut positional = Vec::new();
    for &arg in args {
        match arg {
            "--json" => json = true,
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(format!("unknown option {flag}\n{USAGE}"));
            }
            source => positional.push(source),
        }
    }
    match positional[..] {
        [old] => Ok(Args {
            old,
            new: None,
            json,
        }),
        [old, new] => Ok(Args {
            old,
            new: Some(new),
            json,
        }),
        [] => Err(format!("missing OLD\n{USAGE}")),
        _ => Err(format!(
            "expected one or two specs, got {}: {}\n{USAGE}",
            positional.len(),
            positional.join(" ")
        )),
    }
}

/// Runs `cargo xtask spec diff`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let args = parse_args(args)?;
    let old = Side::read(args.old)?;
    let new = match args.new {
        Some(source) => Side::read(source)?,
        None => Side::vendored()?,
    };
    let report = report(&old, &new)?;
    if args.json {
        print!("{}", spec_report::json(&report));
    } else {
        print!("{}", spec_report::text(&report));
    }
    Ok(())
}

/// A spec to compare, in memory.
#[derive(Debug)]
pub struct Side {
    pub label: String,
    pub bytes: Vec<u8>,
}

impl Side {
    /// A spec named the way `spec fetch --from` names it, or `npm:PACKAGE@VERSION`.
    fn read(source: &str) -> Result<Side, String> {
        Ok(Side::fetched(spec_source::read(source)?))
    }

    /// A spec already read by `spec_source`; its label is where it really came from (npm
    /// resolves a missing version to the newest).
    pub fn fetched(fetched: FetchedSpec) -> Side {
        Side {
            label: fetched.lock.source,
            bytes: fetched.bytes,
        }
    }

    /// The vendored spec, labelled with the source its lock records.
    pub fn vendored() -> Result<Side, String> {
        let path = workspace::spec_path();
        let bytes = std::fs::read(&path)
            .map_err(|e| format!("cannot read {}: {e}", workspace::display(&path)))?;
        let label = match SpecLock::read(&workspace::lock_path()) {
            Ok(lock) => format!(
                "{} (vendored, from {})",
                workspace::display(&path),
                lock.source
            ),
            Err(_) => format!("{} (vendored)", workspace::display(&path)),
        };
        Ok(Side { label, bytes })
    }
}

/// Compares two specs.
pub fn report(old: &Side, new: &Side) -> Result<Report, String> {
    let read = |which: &str, side: &Side| {
        spec_model::parse(&side.bytes)
            .map_err(|e| format!("cannot read the {which} spec ({}): {e}", side.label))
    };
    let (old_spec, new_spec) = (read("old", old)?, read("new", new)?);
    let info = |side: &Side, spec: &spec_model::Spec| SideInfo {
        label: side.label.clone(),
        sha256: sha256_hex(&side.bytes),
        operations: spec.operations.len(),
        models: spec.models.len(),
    };
    Ok(Report {
        old: info(old, &old_spec),
        new: info(new, &new_spec),
        changes: spec_changes::compare(&old_spec, &new_spec),
        current_version: current_version(),
    })
}

/// `packageVersion` from generator-config.yaml: the version of `verify-v2` now.
fn current_version() -> Option<String> {
    let config = std::fs::read_to_string(workspace::generator_config()).ok()?;
    package_version(&config)
}

fn package_version(config: &str) -> Option<String> {
    config.lines().find_map(|line| {
        let value = line.trim().strip_prefix("packageVersion:")?;
        let value = value.split('#').next()?.trim().trim_matches(['"', '\'']);
        (!value.is_empty()).then(|| value.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        assert_eq!(
            parse_args(&["a.json"]).unwrap(),
            Args {
                old: "a.json",
                new: None,
                json: false
            }
        );
        assert_eq!(
            parse_args(&["--json", "npm:@twilio/cli-core@5.0.0", "b.json"]).unwrap(),
            Args {
                old: "npm:@twilio/cli-core@5.0.0",
                new: Some("b.json"),
                json: true
            }
        );
        assert!(parse_args(&[]).unwrap_err().contains("usage"));
        assert!(parse_args(&["a", "b", "c"]).is_err());
        assert!(parse_args(&["a", "--html"]).unwrap_err().contains("--html"));
    }

    #[test]
    fn package_version_is_read_from_the_generator_config() {
        let config = "additionalProperties:\n  packageName: verify-v2\n  packageVersion: \"0.3.1\" # bump me\n";
        assert_eq!(package_version(config).as_deref(), Some("0.3.1"));
        assert_eq!(package_version("generatorName: rust\n"), None);
    }

    #[test]
    fn the_vendored_spec_reads_and_equals_itself() {
        let side = Side::vendored().unwrap();
        let again = Side {
            label: "copy".into(),
            bytes: side.bytes.clone(),
        };
        let report = report(&side, &again).unwrap();
        assert!(report.changes.is_empty(), "{:?}", report.changes.first());
        assert!(report.new.operations > 0 && report.new.models > 0);
        assert!(spec_report::text(&report).contains("Verdict: no changes"));
    }

    #[test]
    fn compares_two_files() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, ops: &str| {
            let path = dir.path().join(name);
            let spec = format!(r#"{{"openapi":"3.0.1","paths":{{{ops}}}}}"#);
            std::fs::write(&path, spec).unwrap();
            path.display().to_string()
        };
        let old = write("old.json", "");
        let new = write(
            "new.json",
            r#""/v2/Forms":{"get":{"operationId":"FetchForm"}}"#,
        );
        let report = report(&Side::read(&old).unwrap(), &Side::read(&new).unwrap()).unwrap();
        assert_eq!(report.changes.len(), 1);
        assert!(report.old.label.ends_with("old.json"));
        let err = super::report(
            &Side {
                label: "broken".into(),
                bytes: b"{".to_vec(),
            },
            &Side::read(&new).unwrap(),
        )
        .unwrap_err();
        assert!(err.contains("old spec (broken)"), "{err}");
    }
}
