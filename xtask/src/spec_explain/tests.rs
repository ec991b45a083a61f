use super::*;
use serde_json::json;

#[test]
fn a_byte_order_mark_is_accepted() {
    let doc = parse(b"\xEF\xBB\xBF{\"openapi\":\"3.0.1\"}").unwrap();
    assert_eq!(doc["openapi"], "3.0.1");
}

#[test]
fn ref_cycles_and_dangling_refs_are_clear_errors() {
    let cycle = json!({"components": {"schemas": {
        "a": {"$ref": "#/components/schemas/b"},
        "b": {"$ref": "#/components/schemas/a"},
        "tree": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/tree"}}}
    }}});
    let err = parse(cycle.to_string().as_bytes()).unwrap_err();
    assert!(err.contains("$ref cycle: schema a → b → a"), "{err}");
    let dangling = json!({"paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/gone"}}}}}}}}});
    let err = parse(dangling.to_string().as_bytes()).unwrap_err();
    assert!(err.contains("#/components/schemas/gone"), "{err}");
    // A recursive object is a legitimate type.
    let tree = json!({"components": {"schemas": {"tree": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/tree"}}}}}});
    parse(tree.to_string().as_bytes()).unwrap();
}

#[test]
fn reports_security_status_codes_enum_values_and_keywords_beside_a_ref() {
    let op = |security: Value, code: &str, param_schema: Value, values: Value| {
        json!({
            "paths": {"/v2/Services/{ServiceSid}/X": {"post": {
                "operationId": "CreateX",
                "security": security,
                "parameters": [{"name": "FactorType", "in": "query", "schema": param_schema}],
                "responses": {code: {"description": "ok"}}
            }}},
            "components": {"schemas": {"x": {"type": "object", "properties": {"status": {"type": "string", "enum": values}}}}}
        })
    };
    let old = op(
        json!([{"accountSid_authToken": []}]),
        "200",
        json!({"type": "string", "$ref": "#/components/schemas/e"}),
        json!(["a", "b"]),
    );
    let new = op(
        json!([{"accountSid_authToken": []}, {"oAuth2ClientCredentials": []}]),
        "201",
        json!({"$ref": "#/components/schemas/e"}),
        json!(["a", "c"]),
    );
    let changes = compare(&old, &new);
    let found = |kind: &str, item: &str| {
        changes
            .iter()
            .find(|c| c.kind == kind && c.item == item)
            .unwrap_or_else(|| panic!("{kind} {item}: {changes:#?}"))
    };
    assert_eq!(
        found("security", "").new.as_deref(),
        Some(r#"[{"accountSid_authToken":[]},{"oAuth2ClientCredentials":[]}]"#)
    );
    found("removed", "response 200");
    found("added", "response 201");
    assert_eq!(
        found("schema", "param query FactorType").old.as_deref(),
        Some(r##"{"type":"string","$ref":"#/components/schemas/e"}"##)
    );
    assert_eq!(
        found("enum_values_added", "field status").new.as_deref(),
        Some("c")
    );
    assert_eq!(
        found("enum_values_removed", "field status").old.as_deref(),
        Some("b")
    );
    assert_eq!(changes.len(), 6, "{changes:#?}");
}
