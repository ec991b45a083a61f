//! `verify-v2`'s version follows Twilio's spec. When `cargo xtask spec fetch` replaces the
//! vendored spec, the spec diff's verdict picks the bump (docs/regenerating.md, "Versions"), the
//! new version goes into `packageVersion` in generator-config.yaml (the one place it is set), and
//! the diff's changes become entries of the crate's changelog, for the maintainer to review
//! rather than write. `cargo xtask codegen` then carries both into the crate (`crate_release`).
//!
//! The bump counts from the last *released* version: the changelog's first section not marked
//! `(unreleased)`. Two fetches before a release therefore bump once, to the larger of the two
//! verdicts, and list both diffs. Before the first release nothing is bumped: everything goes
//! into the first version.
//!
//! The diff is read through its documented JSON (`report_json::json`): `verdict.level`,
//! `verdict.bump`, `verdict.bump_while_0x` and `changes[]`.

use serde_json::Value;

use crate::package_version::{CHANGELOG, changelog_path, package_version, set_package_version};
use crate::report_json;
use crate::spec_diff::{self, Side};
use crate::spec_report::Report;
use crate::workspace;

/// How the pending section's heading is marked until the release dates it.
const UNRELEASED: &str = "(unreleased)";

/// Runs `spec fetch`; when it replaced the vendored spec with a different one, bumps the version
/// and writes the changelog entries.
pub fn around_fetch(fetch: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    let before = Side::vendored().ok();
    let before_source = lock_source();
    fetch()?;
    let Some(before) = before else {
        return Ok(());
    };
    let after = Side::vendored()?;
    if before.bytes == after.bytes {
        return Ok(());
    }
    let report = match spec_diff::report(&before, &after) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("warning: verify-v2's version is unchanged: cannot compare the specs: {e}");
            return Ok(());
        }
    };
    let sources = (
        before_source.unwrap_or(before.label),
        lock_source().unwrap_or(after.label),
    );
    eprint!("{}", apply(&report, &sources)?);
    Ok(())
}

/// Bumps `packageVersion` and writes the changelog entries for `report`; returns what it did.
fn apply(report: &Report, (old, new): &(String, String)) -> Result<String, String> {
    let diff: Value = serde_json::from_str(&report_json::json(report))
        .map_err(|e| format!("the spec diff's JSON does not parse: {e}"))?;
    let config_path = workspace::generator_config();
    let config = read(&config_path)?;
    let current = package_version(&config)
        .ok_or("generator-config.yaml has no packageVersion: cannot bump verify-v2")?;
    let changelog_path = changelog_path();
    let changelog = std::fs::read_to_string(&changelog_path).unwrap_or_else(|_| new_changelog());

    let Some(plan) = plan(&diff, &changelog, &current)? else {
        return Ok("The spec diff lists no change: verify-v2's version is unchanged.\n".into());
    };
    let block = entries(&diff, old, new);
    write(
        &changelog_path,
        &add_entries(&changelog, &plan.version, &block),
    )?;
    if plan.version != current {
        write(&config_path, &set_package_version(&config, &plan.version)?)?;
    }
    let why = match &plan.released {
        Some(released) => format!(
            "{} change since {released}, the last release",
            plan.level.to_uppercase()
        ),
        None => "nothing released yet: the first release takes every change".into(),
    };
    Ok(format!(
        "\nverify-v2 version: {current} → {} ({why}; packageVersion in generator-config.yaml).\n\
         Changelog entries written to {CHANGELOG}: review them.\n\
         Next: `cargo xtask codegen` (writes the version into the crate and Cargo.toml).\n",
        plan.version
    ))
}

/// The version to release next and why.
#[derive(Debug, PartialEq, Eq)]
struct Plan {
    /// `breaking`, `additive` or `cosmetic`.
    level: String,
    /// The last released version, if any.
    released: Option<String>,
    version: String,
}

/// `None` when the diff has no change at all.
fn plan(diff: &Value, changelog: &str, current: &str) -> Result<Option<Plan>, String> {
    let verdict = &diff["verdict"];
    let level = verdict["level"].as_str().unwrap_or("none");
    if level == "none" {
        return Ok(None);
    }
    let (pending, released) = sections(changelog);
    let Some(released) = released else {
        return Ok(Some(Plan {
            level: level.into(),
            released: None,
            version: pending.unwrap_or_else(|| current.to_string()),
        }));
    };
    let base = parse_version(&released).ok_or_else(|| {
        format!("{CHANGELOG}: released version {released} is not MAJOR.MINOR.PATCH")
    })?;
    // Cargo's SemVer: while 0.x the minor is the breaking part (docs/regenerating.md).
    let bump_key = if base.0 == 0 { "bump_while_0x" } else { "bump" };
    let bump = verdict[bump_key]
        .as_str()
        .ok_or_else(|| format!("the spec diff's verdict has no {bump_key}"))?;
    let next = bumped(base, bump)?;
    let version = match pending.as_deref().and_then(parse_version) {
        Some(pending) if pending > next => pending,
        _ => next,
    };
    Ok(Some(Plan {
        level: level.into(),
        released: Some(released),
        version: format!("{}.{}.{}", version.0, version.1, version.2),
    }))
}

