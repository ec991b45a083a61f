use super::*;
use crate::rust_api::{Field, Variant};

fn function(args: &[(&str, &str)], returns: &str) -> Function {
    Function {
        args: args
            .iter()
            .map(|(a, t)| (a.to_string(), t.to_string()))
            .collect(),
        returns: returns.into(),
        endpoint: "POST /v2/X".into(),
        auth: ["basic_auth".to_string()].into(),
        doc: String::new(),
    }
}

fn api(functions: &[(&str, Function)], types: &[(&str, TypeDef)]) -> Api {
    Api {
        modules: functions
            .iter()
            .map(|(k, _)| k.split("::").next().unwrap().to_string())
            .collect(),
        functions: functions
            .iter()
            .map(|(k, f)| (k.to_string(), f.clone()))
            .collect(),
        types: types
            .iter()
            .map(|(k, t)| (k.to_string(), t.clone()))
            .collect(),
        module_of: BTreeMap::new(),
    }
}

fn kinds(changes: &[Change]) -> Vec<(&str, &str, Severity)> {
    changes
        .iter()
        .map(|c| (c.kind, c.item.as_str(), c.severity))
        .collect()
}

#[test]
fn swapped_arguments_of_one_type_are_breaking() {
    let old = api(
        &[("a_api::f", function(&[("x", "&str"), ("y", "&str")], "()"))],
        &[],
    );
    let new = api(
        &[("a_api::f", function(&[("y", "&str"), ("x", "&str")], "()"))],
        &[],
    );
    assert_eq!(
        kinds(&compare(&old, &new)),
        [("arguments_reordered", "arguments", Severity::Breaking)]
    );
}

#[test]
fn a_function_changing_module_is_one_move() {
    let old = api(&[("a_api::f", function(&[], "()"))], &[]);
    let new = api(&[("b_api::f", function(&[], "()"))], &[]);
    let changes = compare(&old, &new);
    assert_eq!(
        kinds(&changes),
        [
            ("removed", "", Severity::Breaking),
            ("added", "", Severity::Additive),
            ("moved", "", Severity::Breaking)
        ]
    );
    assert_eq!(changes[2].new.as_deref(), Some("b_api::f"));
    assert_eq!(changes[0].subject, Subject::Module("a_api".into()));
}

#[test]
fn new_fields_and_variants_are_major_under_cargo_semver() {
    let strukt = |fields: &[&str], new_args: &[(&str, &str)]| TypeDef::Struct {
        fields: fields
            .iter()
            .map(|f| Field {
                name: f.to_string(),
                ty: "Option<String>".into(),
                wire: Some(f.to_string()),
                doc: String::new(),
            })
            .collect(),
        new_args: Some(
            new_args
                .iter()
                .map(|(a, t)| (a.to_string(), t.to_string()))
                .collect(),
        ),
        doc: String::new(),
    };
    let enumeration = |variants: &[&str]| TypeDef::Enum {
        variants: variants
            .iter()
            .map(|v| Variant {
                name: v.to_string(),
                wire: Some(v.to_lowercase()),
            })
            .collect(),
        doc: String::new(),
    };
    let old = api(
        &[("a_api::f", function(&[], "()"))],
        &[
            ("models::M", strukt(&["sid"], &[])),
            ("models::E", enumeration(&["Push"])),
        ],
    );
    let new = api(
        &[("a_api::f", function(&[], "()"))],
        &[
            ("models::M", strukt(&["sid", "ttl"], &[("ttl", "i32")])),
            ("models::E", enumeration(&["Push", "Passkeys"])),
        ],
    );
    assert_eq!(
        kinds(&compare(&old, &new)),
        [
            ("variant_added", "variant Passkeys", Severity::Breaking),
            ("field_added", "field ttl", Severity::Breaking),
            ("argument_added", "new() argument ttl", Severity::Breaking),
        ]
    );
}

#[test]
fn gained_credentials_are_additive_and_lost_ones_breaking() {
    let mut bearer = function(&[], "()");
    bearer.auth.insert("bearer_access_token".into());
    let old = api(&[("a_api::f", function(&[], "()"))], &[]);
    let new = api(&[("a_api::f", bearer)], &[]);
    assert_eq!(
        kinds(&compare(&old, &new)),
        [("auth_added", "credential", Severity::Additive)]
    );
    assert_eq!(
        kinds(&compare(&new, &old)),
        [("auth_removed", "credential", Severity::Breaking)]
    );
}

#[test]
fn next_version_follows_the_0x_rule() {
    assert_eq!(
        next_version("0.1.0", Some(Severity::Breaking)).as_deref(),
        Some("0.2.0")
    );
    assert_eq!(
        next_version("0.1.0", Some(Severity::Additive)).as_deref(),
        Some("0.1.1")
    );
    assert_eq!(
        next_version("1.2.3", Some(Severity::Breaking)).as_deref(),
        Some("2.0.0")
    );
    assert_eq!(
        next_version("1.2.3", Some(Severity::Additive)).as_deref(),
        Some("1.3.0")
    );
    assert_eq!(next_version("1.2.3", None), None);
    assert_eq!(next_version("x", Some(Severity::Cosmetic)), None);
}
