//! Renders a spec diff for people (grouped, sorted text for a terminal) and for programs
//! (`--json`). Both show the same changes; classification happens in `spec_changes`.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::spec_changes::{
    Bump, Change, Counts, Kind, Section, Severity, Subject, WRAPPED, next_version,
};
use crate::spec_model::rust_snake_name;

/// One side of the comparison.
#[derive(Debug, Clone)]
pub struct SideInfo {
    /// Where the spec came from, as the maintainer named it (or the vendored file).
    pub label: String,
    pub sha256: String,
    pub operations: usize,
    pub models: usize,
}

/// Everything the report shows.
#[derive(Debug, Clone)]
pub struct Report {
    pub old: SideInfo,
    pub new: SideInfo,
    /// Sorted, as `spec_changes::compare` returns them.
    pub changes: Vec<Change>,
    /// The `verify-v2` version now (`packageVersion` in generator-config.yaml), when known.
    pub current_version: Option<String>,
}

impl Report {
    fn counts(&self) -> Counts {
        Counts::of(&self.changes)
    }

    fn touching(&self) -> Vec<&Change> {
        let mut touching: Vec<&Change> = self
            .changes
            .iter()
            .filter(|c| c.touches_verify_push)
            .collect();
        // One block per operation or model, whatever section the change is in.
        touching.sort_by(|a, b| {
            (&a.subject, a.section, a.severity, &a.item)
                .cmp(&(&b.subject, b.section, b.severity, &b.item))
        });
        touching
    }
}

fn wrapped_names() -> String {
    WRAPPED
        .iter()
        .map(|w| w.operation_id)
        .collect::<Vec<_>>()
        .join(", ")
}

fn section_title(section: Section) -> &'static str {
    match section {
        Section::Operations => "Operations",
        Section::Parameters => "Request parameters",
        Section::Responses => "Responses (return types and error variants)",
        Section::Models => "Models (response, request and shared schemas)",
    }
}

fn counts_text(counts: Counts) -> String {
    format!(
        "{} breaking, {} additive, {} cosmetic",
        counts.breaking, counts.additive, counts.cosmetic
    )
}

/// `breaking (3 breaking, …) → bump the major version (…)`.
fn verdict_text(counts: Counts, current: Option<&str>) -> String {
    let level = counts.level();
    let advice = match level {
        Some(Severity::Breaking) => {
            "bump the major version (the minor while verify-v2 is 0.x): existing callers may not compile"
        }
        Some(Severity::Additive) => {
            "bump the minor version (the patch while verify-v2 is 0.x): existing callers keep working"
        }
        Some(Severity::Cosmetic) => {
            "bump the patch version: only documentation or unencoded constraints change"
        }
        None => return "no changes: nothing to regenerate or release".into(),
    };
    let mut text = format!(
        "{} ({}) → {advice}",
        level.map_or("none", Severity::as_str),
        counts_text(counts)
    );
    let next = current.and_then(|current| Some((current, next_version(current, level)?)));
    if let Some((current, next)) = next {
        write!(
            text,
            "\n         verify-v2 is {current}: release {next} (packageVersion in generator-config.yaml)"
        )
        .unwrap();
    }
    text
}

fn subject_text(subject: &Subject) -> String {
    match subject {
        Subject::Operation {
            path,
            method,
            operation_id,
        } => format!(
            "{method} {path}  {operation_id} → {}()",
            rust_snake_name(operation_id)
        ),
        Subject::Model {
            name,
            rust_name,
            usage,
        } if name == rust_name => format!("model {name}  (used by {usage})"),
        Subject::Model {
            name,
            rust_name,
            usage,
        } => format!("model {name} → {rust_name}  (used by {usage})"),
    }
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Added | Kind::ErrorResponseAdded => "added",
        Kind::Removed | Kind::ErrorResponseRemoved => "removed",
        Kind::OperationIdChanged => "operationId",
        Kind::TagChanged => "",
        Kind::ArgumentsReordered => "order",
        Kind::RequiredChanged => "required-ness",
        Kind::TypeChanged | Kind::ErrorResponseChanged => "type",
        Kind::NullableChanged => "nullable",
        Kind::EnumValuesAdded => "enum values added",
        Kind::EnumValuesRemoved => "enum values removed",
        Kind::ModelKindChanged => "kind",
        Kind::ReturnTypeChanged | Kind::SuccessStatusChanged => "",
        Kind::ConstraintsChanged => "constraints",
        Kind::DefaultChanged => "default",
        Kind::DeprecatedChanged => "deprecated",
        Kind::DescriptionChanged => "description",
    }
}