type Version = (u64, u64, u64);

fn parse_version(text: &str) -> Option<Version> {
    let mut parts = text.trim().split('.').map(|p| p.parse::<u64>().ok());
    let version = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(version)
}

fn bumped((major, minor, patch): Version, bump: &str) -> Result<Version, String> {
    match bump {
        "major" => Ok((major + 1, 0, 0)),
        "minor" => Ok((major, minor + 1, 0)),
        "patch" => Ok((major, minor, patch + 1)),
        other => Err(format!("the spec diff asks for an unknown bump {other:?}")),
    }
}

/// The pending (unreleased) version at the top of the changelog, and the last released one.
fn sections(changelog: &str) -> (Option<String>, Option<String>) {
    let mut pending = None;
    for heading in changelog.lines().filter_map(|l| l.strip_prefix("## ")) {
        let version = heading.split_whitespace().next().unwrap_or("").to_string();
        if heading.contains(UNRELEASED) {
            pending.get_or_insert(version);
        } else {
            return (pending, Some(version));
        }
    }
    (pending, None)
}

fn new_changelog() -> String {
    "# Changelog of verify-v2\n\n\
     `cargo xtask spec fetch` writes the entries from the spec diff; review (and reword) them before\n\
     the release, which replaces `(unreleased)` with the date (docs/releasing.md). `cargo xtask\n\
     codegen` copies this file into crates/generated/CHANGELOG.md.\n"
        .into()
}

/// Puts `block` at the top of the pending section for `version`, creating or renaming it.
fn add_entries(changelog: &str, version: &str, block: &str) -> String {
    let heading = format!("## {version} {UNRELEASED}");
    let lines: Vec<&str> = changelog.lines().collect();
    let first = lines.iter().position(|l| l.starts_with("## "));
    let mut out: Vec<String> = Vec::new();
    match first {
        Some(i) if lines[i].contains(UNRELEASED) => {
            out.extend(lines[..i].iter().map(|l| l.to_string()));
            out.push(heading);
            out.push(String::new());
            out.push(block.trim_end().to_string());
            out.push(String::new());
            let rest = &lines[i + 1..];
            let skip = rest.iter().take_while(|l| l.is_empty()).count();
            out.extend(rest[skip..].iter().map(|l| l.to_string()));
        }
        _ => {
            let at = first.unwrap_or(lines.len());
            out.extend(lines[..at].iter().map(|l| l.to_string()));
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            out.push(heading);
            out.push(String::new());
            out.push(block.trim_end().to_string());
            out.push(String::new());
            out.extend(lines[at..].iter().map(|l| l.to_string()));
        }
    }
    let mut text = out.join("\n");
    while text.ends_with("\n\n") || text.ends_with('\n') {
        text.pop();
    }
    text.push('\n');
    text
}

/// The changelog entries for one spec update, most severe first.
fn entries(diff: &Value, old: &str, new: &str) -> String {
    let verdict = &diff["verdict"];
    let count = |key: &str| verdict["counts"][key].as_u64().unwrap_or(0);
    let mut out = format!(
        "### Spec update: {old} → {new}\n\nVerdict: {} ({} breaking, {} additive, {} cosmetic).\n",
        verdict["level"].as_str().unwrap_or("none"),
        count("breaking"),
        count("additive"),
        count("cosmetic"),
    );
    let empty = Vec::new();
    // The Rust API changes decide (docs/regenerating.md, "--json"); spec changes only explain.
    let changes = diff["rust_changes"].as_array().unwrap_or(&empty);
    for (severity, title) in [
        ("breaking", "Breaking (callers may need to change)"),
        ("additive", "Added"),
        ("cosmetic", "Documentation and unencoded constraints"),
    ] {
        let mut lines: Vec<String> = Vec::new();
        let mut described: Vec<(String, Vec<String>)> = Vec::new();
        for change in changes.iter().filter(|c| c["severity"] == severity) {
            let subject = subject(change);
            if change["kind"]
                .as_str()
                .is_some_and(|k| k.contains("doc") || k == "description_changed")
            {
                let item = change["item"].as_str().unwrap_or("").to_string();
                match described.iter_mut().find(|(s, _)| *s == subject) {
                    Some((_, items)) => items.push(item),
                    None => described.push((subject, vec![item])),
                }
                continue;
            }
            let marker = if change["touches_verify_push"] == true {
                " (wrapped by verify-push)"
            } else {
                ""
            };
            lines.push(format!(
                "- {subject}{marker}: {} — {}",
                what(change),
                change["why"].as_str().unwrap_or("")
            ));
        }
        for (subject, mut items) in described {
            items.retain(|i| !i.is_empty());
            items.dedup();
            lines.push(if items.is_empty() {
                format!("- {subject}: description changed")
            } else {
                format!("- {subject}: descriptions changed: {}", items.join(", "))
            });
        }
        if !lines.is_empty() {
            out.push_str(&format!("\n{title}:\n\n{}\n", lines.join("\n")));
        }
    }
    out
}

