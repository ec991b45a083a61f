//! The spec diff report for people: verdict, Rust changes with their causes, what touches
//! `verify-push`, and the spec changes.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::api_diff::{self, Counts, Severity, Subject};
use crate::spec_explain;
use crate::spec_report::Report;
use crate::wrapper_calls::Build;

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
