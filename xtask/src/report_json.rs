//! The spec diff report for programs (`--json`); its shape is documented in
//! docs/regenerating.md.

use serde_json::{Value, json};

use crate::api_diff::{Counts, Severity};
use crate::spec_explain;
use crate::spec_report::{Report, SideInfo};
use crate::wrapper_calls::Build;

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
