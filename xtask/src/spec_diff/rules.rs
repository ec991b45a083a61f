//! Each rule on a small hand-made spec pair, through the real generator. Skipped, with a
//! message, when no Java runtime is installed.

use super::*;
use crate::api_diff::{Severity, Subject};
use crate::report_json;
use crate::report_text;
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
        .unwrap_or_else(|| panic!("no {kind} {item} in\n{}", report_text::text(report)))
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
        report_text::text(&report)
    );
    assert!(
        report.causes[i]
            .iter()
            .any(|&j| report.spec[j].item == "request form field FactorType"),
        "{}",
        report_text::text(&report)
    );
    assert!(report.wrapper_may_break());
    let json: Value = serde_json::from_str(&report_json::json(&report)).unwrap();
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
    assert_eq!(report.rust.len(), 1, "{}", report_text::text(&report));
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
    let text = report_text::text(&report);
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
        text.contains("spec: GET /v2/B  ListB: response 200 json field meta.next_page_url added"),
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
    let text = report_text::text(&report);
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
