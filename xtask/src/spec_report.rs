//! The spec diff report: the Rust API changes that decide the verdict, what of them touches
//! `verify-push`, and the spec changes that explain them. Rendered for people (`text`) and
//! programs (`json`, its shape documented in docs/regenerating.md).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::api_diff::{self, Bump, Counts, Severity, Subject};
use crate::rust_api::Api;
use crate::spec_explain::{self, name_key, path_key};
use crate::tree::Tree;
use crate::wrapper_calls::{Build, Wrapper};

/// One side of the comparison.
#[derive(Debug, Clone)]
pub struct SideInfo {
    /// Where the spec came from, as the maintainer named it (or the vendored file).
    pub label: String,
    pub sha256: String,
    /// Operations in the spec.
    pub operations: usize,
    /// Public functions and types of the crate generated from it.
    pub functions: usize,
    pub types: usize,
}

/// Everything the report shows. `level`, `bump`, `current_version` and `next_version` are the
/// verdict; they come from the Rust API comparison only.
#[derive(Debug, Clone)]
pub struct Report {
    pub old: SideInfo,
    pub new: SideInfo,
    /// Public Rust API changes, sorted by subject, severity and item.
    pub rust: Vec<api_diff::Change>,
    /// Spec changes, sorted by subject and item.
    pub spec: Vec<spec_explain::Change>,
    /// For each Rust change, the indices into `spec` of the spec changes behind it.
    pub causes: Vec<Vec<usize>>,
    /// `GET /v2/…` of each function (old or new side), for display.
    pub endpoints: std::collections::BTreeMap<String, String>,
    pub wrapper: Wrapper,
    /// The most severe Rust change; `None` when the generated API is identical.
    pub level: Option<Severity>,
    /// The bump for a crate at 1.0 or later; `bump.while_zero()` applies while 0.x.
    pub bump: Bump,
    /// The `verify-v2` version now (`packageVersion` in generator-config.yaml), when known.
    pub current_version: Option<String>,
    /// The version to release after the regeneration (`None`: nothing changed or unknown).
    pub next_version: Option<String>,
    /// The crate generated from the new spec (unformatted), for the build check.
    pub new_crate: Tree,
}

impl Report {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        old: SideInfo,
        new: SideInfo,
        rust: Vec<api_diff::Change>,
        spec: Vec<spec_explain::Change>,
        old_api: &Api,
        new_api: &Api,
        wrapper: Wrapper,
        current_version: Option<String>,
        new_crate: Tree,
    ) -> Report {
        let mut endpoints = std::collections::BTreeMap::new();
        for api in [new_api, old_api] {
            for (key, f) in &api.functions {
                endpoints
                    .entry(key.clone())
                    .or_insert_with(|| f.endpoint.clone());
            }
        }
        let causes = rust
            .iter()
            .map(|c| causes_of(c, &spec, &endpoints, old_api, new_api))
            .collect();
        let level = Counts::of(&rust).level();
        let next_version = current_version
            .as_deref()
            .and_then(|v| api_diff::next_version(v, level));
        Report {
            old,
            new,
            rust,
            spec,
            causes,
            endpoints,
            wrapper,
            level,
            bump: Bump::for_level(level),
            current_version,
            next_version,
            new_crate,
        }
    }

    /// Whether a change to what the wrapper uses may stop it compiling.
    pub fn wrapper_may_break(&self) -> bool {
        self.wrapper
            .touching
            .iter()
            .any(|&i| self.rust[i].severity == Severity::Breaking)
    }
}