/// `` fn `verify_v2_access_token_api::create_access_token` (POST /v2/Services/{}/AccessTokens) ``,
/// `` type `models::Name` `` or `` module `name` ``: the Rust item, and the request a function sends.
fn subject(change: &Value) -> String {
    let subject = &change["subject"];
    let name = subject["name"].as_str().unwrap_or("?");
    let kind = match subject["kind"].as_str().unwrap_or("item") {
        "function" => "fn",
        other => other,
    };
    match subject["endpoint"].as_str().filter(|e| !e.is_empty()) {
        Some(endpoint) => format!("{kind} `{name}` ({endpoint})"),
        None => format!("{kind} `{name}`"),
    }
}

/// `form Ttl added (optional integer)`, `field sid type_changed: string → integer`, …
fn what(change: &Value) -> String {
    let item = change["item"].as_str().unwrap_or("");
    let kind = change["kind"].as_str().unwrap_or("changed");
    let old = change["old"].as_str().unwrap_or("-");
    let new = change["new"].as_str().unwrap_or("-");
    let head = |word: &str| {
        if item.is_empty() {
            word.to_string()
        } else {
            format!("{item} {word}")
        }
    };
    match kind {
        k if k.ends_with("added") && !k.starts_with("enum") => match change["new"].as_str() {
            Some(new) => format!("{} ({new})", head("added")),
            None => head("added"),
        },
        k if k.ends_with("removed") && !k.starts_with("enum") => match change["old"].as_str() {
            Some(old) => format!("{} (was {old})", head("removed")),
            None => head("removed"),
        },
        "enum_values_added" => format!("{}: {new}", head("enum values added")),
        "enum_values_removed" => format!("{}: {old}", head("enum values removed")),
        other => format!("{}: {old} → {new}", head(&other.replace('_', " "))),
    }
}

/// Where the vendored spec came from, as its lock records it.
fn lock_source() -> Option<String> {
    let lock: Value = serde_json::from_slice(&std::fs::read(workspace::lock_path()).ok()?).ok()?;
    lock["source"].as_str().map(str::to_string)
}

fn read(path: &std::path::Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", workspace::display(path)))
}