/// `form Ttl added (optional integer)`, `field sid type: string [String] → integer [i32]`, …
fn change_text(change: &Change) -> String {
    let mut words: Vec<&str> = Vec::new();
    if !change.item.is_empty() {
        words.push(&change.item);
    }
    let label = kind_label(change.kind);
    if !label.is_empty() {
        words.push(label);
    }
    let head = words.join(" ");
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    match change.kind {
        Kind::Added | Kind::ErrorResponseAdded => match &change.new {
            Some(new) => format!("{head} ({new})"),
            None => head,
        },
        Kind::Removed | Kind::ErrorResponseRemoved => match &change.old {
            Some(old) => format!("{head} (was {old})"),
            None => head,
        },
        Kind::EnumValuesAdded => format!("{head}: {}", or_dash(&change.new)),
        Kind::EnumValuesRemoved => format!("{head}: {}", or_dash(&change.old)),
        _ => format!(
            "{head}: {} → {}",
            or_dash(&change.old),
            or_dash(&change.new)
        ),
    }
}

/// Writes changes grouped under their subject; description changes of one subject fold into
/// one line, since their text is long and rarely decides anything.
fn write_groups(out: &mut String, changes: &[&Change]) {
    let mut i = 0;
    while i < changes.len() {
        let subject = &changes[i].subject;
        let end = changes[i..]
            .iter()
            .position(|c| &c.subject != subject)
            .map_or(changes.len(), |n| i + n);
        writeln!(out, "  {}", subject_text(subject)).unwrap();
        let mut described = Vec::new();
        for change in &changes[i..end] {
            if change.kind == Kind::DescriptionChanged {
                described.push(if change.item.is_empty() {
                    "(the model itself)"
                } else {
                    change.item.as_str()
                });
                continue;
            }
            writeln!(
                out,
                "    {:<8}  {} — {}",
                change.severity.as_str(),
                change_text(change),
                change.why
            )
            .unwrap();
        }
        if !described.is_empty() {
            described.dedup();
            writeln!(
                out,
                "    {:<8}  descriptions changed: {}",
                Severity::Cosmetic.as_str(),
                described.join(", ")
            )
            .unwrap();
        }
        i = end;
    }
}

/// The report for a terminal.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let counts = report.counts();
    writeln!(out, "Spec diff").unwrap();
    for (name, side) in [("old", &report.old), ("new", &report.new)] {
        writeln!(
            out,
            "  {name}: {}\n       {} operations, {} models, sha256 {}",
            side.label,
            side.operations,
            side.models,
            &side.sha256[..side.sha256.len().min(16)]
        )
        .unwrap();
    }
    writeln!(out).unwrap();
    writeln!(
        out,
        "Verdict: {}",
        verdict_text(counts, report.current_version.as_deref())
    )
    .unwrap();
    writeln!(out).unwrap();

    let touching = report.touching();
    if touching.is_empty() {
        writeln!(
            out,
            "Touches verify-push: nothing verify-push wraps changed ({} and the models they use).",
            wrapped_names()
        )
        .unwrap();
    } else {
        let touching_counts = Counts::of(touching.iter().copied());
        writeln!(
            out,
            "Touches verify-push ({}): {} and the models they use",
            counts_text(touching_counts),
            wrapped_names()
        )
        .unwrap();
        if touching_counts.breaking > 0 {
            writeln!(
                out,
                "  crates/verify-push must follow these before the release (the workspace build shows where)."
            )
            .unwrap();
        }
        write_groups(&mut out, &touching);
    }

    for section in Section::ALL {
        let in_section: Vec<&Change> = report
            .changes
            .iter()
            .filter(|c| c.section == section)
            .collect();
        writeln!(out).unwrap();
        if in_section.is_empty() {
            writeln!(out, "{}: no changes", section_title(section)).unwrap();
            continue;
        }
        writeln!(
            out,
            "{} ({})",
            section_title(section),
            counts_text(Counts::of(in_section.iter().copied()))
        )
        .unwrap();
        write_groups(&mut out, &in_section);
    }
    out
}

