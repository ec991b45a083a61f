//! `cargo xtask spec diff OLD [NEW] [--json] [--no-build]`: what a spec update changes for the
//! generated `verify-v2` crate and for `verify-push`, and which version bump it calls for,
//! before anyone regenerates. `spec fetch` prints the same report for the spec it replaces.
//!
//! Ground truth first: both specs go through the pinned generator and the project's template
//! patches (as `codegen` does, in temporary directories), and the two public Rust APIs are
//! compared (`rust_api`, `api_diff`). The spec-level comparison (`spec_explain`) only explains.

use std::path::Path;
use std::process::Command;

use crate::api_diff;
use crate::generator::Generator;
use crate::rust_api::{self, Api};
use crate::spec_lock::{SpecLock, sha256_hex};
use crate::spec_report::{self, Report, SideInfo};
use crate::spec_source::{self, FetchedSpec};
use crate::tree::{self, Tree};
use crate::wrapper_calls::{Build, Wrapper};
use crate::{codegen, spec_explain, template_patch, workspace, wrapper_calls};

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
        check_wrapper_builds(&mut report);
    } else if report.wrapper_may_break() {
        report.wrapper.build = Build::Skipped("--no-build".into());
    }
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

/// One side read and generated.
struct Generated {
    doc: serde_json::Value,
    api: Api,
    files: Tree,
}

/// Compares two specs through the code the generator makes of them. This is the in-process
/// entry point (`spec fetch` and the release flow use it): `Report::level` and
/// `Report::next_version` are the verdict. It does not build `verify-push` (see
/// [`check_wrapper_builds`]).
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
    codegen::generate_into(generator, templates, &spec, &out)?;
    let files = tree::read(&out)?;
    let api = rust_api::read(&files)?;
    Ok(Generated { doc, api, files })
}

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

    #[test]
    fn package_version_is_read_from_the_generator_config() {
        let config = "additionalProperties:\n  packageName: verify-v2\n  packageVersion: \"0.3.1\" # bump me\n";
        assert_eq!(package_version(config).as_deref(), Some("0.3.1"));
        assert_eq!(package_version("generatorName: rust\n"), None);
    }
}

/// Each rule on a small hand-made spec pair, through the real generator. Skipped, with a
/// message, when no Java runtime is installed.
#[cfg(test)]
mod rules {
    use super::*;
    use crate::api_diff::{Severity, Subject};
    use serde_json::{Value, json};

    fn side(label: &str, paths: Value, schemas: Value, extra: Value) -> Side {
        let mut doc = json!({
            "openapi": "3.0.1",
            "info": {"title": "Twilio - Verify", "version": "1.0.0"},
            "servers": [{"url": "https://verify.twilio.com"}],
            "paths": paths,
            "components": {
                "schemas": schemas,
                "securitySchemes": {
                    "accountSid_authToken": {"type": "http", "scheme": "basic"},
                    "access_token_bearer": {"type": "http", "scheme": "bearer"}
                }
            },
            "security": [{"accountSid_authToken": []}]
        });
        if let (Some(doc), Some(extra)) = (doc.as_object_mut(), extra.as_object()) {
            doc.extend(extra.clone());
        }
        Side {
            label: label.into(),
            bytes: serde_json::to_vec(&doc).unwrap(),
        }
    }