/// Spec changes behind a Rust change: the operation sending the same request as the changed
/// function (or whose error enum or inline model it is), or the schema the type is named after.
fn causes_of(
    change: &api_diff::Change,
    spec: &[spec_explain::Change],
    endpoints: &std::collections::BTreeMap<String, String>,
    old_api: &Api,
    new_api: &Api,
) -> Vec<usize> {
    let endpoint_of = |function: &str| endpoints.get(function).cloned();
    let endpoint = match &change.subject {
        Subject::Function(f) => endpoint_of(f),
        Subject::Module(_) => None,
        Subject::Type(t) => {
            let name = t.rsplit("::").next().unwrap_or(t);
            // `apis::m::CreateXError` belongs to `m::create_x`; `CreateX201Response` to it too.
            let key = name_key(name);
            [old_api, new_api]
                .iter()
                .flat_map(|api| api.functions.keys())
                .map(|f| (f, f.rsplit("::").next().unwrap_or(f)))
                .filter(|(_, name)| key.starts_with(&name_key(name)))
                .max_by_key(|(_, name)| name.len())
                .map(|(f, _)| f)
                .and_then(|f| endpoint_of(f))
        }
    };
    let keep = |s: &spec_explain::Change| s.kind != "description" || change.kind == "doc";
    if let Subject::Type(t) = &change.subject {
        let key = name_key(t.rsplit("::").next().unwrap_or(t));
        let by_schema: Vec<usize> = spec
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                matches!(&s.subject, spec_explain::Subject::Schema(n) if name_key(n) == key)
                    && keep(s)
            })
            .map(|(i, _)| i)
            .collect();
        if !by_schema.is_empty() {
            return by_schema;
        }
    }
    let of_operation: Vec<usize> = spec
        .iter()
        .enumerate()
        .filter(|(_, s)| match &s.subject {
            spec_explain::Subject::Operation { method, path, .. } => {
                endpoint.as_deref() == Some(format!("{method} {}", path_key(path)).as_str())
            }
            spec_explain::Subject::Schema(_) => false,
        })
        .filter(|(_, s)| keep(s))
        .map(|(i, _)| i)
        .collect();
    // A type of an operation (error enum, inline body) comes from its bodies or responses.
    let bodies: Vec<usize> = of_operation
        .iter()
        .copied()
        .filter(|&i| {
            let item = &spec[i].item;
            item.starts_with("response") || item.starts_with("request") || spec[i].kind == "added"
        })
        .collect();
    match &change.subject {
        Subject::Type(_) if !bodies.is_empty() => bodies,
        _ => of_operation,
    }
}

fn counts_text(counts: Counts) -> String {
    format!(
        "{} breaking, {} additive, {} cosmetic",
        counts.breaking, counts.additive, counts.cosmetic
    )
}

fn verdict_text(report: &Report) -> String {
    let advice = match report.level {
        Some(Severity::Breaking) => {
            "bump the major version (the minor while verify-v2 is 0.x): existing callers may not compile"
        }
        Some(Severity::Additive) => {
            "bump the minor version (the patch while verify-v2 is 0.x): existing callers keep compiling"
        }
        Some(Severity::Cosmetic) => "bump the patch version: only doc comments change",
        None => {
            return "no changes to the generated Rust API: nothing to release for verify-v2".into();
        }
    };
    let mut text = format!(
        "{} ({}) → {advice}",
        report.level.map_or("none", Severity::as_str),
        counts_text(Counts::of(&report.rust))
    );
    if let (Some(current), Some(next)) = (&report.current_version, &report.next_version) {
        write!(
            text,
            "\n         verify-v2 is {current}: release {next} (packageVersion in generator-config.yaml)"
        )
        .unwrap();
    }
    text
}