fn side_json(side: &SideInfo) -> Value {
    json!({
        "source": side.label,
        "sha256": side.sha256,
        "operations": side.operations,
        "models": side.models,
    })
}

fn counts_json(counts: Counts) -> Value {
    json!({
        "breaking": counts.breaking,
        "additive": counts.additive,
        "cosmetic": counts.cosmetic,
    })
}

fn change_json(change: &Change) -> Value {
    let mut value = json!({
        "section": change.section.as_str(),
        "severity": change.severity.as_str(),
        "kind": change.kind.as_str(),
        "item": change.item,
        "old": change.old,
        "new": change.new,
        "why": change.why,
        "touches_verify_push": change.touches_verify_push,
    });
    let subject = match &change.subject {
        Subject::Operation {
            path,
            method,
            operation_id,
        } => (
            "operation",
            json!({"method": method, "path": path, "operation_id": operation_id}),
        ),
        Subject::Model {
            name,
            rust_name,
            usage,
        } => (
            "model",
            json!({"name": name, "rust_name": rust_name, "used_by": usage}),
        ),
    };
    value[subject.0] = subject.1;
    value
}

/// The same report as JSON (see docs/regenerating.md for its shape).
pub fn json(report: &Report) -> String {
    let counts = report.counts();
    let level = counts.level();
    let bump = Bump::for_level(level);
    let next = report
        .current_version
        .as_deref()
        .and_then(|v| next_version(v, level));
    let touching = report.touching();
    let value = json!({
        "old": side_json(&report.old),
        "new": side_json(&report.new),
        "verdict": {
            "level": level.map_or("none", Severity::as_str),
            "counts": counts_json(counts),
            "bump": bump.as_str(),
            "bump_while_0x": bump.while_zero().as_str(),
            "current_version": report.current_version,
            "next_version": next,
        },
        "verify_push": {
            "operations": WRAPPED.iter().map(|w| json!({
                "operation_id": w.operation_id,
                "method": w.method,
                "path": w.path,
            })).collect::<Vec<_>>(),
            "counts": counts_json(Counts::of(touching.iter().copied())),
        },
        "changes": report.changes.iter().map(change_json).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).expect("a JSON value always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_changes::compare;
    use crate::spec_model::from_value;
    use serde_json::json;

    fn side(label: &str) -> SideInfo {
        SideInfo {
            label: label.into(),
            sha256: "ab".repeat(32),
            operations: 2,
            models: 1,
        }
    }

    /// Old: the wrapped CreateAccessToken. New: it gains an optional form field, a response
    /// field gets a new description, and an unrelated operation appears.
    fn report() -> Report {
        let spec = |extra_field: bool, description: &str, forms: bool| {
            let mut fields = json!({"Identity": {"type": "string"}});
            if extra_field {
                fields["Ttl"] = json!({"type": "integer"});
            }
            let mut paths = json!({"/v2/Services/{ServiceSid}/AccessTokens": {"post": {
                "operationId": "CreateAccessToken",
                "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "properties": fields, "required": ["Identity"]}}}},
                "responses": {"201": {"content": {"application/json": {"schema":
                    {"$ref": "#/components/schemas/verify.v2.service.access_token"}}}}}
            }}});
            if forms {
                paths["/v2/Forms"] = json!({"get": {"operationId": "FetchForm"}});
            }
            from_value(&json!({
                "openapi": "3.0.1",
                "paths": paths,
                "components": {"schemas": {"verify.v2.service.access_token": {"type": "object", "properties": {
                    "sid": {"type": "string", "description": description},
                    "token": {"type": "string", "description": description}
                }}}}
            }))
            .unwrap()
        };
        Report {
            old: side("npm:@twilio/cli-core@8.0.2"),
            new: side("openapi/twilio_verify_v2.json"),
            changes: compare(&spec(false, "old", false), &spec(true, "new", true)),
            current_version: Some("0.1.0".into()),
        }
    }

    #[test]
    fn text_has_the_verdict_the_verify_push_section_and_grouped_sections() {
        let text = text(&report());
        assert!(text.contains("old: npm:@twilio/cli-core@8.0.2"), "{text}");
        assert!(
            text.contains("Verdict: breaking (1 breaking, 1 additive, 2 cosmetic) → bump the major version (the minor while verify-v2 is 0.x)"),
            "{text}"
        );
        assert!(text.contains("verify-v2 is 0.1.0: release 0.2.0"), "{text}");
        let touches = text
            .find("Touches verify-push (1 breaking, 0 additive, 2 cosmetic)")
            .expect(&text);
        let operations = text.find("\nOperations (").expect(&text);
        assert!(touches < operations);
        assert!(text.contains(
            "  POST /v2/Services/{ServiceSid}/AccessTokens  CreateAccessToken → create_access_token()\n    breaking  form Ttl added (optional integer) — a new positional `Option` argument"
        ), "{text}");
        // Description changes of one subject fold into one line.
        assert!(
            text.contains("    cosmetic  descriptions changed: field sid, field token\n"),
            "{text}"
        );
        assert!(
            text.contains("    additive  added — a new function"),
            "{text}"
        );
        assert!(
            text.contains("Responses (return types and error variants): no changes"),
            "{text}"
        );
    }

    #[test]
    fn text_says_when_nothing_verify_push_wraps_changed() {
        let mut report = report();
        report.changes.retain(|c| !c.touches_verify_push);
        let text = text(&report);
        assert!(
            text.contains("Touches verify-push: nothing verify-push wraps changed"),
            "{text}"
        );
        assert!(text.contains("Verdict: additive (0 breaking, 1 additive, 0 cosmetic) → bump the minor version (the patch while verify-v2 is 0.x)"), "{text}");
        assert!(text.contains("release 0.1.1"), "{text}");
        report.changes.clear();
        assert!(super::text(&report).contains("Verdict: no changes"));
    }

    #[test]
    fn json_has_the_same_report() {
        let value: Value = serde_json::from_str(&json(&report())).unwrap();
        assert_eq!(value["old"]["source"], "npm:@twilio/cli-core@8.0.2");
        assert_eq!(value["new"]["operations"], 2);
        assert_eq!(
            value["verdict"],
            json!({
                "level": "breaking",
                "counts": {"breaking": 1, "additive": 1, "cosmetic": 2},
                "bump": "major",
                "bump_while_0x": "minor",
                "current_version": "0.1.0",
                "next_version": "0.2.0"
            })
        );
        assert_eq!(
            value["verify_push"]["operations"][0]["operation_id"],
            "CreateAccessToken"
        );
        assert_eq!(value["verify_push"]["counts"]["breaking"], 1);
        let changes = value["changes"].as_array().unwrap();
        assert_eq!(changes.len(), 4);
        let ttl = changes.iter().find(|c| c["item"] == "form Ttl").unwrap();
        assert_eq!(
            ttl,
            &json!({
                "section": "parameters",
                "severity": "breaking",
                "kind": "added",
                "item": "form Ttl",
                "old": null,
                "new": "optional integer",
                "why": "a new positional `Option` argument (one per parameter): every call must add it",
                "touches_verify_push": true,
                "operation": {
                    "method": "POST",
                    "path": "/v2/Services/{ServiceSid}/AccessTokens",
                    "operation_id": "CreateAccessToken"
                }
            })
        );
        let sid = changes.iter().find(|c| c["item"] == "field sid").unwrap();
        assert_eq!(sid["model"]["rust_name"], "VerifyV2ServiceAccessToken");
        assert_eq!(sid["model"]["used_by"], "responses");
        assert_eq!(
            (sid["old"].as_str(), sid["new"].as_str()),
            (Some("old"), Some("new"))
        );
    }
}
