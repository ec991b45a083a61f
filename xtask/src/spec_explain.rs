//! The spec side of a spec diff: what changed in the OpenAPI document, operation by operation
//! and schema by schema, said in the spec's own terms. It decides nothing (the generated Rust
//! does, see `api_diff`); it explains: descriptions, security, status codes, enum values per
//! field, and the spec change behind each Rust change. It models none of the generator's rules.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

pub use crate::spec_model::{name_key, operation_count, parse, path_key};
use crate::spec_model::{operations, param_key};

/// What a spec change belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// `method` upper-case; `path` as written in the new spec (the old one if removed).
    Operation {
        method: String,
        path: String,
        operation_id: String,
    },
    /// A `components.schemas` entry.
    Schema(String),
}

impl Subject {
    pub fn text(&self) -> String {
        match self {
            Subject::Operation {
                method,
                path,
                operation_id,
            } => format!("{method} {path}  {operation_id}"),
            Subject::Schema(name) => format!("schema {name}"),
        }
    }
}

/// One difference between the two documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub subject: Subject,
    /// `form Identity`, `response 200`, `field meta.page_size`, `param query PageSize`; empty
    /// for the subject itself.
    pub item: String,
    /// `added`, `removed`, `schema`, `enum_values_added`, `enum_values_removed`, `required`,
    /// `security`, `description`, `order`, `operation_id`.
    pub kind: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Every difference, sorted by subject and item.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    let (old_ops, new_ops) = (operations(old), operations(new));
    let subject = |key: &str, path: &str, op: &Value| Subject::Operation {
        method: key.split(' ').next().unwrap_or_default().to_string(),
        path: path.to_string(),
        operation_id: op["operationId"].as_str().unwrap_or_default().to_string(),
    };
    for (key, (path, op)) in &old_ops {
        if !new_ops.contains_key(key) {
            add(&mut out, &subject(key, path, op), "", "removed", None, None);
        }
    }
    for (key, (path, n)) in &new_ops {
        let s = subject(key, path, n);
        match old_ops.get(key) {
            None => add(&mut out, &s, "", "added", None, None),
            Some((_, o)) => compare_operation(&mut out, &s, o, n),
        }
    }
    let schemas = |doc: &Value| object(doc.pointer("/components/schemas"));
    let (old_schemas, new_schemas) = (schemas(old), schemas(new));
    for name in old_schemas.keys().filter(|n| !new_schemas.contains_key(*n)) {
        add(
            &mut out,
            &Subject::Schema(name.clone()),
            "",
            "removed",
            None,
            None,
        );
    }
    for (name, n) in &new_schemas {
        let s = Subject::Schema(name.clone());
        match old_schemas.get(name) {
            None => add(&mut out, &s, "", "added", None, None),
            Some(o) => compare_schema(&mut out, &s, "", o, n),
        }
    }
    out.sort_by(|a, b| (&a.subject, &a.item).cmp(&(&b.subject, &b.item)));
    out
}

type Out = Vec<Change>;

fn add(
    out: &mut Out,
    s: &Subject,
    item: &str,
    kind: &'static str,
    old: Option<&Value>,
    new: Option<&Value>,
) {
    out.push(Change {
        subject: s.clone(),
        item: item.to_string(),
        kind,
        old: text_of(old),
        new: text_of(new),
    });
}

fn differ(
    out: &mut Out,
    s: &Subject,
    item: &str,
    kind: &'static str,
    old: Option<&Value>,
    new: Option<&Value>,
) {
    if old != new {
        add(out, s, item, kind, old, new);
    }
}

fn object(value: Option<&Value>) -> Map<String, Value> {
    value
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// Entries only in `o` are removed, only in `n` added; `both` compares the rest.
fn keyed(
    out: &mut Out,
    s: &Subject,
    item: impl Fn(&str) -> String,
    o: &Map<String, Value>,
    n: &Map<String, Value>,
    both: impl Fn(&mut Out, &str, &Value, &Value),
) {
    for (key, value) in o.iter().filter(|(k, _)| !n.contains_key(*k)) {
        add(out, s, &item(key), "removed", Some(value), None);
    }
    for (key, value) in n {
        match o.get(key) {
            None => add(out, s, &item(key), "added", None, Some(value)),
            Some(old) => both(out, &item(key), old, value),
        }
    }
}

/// A value as one line of JSON, descriptions left out (they are reported on their own).
pub fn compact(value: &Value) -> String {
    serde_json::to_string(&without_descriptions(value)).unwrap_or_default()
}

fn without_descriptions(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "description" | "summary"))
                .map(|(k, v)| (k.clone(), without_descriptions(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_descriptions).collect()),
        other => other.clone(),
    }
}

fn text_of(value: Option<&Value>) -> Option<String> {
    value.map(|v| v.as_str().map_or_else(|| compact(v), str::to_string))
}

fn compare_operation(out: &mut Out, s: &Subject, o: &Value, n: &Value) {
    differ(
        out,
        s,
        "",
        "operation_id",
        o.get("operationId"),
        n.get("operationId"),
    );
    differ(out, s, "", "tags", o.get("tags"), n.get("tags"));
    differ(out, s, "", "security", o.get("security"), n.get("security"));
    differ(
        out,
        s,
        "summary",
        "description",
        o.get("summary"),
        n.get("summary"),
    );
    differ(
        out,
        s,
        "",
        "description",
        o.get("description"),
        n.get("description"),
    );
    compare_parameters(out, s, o, n);
    let body = |op: &Value| object(op.pointer("/requestBody/content"));
    compare_content(out, s, "request", &body(o), &body(n));
    let required = |op: &Value| op.pointer("/requestBody/required").cloned();
    differ(
        out,
        s,
        "request",
        "required",
        required(o).as_ref(),
        required(n).as_ref(),
    );
    let responses = |op: &Value| object(op.get("responses"));
    keyed(
        out,
        s,
        |code| format!("response {code}"),
        &responses(o),
        &responses(n),
        |out, item, o, n| {
            compare_content(
                out,
                s,
                item,
                &object(o.get("content")),
                &object(n.get("content")),
            );
            differ(
                out,
                s,
                item,
                "description",
                o.get("description"),
                n.get("description"),
            );
        },
    );
}