    fn json_body(schema: &str) -> Value {
        json!({"description": "ok", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
    }

    fn object(fields: &[&str]) -> Value {
        let props: serde_json::Map<String, Value> = fields
            .iter()
            .map(|f| (f.to_string(), json!({"type": "string"})))
            .collect();
        json!({"type": "object", "properties": props})
    }

    fn access_token_op(factor_type: Value, security: Option<Value>, responses: Value) -> Value {
        let mut op = json!({
            "operationId": "CreateAccessToken",
            "tags": ["VerifyV2AccessToken"],
            "parameters": [{"name": "ServiceSid", "in": "path", "required": true, "schema": {"type": "string"}}],
            "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
                "type": "object",
                "required": ["Identity", "FactorType"],
                "properties": {"Identity": {"type": "string"}, "FactorType": factor_type}
            }}}},
            "responses": responses
        });
        if let Some(security) = security {
            op["security"] = security;
        }
        json!({"/v2/Services/{ServiceSid}/AccessTokens": {"post": op}})
    }

    fn schemas() -> Value {
        json!({
            "access_token_enum_factor_types": {"type": "string", "enum": ["push"]},
            "token": object(&["sid"]),
            "other": object(&["sid", "ttl"])
        })
    }

    fn diff(old: &Side, new: &Side) -> Option<Report> {
        crate::generator::java_present_for_tests().then(|| report(old, new).unwrap())
    }

    fn find<'r>(report: &'r Report, kind: &str, item: &str) -> &'r api_diff::Change {
        report
            .rust
            .iter()
            .find(|c| c.kind == kind && c.item == item)
            .unwrap_or_else(|| panic!("no {kind} {item} in\n{}", spec_report::text(report)))
    }

    /// `type: string` beside a `$ref` makes the generator emit `&str`; without it the argument
    /// is the model enum. The spec-level report alone called this a description change.
    #[test]
    fn a_type_beside_a_ref_in_a_parameter_decides_the_argument_type() {
        let enum_ref = "#/components/schemas/access_token_enum_factor_types";
        let responses = json!({"201": json_body("token")});
        let old = side(
            "old",
            access_token_op(
                json!({"type": "string", "$ref": enum_ref}),
                None,
                responses.clone(),
            ),
            schemas(),
            json!({}),
        );
        let new = side(
            "new",
            access_token_op(json!({"$ref": enum_ref}), None, responses),
            schemas(),
            json!({}),
        );
        let Some(report) = diff(&old, &new) else {
            return;
        };
        let change = find(&report, "argument_type", "argument factor_type");
        assert_eq!(change.old.as_deref(), Some("&str"));
        assert_eq!(
            change.new.as_deref(),
            Some("models::AccessTokenEnumFactorTypes")
        );
        assert_eq!(report.level, Some(Severity::Breaking));
        // The wrapper calls create_access_token: the change touches it, and the spec says why.
        let i = report.rust.iter().position(|c| c == change).unwrap();
        assert!(
            report.wrapper.touching.contains(&i),
            "{}",
            spec_report::text(&report)
        );
        assert!(
            report.causes[i]
                .iter()
                .any(|&j| report.spec[j].item == "request form field FactorType"),
            "{}",
            spec_report::text(&report)
        );
        assert!(report.wrapper_may_break());
        let json: Value = serde_json::from_str(&spec_report::json(&report)).unwrap();
        assert_eq!(json["verdict"]["level"], "breaking");
        assert_eq!(json["verify_push"]["counts"]["breaking"], 1);
        let touching: Vec<&Value> = json["rust_changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["touches_verify_push"] == true)
            .collect();
        assert_eq!(touching.len(), 1, "{json:#}");
        assert_eq!(
            touching[0]["subject"]["name"],
            "verify_v2_access_token_api::create_access_token"
        );
        assert_eq!(touching[0]["kind"], "argument_type");
        let cause = touching[0]["spec_causes"][0].as_u64().unwrap() as usize;
        assert_eq!(
            json["spec_changes"][cause]["subject"]["operation"]["operation_id"],
            "CreateAccessToken"
        );
    }

    /// The generator returns the body of the lowest 2xx code, whatever the order in the spec.
    #[test]
    fn the_return_type_follows_the_lowest_success_code() {
        let factor = json!({"type": "string"});
        let old = side(
            "old",
            access_token_op(
                factor.clone(),
                None,
                json!({"201": json_body("token"), "200": json_body("token")}),
            ),
            schemas(),
            json!({}),
        );
        let new = side(
            "new",
            access_token_op(
                factor,
                None,
                json!({"201": json_body("token"), "200": json_body("other")}),
            ),
            schemas(),
            json!({}),
        );
        let Some(report) = diff(&old, &new) else {
            return;
        };
        let change = find(&report, "returns", "return type");
        assert!(
            change.new.as_deref().unwrap().contains("models::Other"),
            "{change:?}"
        );
        assert_eq!(report.level, Some(Severity::Breaking));
    }

    /// Added security changes what the function sends; its signature stays.
    #[test]
    fn added_security_is_reported_as_a_new_credential() {
        let factor = json!({"type": "string"});
        let responses = json!({"201": json_body("token")});
        let old = side(
            "old",
            access_token_op(factor.clone(), None, responses.clone()),
            schemas(),
            json!({}),
        );
        let bearer = json!([{"accountSid_authToken": []}, {"access_token_bearer": []}]);
        let new = side(
            "new",
            access_token_op(factor, Some(bearer), responses),
            schemas(),
            json!({}),
        );
        let Some(report) = diff(&old, &new) else {
            return;
        };
        assert_eq!(report.rust.len(), 1, "{}", spec_report::text(&report));
        let change = find(&report, "auth_added", "credential");
        assert_eq!(
            change.new.as_deref(),
            Some("Configuration::bearer_access_token")
        );
        assert_eq!(change.severity, Severity::Additive);
        assert_eq!(report.level, Some(Severity::Additive));
        assert_eq!(
            report.next_version.is_some(),
            report.current_version.is_some()
        );
        let i = report.rust.iter().position(|c| c == change).unwrap();
        assert!(
            report.causes[i]
                .iter()
                .any(|&j| report.spec[j].kind == "security")
        );
    }

    fn list_op(id: &str, meta: &Value) -> Value {
        json!({"get": {
            "operationId": id,
            "tags": ["VerifyV2Things"],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"things": {"type": "array", "items": {"$ref": "#/components/schemas/token"}}, "meta": meta}
            }}}}}
        }})
    }

    /// Identical inline `meta` objects of list responses are one shared Rust type, named after
    /// one of the operations. A change to it is one change, under the type's real name.
    #[test]
    fn a_shared_nested_type_is_reported_once_under_its_real_name() {
        let paths = |meta: Value| {
            json!({
                "/v2/B": list_op("ListB", &meta),
                "/v2/C": list_op("ListC", &meta),
            })
        };
        let old = side("old", paths(object(&["page_size"])), schemas(), json!({}));
        let new = side(
            "new",
            paths(object(&["page_size", "next_page_url"])),
            schemas(),
            json!({}),
        );
        let Some(report) = diff(&old, &new) else {
            return;
        };
        let text = spec_report::text(&report);
        assert_eq!(report.rust.len(), 1, "{text}");
        let change = find(&report, "field_added", "field next_page_url");
        assert_eq!(
            change.subject,
            Subject::Type("models::ListB200ResponseMeta".into())
        );
        assert!(
            defines(&report, "list_b_200_response_meta", "ListB200ResponseMeta"),
            "{text}"
        );
        // Both operations' spec changes are listed; the one the type is named after explains it.
        assert!(
            text.contains(
                "spec: GET /v2/B  ListB: response 200 json field meta.next_page_url added"
            ),
            "{text}"
        );
    }

    /// Whether the regenerated crate defines `pub struct name` in `src/models/file.rs`.
    fn defines(report: &Report, file: &str, name: &str) -> bool {
        report
            .new_crate
            .get(&format!("src/models/{file}.rs"))
            .is_some_and(|b| String::from_utf8_lossy(b).contains(&format!("pub struct {name} ")))
    }

    /// A shared inline type takes the name of the first operation using it: adding an
    /// operation that sorts first renames it, and the functions returning it change type.
    #[test]
    fn a_renamed_shared_nested_type_is_seen() {
        let paths = |first: &str| {
            let meta = object(&["page_size"]);
            json!({
                format!("/v2/{first}"): list_op(&format!("List{first}"), &meta),
                "/v2/C": list_op("ListC", &meta),
            })
        };
        let old = side("old", paths("D"), schemas(), json!({}));
        let new = side("new", paths("A"), schemas(), json!({}));
        let Some(report) = diff(&old, &new) else {
            return;
        };
        let text = spec_report::text(&report);
        let returns = find(&report, "returns", "return type");
        assert_eq!(
            returns.subject,
            Subject::Function("verify_v2_things_api::list_c".into())
        );
        assert!(
            returns
                .old
                .as_deref()
                .unwrap()
                .contains("models::ListD200Response"),
            "{text}"
        );
        assert!(
            returns
                .new
                .as_deref()
                .unwrap()
                .contains("models::ListA200Response"),
            "{text}"
        );
        let meta = |name: &str, kind: &str| {
            report
                .rust
                .iter()
                .any(|c| c.subject == Subject::Type(format!("models::{name}")) && c.kind == kind)
        };
        assert!(
            meta("ListD200ResponseMeta", "removed") && meta("ListA200ResponseMeta", "added"),
            "{text}"
        );
        assert!(
            defines(&report, "list_a_200_response_meta", "ListA200ResponseMeta"),
            "{text}"
        );
        assert_eq!(report.level, Some(Severity::Breaking));
    }

    /// A required field of a model is an argument of its `new()`.
    #[test]
    fn a_required_field_adds_an_argument_to_new() {
        let factor = json!({"type": "string"});
        let responses = json!({"201": json_body("token")});
        let mut required = schemas();
        required["token"]["required"] = json!(["sid"]);
        let old = side(
            "old",
            access_token_op(factor.clone(), None, responses.clone()),
            schemas(),
            json!({}),
        );
        let new = side(
            "new",
            access_token_op(factor, None, responses),
            required,
            json!({}),
        );
        let Some(report) = diff(&old, &new) else {
            return;
        };
        let change = find(&report, "argument_added", "new() argument sid");
        assert_eq!(change.severity, Severity::Breaking);
        assert_eq!(change.subject, Subject::Type("models::Token".into()));
    }
}
