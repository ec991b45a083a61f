//! `cargo xtask spec diff OLD [NEW] [--json] [--no-build]`: what a spec update changes for the
//! generated `verify-v2` crate and for `verify-push`, and which version bump it calls for,
//! before anyone regenerates. `spec fetch` prints the same report for the spec it replaces.
//!
//! Ground truth first: both specs go through the pinned generator and the project's template
//! patches (as `codegen` does, in temporary directories), and the two public Rust APIs are
//! compared (`rust_api`, `api_diff`). The spec-level comparison (`spec_explain`) only explains.

use std::path::Path;

use crate::api_diff;
use crate::generator::Generator;
use crate::report_json;
use crate::report_text;
use crate::rust_api::{self, Api};
use crate::spec_lock::{SpecLock, sha256_hex};
use crate::spec_report::{Report, SideInfo};
use crate::spec_source::{self, FetchedSpec};
use crate::tree::{self, Tree};
use crate::wrapper_calls::{Build, Wrapper};
use crate::{
    generate, package_version, spec_explain, template_patch, workspace, wrapper_build,
    wrapper_calls,
};

const USAGE: &str = "usage: cargo xtask spec diff OLD [NEW] [--json] [--no-build]\n  \
    OLD, NEW: a file path, an http(s) URL, or npm:@twilio/cli-core@VERSION; NEW defaults to the vendored spec\n  \
    --no-build: skip `cargo check -p verify-push` against the regenerated crate";

/// The parsed command line.
#[derive(Debug, PartialEq, Eq)]
struct Args<'a> {
    old: &'a str,
    new: Option<&'a str>,
    json: bool,
    build: bool,
}

fn parse_args<'a>(args: &[&'a str]) -> Result<Args<'a>, String> {
    let (mut json, mut build) = (false, true);
    let mut positional = Vec::new();
    for &arg in args {
        match arg {
            "--json" => json = true,
            "--no-build" => build = false,
            flag if flag.starts_with('-') && flag.len() > 1 => {
                return Err(format!("unknown option {flag}\n{USAGE}"));
            }
            source => positional.push(source),
        }
    }
    let (old, new) = match positional[..] {
        [old] => (old, None),
        [old, new] => (old, Some(new)),
        [] => return Err(format!("missing OLD\n{USAGE}")),
        _ => {
            return Err(format!(
                "expected one or two specs, got {}: {}\n{USAGE}",
                positional.len(),
                positional.join(" ")
            ));
        }
    };
    Ok(Args {
        old,
        new,
        json,
        build,
    })
}

/// Runs `cargo xtask spec diff`.
pub fn run(args: &[&str]) -> Result<(), String> {
    let args = parse_args(args)?;
    let old = Side::read(args.old)?;
    let new = match args.new {
        Some(source) => Side::read(source)?,
        None => Side::vendored()?,
    };
    let mut report = report(&old, &new)?;
    if args.build {
        wrapper_build::check_wrapper_builds(&mut report);
    } else if report.wrapper_may_break() {
        report.wrapper.build = Build::Skipped("--no-build".into());
    }
    if args.json {
        print!("{}", report_json::json(&report));
    } else {
        print!("{}", report_text::text(&report));
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

/// One side read and generated.
struct Generated {
    doc: serde_json::Value,
    api: Api,
    files: Tree,
}

/// Compares two specs through the code the generator makes of them. This is the in-process
/// entry point (`spec fetch` and the release flow use it): `Report::level` and
/// `Report::next_version` are the verdict. It does not build `verify-push` (see
/// [`wrapper_build::check_wrapper_builds`]).
pub fn report(old: &Side, new: &Side) -> Result<Report, String> {
    let parse = |which: &str, side: &Side| {
        spec_explain::parse(&side.bytes)
            .map_err(|e| format!("cannot read the {which} spec ({}): {e}", side.label))
    };
    let (old_doc, new_doc) = (parse("old", old)?, parse("new", new)?);
    let generator = Generator::locate()?;
    let work =
        tempfile::tempdir().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let templates = template_patch::prepare(&generator, work.path())?;
    // Both generator runs at once: each is mostly JVM start-up.
    let (old_gen, new_gen) = std::thread::scope(|scope| {
        let generate = |which: &'static str, doc: serde_json::Value, side: &Side| {
            let dir = work.path().join(which);
            let templates = &templates;
            let generator = &generator;
            let (label, bytes) = (side.label.clone(), side.bytes.clone());
            scope.spawn(move || {
                generate(generator, templates, &dir, doc, &bytes)
                    .map_err(|e| format!("the {which} spec ({label}): {e}"))
            })
        };
        let old_run = generate("old", old_doc, old);
        let new_run = generate("new", new_doc, new);
        (
            old_run.join().expect("generator thread"),
            new_run.join().expect("generator thread"),
        )
    });
    let (old_gen, new_gen) = (old_gen?, new_gen?);
    let rust = api_diff::compare(&old_gen.api, &new_gen.api);
    let spec = spec_explain::compare(&old_gen.doc, &new_gen.doc);
    let wrapper = Wrapper::new(
        wrapper_calls::read(&workspace::root().join("crates/verify-push/src"))?,
        &old_gen.api,
        &new_gen.api,
        &rust,
    );
    let info = |side: &Side, g: &Generated| SideInfo {
        label: side.label.clone(),
        sha256: sha256_hex(&side.bytes),
        operations: spec_explain::operation_count(&g.doc),
        functions: g.api.functions.len(),
        types: g.api.types.len(),
    };
    Ok(Report::new(
        info(old, &old_gen),
        info(new, &new_gen),
        rust,
        spec,
        &old_gen.api,
        &new_gen.api,
        wrapper,
        current_version(),
        new_gen.files,
    ))
}

/// Generates the crate for one spec under `dir` and reads its API.
fn generate(
    generator: &Generator,
    templates: &Path,
    dir: &Path,
    doc: serde_json::Value,
    bytes: &[u8],
) -> Result<Generated, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // The bytes as read, without a byte order mark.
    let spec = dir.join("spec.json");
    std::fs::write(&spec, bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|e| format!("cannot write {}: {e}", spec.display()))?;
    let out = dir.join("out");
    generate::generate_into(generator, templates, &spec, &out)?;
    let files = tree::read(&out)?;
    let api = rust_api::read(&files)?;
    Ok(Generated { doc, api, files })
}

/// `packageVersion` from generator-config.yaml: the version of `verify-v2` now.
fn current_version() -> Option<String> {
    let config = std::fs::read_to_string(workspace::generator_config()).ok()?;
    package_version::package_version(&config)
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
                json: false,
                build: true,
            }
        );
        assert_eq!(
            parse_args(&[
                "--json",
                "npm:@twilio/cli-core@5.0.0",
                "b.json",
                "--no-build"
            ])
            .unwrap(),
            Args {
                old: "npm:@twilio/cli-core@5.0.0",
                new: Some("b.json"),
                json: true,
                build: false,
            }
        );
        assert!(parse_args(&[]).unwrap_err().contains("usage"));
        assert!(parse_args(&["a", "b", "c"]).is_err());
        assert!(parse_args(&["a", "--html"]).unwrap_err().contains("--html"));
    }
}

/// Each rule on a small hand-made spec pair, through the real generator. Skipped, with a
/// message, when no Java runtime is installed.
#[cfg(test)]
mod rules;