fn compare_parameters(out: &mut Out, s: &Subject, o: &Value, n: &Value) {
    let params = |op: &Value| -> Map<String, Value> {
        let list = op.get("parameters").and_then(Value::as_array);
        list.into_iter()
            .flatten()
            .map(|p| (param_key(p), p.clone()))
            .collect()
    };
    let (op, np) = (params(o), params(n));
    keyed(
        out,
        s,
        |key| format!("param {key}"),
        &op,
        &np,
        |out, item, o, n| {
            // Keywords beside `schema` (required, deprecated, …), then the schema itself.
            let rest = |p: &Value| {
                let mut p = object(Some(p));
                p.remove("schema");
                Value::String(compact(&Value::Object(p)))
            };
            differ(out, s, item, "keywords", Some(&rest(o)), Some(&rest(n)));
            differ(
                out,
                s,
                item,
                "description",
                o.get("description"),
                n.get("description"),
            );
            compare_schema(out, s, item, &o["schema"], &n["schema"]);
        },
    );
    let common = |a: &Map<String, Value>, b: &Map<String, Value>| {
        let keys = a
            .keys()
            .filter(|k| b.contains_key(*k))
            .cloned()
            .collect::<Vec<_>>();
        Value::String(keys.join(", "))
    };
    differ(
        out,
        s,
        "params",
        "order",
        Some(&common(&op, &np)),
        Some(&common(&np, &op)),
    );
}

/// `form`, `json` or the media type itself.
fn media_label(media: &str) -> &str {
    match media {
        "application/x-www-form-urlencoded" => "form",
        "application/json" => "json",
        other => other,
    }
}

fn compare_content(
    out: &mut Out,
    s: &Subject,
    item: &str,
    o: &Map<String, Value>,
    n: &Map<String, Value>,
) {
    let schemas = |m: &Map<String, Value>| -> Map<String, Value> {
        m.iter()
            .map(|(k, v)| (k.clone(), v.get("schema").cloned().unwrap_or(Value::Null)))
            .collect()
    };
    keyed(
        out,
        s,
        |media| format!("{item} {}", media_label(media)),
        &schemas(o),
        &schemas(n),
        |out, item, o, n| compare_schema(out, s, item, o, n),
    );
}

/// Compares two schemas: enum values and required lists as sets, each property on its own
/// (dotted names for nested inline objects, `[]` for array items), descriptions apart, and all
/// other keywords (`type`, `format`, `$ref` and anything beside it, constraints) as JSON.
fn compare_schema(out: &mut Out, s: &Subject, item: &str, o: &Value, n: &Value) {
    if o == n {
        return;
    }
    let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) else {
        add(out, s, item, "schema", Some(o), Some(n));
        return;
    };
    let values = |m: &Map<String, Value>, key: &str| -> Vec<Value> {
        m.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let joined = |v: Vec<&Value>| {
        let texts: Vec<String> = v
            .iter()
            .map(|v| text_of(Some(v)).unwrap_or_default())
            .collect();
        Value::String(texts.join(", "))
    };
    let (oe, ne) = (values(om, "enum"), values(nm, "enum"));
    let added: Vec<&Value> = ne.iter().filter(|v| !oe.contains(v)).collect();
    let removed: Vec<&Value> = oe.iter().filter(|v| !ne.contains(v)).collect();
    if !added.is_empty() {
        add(
            out,
            s,
            item,
            "enum_values_added",
            None,
            Some(&joined(added)),
        );
    }
    if !removed.is_empty() {
        add(
            out,
            s,
            item,
            "enum_values_removed",
            Some(&joined(removed)),
            None,
        );
    }
    let (or, nr) = (values(om, "required"), values(nm, "required"));
    let set = |v: &[Value]| v.iter().map(Value::to_string).collect::<BTreeSet<_>>();
    if set(&or) != set(&nr) {
        add(
            out,
            s,
            item,
            "required",
            Some(&joined(or.iter().collect())),
            Some(&joined(nr.iter().collect())),
        );
    }
    differ(
        out,
        s,
        item,
        "description",
        om.get("description"),
        nm.get("description"),
    );
    let dotted = |name: &str| match item {
        "" => format!("field {name}"),
        _ if item.starts_with("field ") || item.contains(" field ") => format!("{item}.{name}"),
        _ => format!("{item} field {name}"),
    };
    let (op, np) = (object(om.get("properties")), object(nm.get("properties")));
    keyed(out, s, dotted, &op, &np, |out, item, o, n| {
        compare_schema(out, s, item, o, n)
    });
    // `items` on both sides compare as a schema; appearing or disappearing is a keyword change.
    let both_items = om.contains_key("items") && nm.contains_key("items");
    if both_items {
        compare_schema(out, s, &format!("{item}[]"), &om["items"], &nm["items"]);
    }
    let rest = |m: &Map<String, Value>| {
        let mut rest = m.clone();
        for key in ["enum", "required", "description", "properties"] {
            rest.remove(key);
        }
        if both_items {
            rest.remove("items");
        }
        Value::String(compact(&Value::Object(rest)))
    };
    differ(out, s, item, "schema", Some(&rest(om)), Some(&rest(nm)));
}

#[cfg(test)]
mod tests;