fn clip(text: &str) -> String {
    const MAX: usize = 160;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

fn rust_subject_text(report: &Report, subject: &Subject) -> String {
    match subject {
        Subject::Function(f) => match report.endpoints.get(f) {
            Some(e) => format!("fn {f}()  [{e}]"),
            None => format!("fn {f}()"),
        },
        Subject::Type(t) => format!("type {t}"),
        Subject::Module(m) => format!("mod apis::{m}"),
    }
}

fn rust_change_text(change: &api_diff::Change) -> String {
    let head = if change.item.is_empty() {
        change.kind.replace('_', " ")
    } else {
        change.item.clone()
    };
    let value = |v: &Option<String>| clip(v.as_deref().unwrap_or("-"));
    match (&change.old, &change.new) {
        (None, None) => head,
        (None, Some(n)) if change.item.is_empty() => format!("{head}: {}", clip(n)),
        (None, Some(n)) => format!("{head} added: {}", clip(n)),
        (Some(o), None) if change.item.is_empty() => format!("{head} (was {})", clip(o)),
        (Some(o), None) => format!("{head} removed (was {})", clip(o)),
        _ => format!("{head}: {} → {}", value(&change.old), value(&change.new)),
    }
}

fn spec_change_text(change: &spec_explain::Change) -> String {
    let head = match (change.item.as_str(), change.kind) {
        ("", kind) => kind.replace('_', " "),
        (item, "schema") => item.to_string(),
        (item, kind) => format!("{item} {}", kind.replace('_', " ")),
    };
    let value = |v: &Option<String>| clip(v.as_deref().unwrap_or("-"));
    match change.kind {
        "added" | "enum_values_added" => match &change.new {
            Some(n) => format!("{head}: {}", clip(n)),
            None => head,
        },
        "removed" | "enum_values_removed" => match &change.old {
            Some(o) => format!("{head}: {}", clip(o)),
            None => head,
        },
        _ => format!("{head}: {} → {}", value(&change.old), value(&change.new)),
    }
}

/// Rust changes grouped by subject; doc-comment changes fold into one line per subject.
fn write_rust(out: &mut String, report: &Report, indices: &[usize]) {
    let mut i = 0;
    while i < indices.len() {
        let subject = &report.rust[indices[i]].subject;
        let end = indices[i..]
            .iter()
            .position(|&j| &report.rust[j].subject != subject)
            .map_or(indices.len(), |n| i + n);
        writeln!(out, "  {}", rust_subject_text(report, subject)).unwrap();
        let mut docs = Vec::new();
        let mut causes = BTreeSet::new();
        for &j in &indices[i..end] {
            let change = &report.rust[j];
            causes.extend(report.causes[j].iter().copied());
            if change.kind == "doc" {
                docs.push(if change.item.is_empty() {
                    "(the item)"
                } else {
                    change.item.as_str()
                });
                continue;
            }
            writeln!(
                out,
                "    {:<8}  {} — {}",
                change.severity.as_str(),
                rust_change_text(change),
                change.why
            )
            .unwrap();
        }
        if !docs.is_empty() {
            writeln!(
                out,
                "    cosmetic  doc comments changed: {}",
                docs.join(", ")
            )
            .unwrap();
        }
        for j in causes.iter().take(8) {
            let cause = &report.spec[*j];
            writeln!(
                out,
                "      spec: {}: {}",
                cause.subject.text(),
                spec_change_text(cause)
            )
            .unwrap();
        }
        if causes.len() > 8 {
            writeln!(
                out,
                "      spec: … {} more (see Spec changes)",
                causes.len() - 8
            )
            .unwrap();
        }
        i = end;
    }
}

/// The report for a terminal.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    writeln!(out, "Spec diff").unwrap();
    for (name, side) in [("old", &report.old), ("new", &report.new)] {
        writeln!(
            out,
            "  {name}: {}\n       {} operations → {} functions, {} types; sha256 {}",
            side.label,
            side.operations,
            side.functions,
            side.types,
            &side.sha256[..side.sha256.len().min(16)]
        )
        .unwrap();
    }
    writeln!(out, "\nVerdict: {}", verdict_text(report)).unwrap();
    writeln!(
        out,
        "         (from the public Rust API generated from each spec, by Cargo's SemVer rules)"
    )
    .unwrap();

    let wrapper = &report.wrapper;
    writeln!(out).unwrap();
    let calls = if wrapper.functions.is_empty() {
        "no generated function".to_string()
    } else {
        wrapper.functions.join(", ")
    };
    if wrapper.functions.is_empty() && wrapper.touching.is_empty() {
        writeln!(
            out,
            "Touches verify-push: no. It calls no generated function."
        )
        .unwrap();
    } else if wrapper.touching.is_empty() {
        writeln!(
            out,
            "Touches verify-push: no. It calls {calls}; none of them or the types they use change."
        )
        .unwrap();
    } else {
        let counts = Counts::of(wrapper.touching.iter().map(|&i| &report.rust[i]));
        writeln!(
            out,
            "Touches verify-push ({}): it calls {calls}",
            counts_text(counts)
        )
        .unwrap();
        write_rust(&mut out, report, &wrapper.touching);
    }
    match &wrapper.build {
        Build::NotNeeded => {}
        Build::Skipped(why) => writeln!(
            out,
            "  Not checked whether verify-push still builds ({why})."
        )
        .unwrap(),
        Build::Ok(seconds) => writeln!(
            out,
            "  verify-push still builds against the regenerated crate (cargo check, {seconds:.0} s)."
        )
        .unwrap(),
        Build::Failed(errors) => writeln!(
            out,
            "  verify-push does NOT build against the regenerated crate; it must change with the regeneration:\n{}",
            errors
                .lines()
                .map(|l| format!("    {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        )
        .unwrap(),
    }
    if let Some(alias) = &wrapper.reexports
        && report.level == Some(Severity::Breaking)
    {
        writeln!(
            out,
            "  verify-push re-exports the generated crate as `verify_push::{alias}`: the breaking changes below are breaking for verify-push's public API too."
        )
        .unwrap();
    }

    writeln!(out).unwrap();
    if report.rust.is_empty() {
        writeln!(out, "Rust API: no changes").unwrap();
    } else {
        writeln!(out, "Rust API ({})", counts_text(Counts::of(&report.rust))).unwrap();
        let all: Vec<usize> = (0..report.rust.len()).collect();
        write_rust(&mut out, report, &all);
    }

    writeln!(out).unwrap();
    if report.spec.is_empty() {
        writeln!(out, "Spec changes: none").unwrap();
    } else {
        writeln!(
            out,
            "Spec changes ({}; they explain the above, and show what has no Rust surface)",
            report.spec.len()
        )
        .unwrap();
        let mut last = None;
        let mut descriptions: Vec<&str> = Vec::new();
        let flush = |out: &mut String, descriptions: &mut Vec<&str>| {
            if !descriptions.is_empty() {
                writeln!(out, "    descriptions changed: {}", descriptions.join(", ")).unwrap();
                descriptions.clear();
            }
        };
        for change in &report.spec {
            if last != Some(&change.subject) {
                flush(&mut out, &mut descriptions);
                writeln!(out, "  {}", change.subject.text()).unwrap();
                last = Some(&change.subject);
            }
            if change.kind == "description" {
                descriptions.push(if change.item.is_empty() {
                    "(itself)"
                } else {
                    &change.item
                });
            } else {
                writeln!(out, "    {}", spec_change_text(change)).unwrap();
            }
        }
        flush(&mut out, &mut descriptions);
    }
    out
}

fn counts_json(counts: Counts) -> Value {
    json!({
        "breaking": counts.breaking,
        "additive": counts.additive,
        "cosmetic": counts.cosmetic,
    })
}

fn spec_subject_json(subject: &spec_explain::Subject) -> Value {
    match subject {
        spec_explain::Subject::Operation {
            method,
            path,
            operation_id,
        } => json!({"operation": {"method": method, "path": path, "operation_id": operation_id}}),
        spec_explain::Subject::Schema(name) => json!({"schema": name}),
    }
}

/// The same report as JSON (see docs/regenerating.md for its shape).
pub fn json(report: &Report) -> String {
    let side = |s: &SideInfo| {
        json!({
            "source": s.label,
            "sha256": s.sha256,
            "operations": s.operations,
            "functions": s.functions,
            "types": s.types,
        })
    };
    let wrapper = &report.wrapper;
    let build = match &wrapper.build {
        Build::NotNeeded => json!({"status": "not_needed"}),
        Build::Skipped(why) => json!({"status": "skipped", "message": why}),
        Build::Ok(seconds) => json!({"status": "ok", "seconds": seconds}),
        Build::Failed(errors) => json!({"status": "failed", "message": errors}),
    };
    let value = json!({
        "old": side(&report.old),
        "new": side(&report.new),
        "verdict": {
            "level": report.level.map_or("none", Severity::as_str),
            "counts": counts_json(Counts::of(&report.rust)),
            "bump": report.bump.as_str(),
            "bump_while_0x": report.bump.while_zero().as_str(),
            "current_version": report.current_version,
            "next_version": report.next_version,
        },
        "verify_push": {
            "functions": wrapper.functions,
            "reexported_as": wrapper.reexports,
            "counts": counts_json(Counts::of(wrapper.touching.iter().map(|&i| &report.rust[i]))),
            "build": build,
        },
        "rust_changes": report.rust.iter().enumerate().map(|(i, c)| json!({
            "subject": {
                "kind": c.subject.kind(),
                "name": c.subject.name(),
                "endpoint": report.endpoints.get(c.subject.name()),
            },
            "severity": c.severity.as_str(),
            "kind": c.kind,
            "item": c.item,
            "old": c.old,
            "new": c.new,
            "why": c.why,
            "touches_verify_push": wrapper.touching.contains(&i),
            "spec_causes": report.causes[i],
        })).collect::<Vec<_>>(),
        "spec_changes": report.spec.iter().map(|c| {
            let mut v = json!({"kind": c.kind, "item": c.item, "old": c.old, "new": c.new});
            v["subject"] = spec_subject_json(&c.subject);
            v
        }).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).expect("a JSON value always serializes");
    text.push('\n');
    text
}