fn write(path: &std::path::Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text)
        .map_err(|e| format!("cannot write {}: {e}", workspace::display(path)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diff(level: &str, bump: &str, bump_while_0x: &str) -> Value {
        json!({
            "verdict": {
                "level": level,
                "counts": {"breaking": 1, "additive": 1, "cosmetic": 2},
                "bump": bump,
                "bump_while_0x": bump_while_0x,
            },
            "rust_changes": [
                {"severity": "breaking", "kind": "argument_added", "item": "templates",
                 "old": null, "new": "Option<&str>", "why": "a new positional argument",
                 "touches_verify_push": false,
                 "subject": {"kind": "function",
                             "name": "verify_v2_verification_api::create_verification",
                             "endpoint": "POST /v2/Services/{}/Verifications"}},
                {"severity": "additive", "kind": "added", "item": "",
                 "old": null, "new": null, "why": "a new item", "touches_verify_push": false,
                 "subject": {"kind": "function", "name": "verify_v2_form_api::fetch_form",
                             "endpoint": "GET /v2/Forms/{}"}},
                {"severity": "cosmetic", "kind": "doc", "item": "field sid",
                 "old": "a", "new": "b", "why": "documentation only", "touches_verify_push": true,
                 "subject": {"kind": "type", "name": "models::VerifyV2ServiceAccessToken",
                             "endpoint": null}},
                {"severity": "cosmetic", "kind": "doc", "item": "field ttl",
                 "old": "a", "new": "b", "why": "documentation only", "touches_verify_push": true,
                 "subject": {"kind": "type", "name": "models::VerifyV2ServiceAccessToken",
                             "endpoint": null}}
            ]
        })
    }

    const RELEASED: &str =
        "# Changelog of verify-v2\n\nIntro.\n\n## 0.1.0 (2026-11-22)\n\n- First.\n";

    #[test]
    fn a_breaking_change_after_a_release_bumps_the_minor_while_0x_and_the_major_after() {
        let breaking = diff("breaking", "major", "minor");
        let first = plan(&breaking, RELEASED, "0.1.0").unwrap().unwrap();
        assert_eq!(first.version, "0.2.0");
        assert_eq!(first.released.as_deref(), Some("0.1.0"));
        let one = RELEASED.replace("0.1.0", "1.4.2");
        assert_eq!(plan_version(&breaking, &one), "2.0.0");
        assert_eq!(
            plan_version(&diff("additive", "minor", "patch"), &one),
            "1.5.0"
        );
        assert_eq!(
            plan_version(&diff("additive", "minor", "patch"), RELEASED),
            "0.1.1"
        );
        assert_eq!(
            plan_version(&diff("cosmetic", "patch", "patch"), RELEASED),
            "0.1.1"
        );
        assert!(
            plan(&diff("none", "none", "none"), RELEASED, "0.1.0")
                .unwrap()
                .is_none()
        );
    }

    fn plan_version(diff: &Value, changelog: &str) -> String {
        plan(diff, changelog, "ignored").unwrap().unwrap().version
    }

    #[test]
    fn two_updates_before_a_release_bump_once_to_the_larger_verdict() {
        let additive = diff("additive", "minor", "patch");
        let once = add_entries(RELEASED, "0.1.1", "### first\n");
        assert_eq!(plan_version(&additive, &once), "0.1.1");
        assert_eq!(
            plan_version(&diff("breaking", "major", "minor"), &once),
            "0.2.0"
        );
        let twice = add_entries(&once, "0.2.0", "### second\n");
        assert_eq!(plan_version(&additive, &twice), "0.2.0");
        assert_eq!(twice.matches("## 0.").count(), 2, "{twice}");
        let second = twice.find("### second").unwrap();
        assert!(twice.find("## 0.2.0 (unreleased)").unwrap() < second);
        assert!(second < twice.find("### first").unwrap(), "{twice}");
        assert!(twice.find("### first").unwrap() < twice.find("## 0.1.0 (2026").unwrap());
    }

    #[test]
    fn before_the_first_release_the_version_stays() {
        let unreleased = "# Changelog\n\n## 0.1.0 (unreleased)\n\n- First.\n";
        let first = plan(&diff("breaking", "major", "minor"), unreleased, "0.1.0")
            .unwrap()
            .unwrap();
        assert_eq!((first.version.as_str(), first.released), ("0.1.0", None));
        let empty = plan_version(&diff("breaking", "major", "minor"), "# Changelog\n");
        assert_eq!(
            empty, "ignored",
            "no section at all: the configured version"
        );
    }

    #[test]
    fn entries_list_changes_by_severity_and_fold_descriptions() {
        let text = entries(&diff("breaking", "major", "minor"), "npm:a@1", "npm:a@2");
        assert!(
            text.starts_with("### Spec update: npm:a@1 → npm:a@2\n"),
            "{text}"
        );
        assert!(text.contains("Verdict: breaking (1 breaking, 1 additive, 2 cosmetic)."));
        assert!(text.contains(
            "- fn `verify_v2_verification_api::create_verification` (POST /v2/Services/{}/Verifications): templates added (Option<&str>) — a new positional argument"
        ), "{text}");
        assert!(
            text.contains(
                "- fn `verify_v2_form_api::fetch_form` (GET /v2/Forms/{}): added — a new item"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "- type `models::VerifyV2ServiceAccessToken`: descriptions changed: field sid, field ttl"
            ),
            "{text}"
        );
        let (breaking, added) = (text.find("Breaking").unwrap(), text.find("Added:").unwrap());
        assert!(breaking < added && added < text.find("Documentation").unwrap());
    }

    #[test]
    fn versions_that_are_not_major_minor_patch_are_refused() {
        assert_eq!(parse_version("1.2"), None);
        assert_eq!(parse_version("1.2.3.4"), None);
        assert!(bumped_is_an_error_for_unknown());
    }

    fn bumped_is_an_error_for_unknown() -> bool {
        bumped((0, 1, 0), "huge").is_err()
    }
}
