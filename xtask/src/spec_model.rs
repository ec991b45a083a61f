//! The spec as a JSON document: reading it (byte order mark, `$ref` checks) and the keys by
//! which operations, parameters, paths and schema names are matched. The first stage of
//! `spec diff`, below the generated API (`rust_api`) and the comparison (`spec_explain`).

use std::collections::BTreeMap;

use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Reads a spec: JSON (a leading UTF-8 byte order mark is allowed) whose `$ref`s all resolve
/// and do not loop through schemas that are nothing but a `$ref`.
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    if !doc.is_object() {
        return Err("not an OpenAPI document: the top level is not an object".into());
    }
    check_refs(&doc)?;
    Ok(doc)
}

/// `$ref`s to a missing schema, and chains of schemas that are only a `$ref` and come back to
/// where they started (the generator would recurse forever on those), are errors.
fn check_refs(doc: &Value) -> Result<(), String> {
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut refs = Vec::new();
    collect_refs(doc, &mut refs);
    for target in &refs {
        if let Some(name) = target.strip_prefix("#/components/schemas/")
            && !schemas.contains_key(name)
        {
            return Err(format!(
                "$ref {target} points at no schema in components.schemas"
            ));
        }
    }
    let alias_of = |name: &str| -> Option<String> {
        let schema = schemas.get(name)?.as_object()?;
        let target = schema.get("$ref")?.as_str()?;
        target
            .strip_prefix("#/components/schemas/")
            .map(str::to_string)
    };
    for start in schemas.keys() {
        let mut chain = vec![start.clone()];
        let mut current = start.clone();
        while let Some(next) = alias_of(&current) {
            if chain.contains(&next) {
                chain.push(next);
                return Err(format!(
                    "$ref cycle: schema {} refers to itself with no type in between",
                    chain.join(" → ")
                ));
            }
            chain.push(next.clone());
            current = next;
        }
    }
    Ok(())
}

fn collect_refs(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(target)) => into.push(target.clone()),
                    _ => collect_refs(v, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

/// `/v2/Services/{ServiceSid}` → `/v2/Services/{}`: how operations match across specs (and
/// with the generated functions' URLs).
pub fn path_key(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// `METHOD normalized-path` → (path as written, operation with path-level parameters).
pub fn operations(doc: &Value) -> BTreeMap<String, (String, Value)> {
    let mut out = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let shared = item.get("parameters").cloned();
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let mut op = op.clone();
            if let (Some(shared), Some(map)) = (&shared, op.as_object_mut()) {
                let own = map
                    .get("parameters")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let mut all = shared.as_array().cloned().unwrap_or_default();
                all.retain(|p| !own.iter().any(|o| param_key(o) == param_key(p)));
                all.extend(own);
                map.insert("parameters".into(), Value::Array(all));
            }
            if op.get("security").is_none()
                && let (Some(global), Some(map)) = (doc.get("security"), op.as_object_mut())
            {
                map.insert("security".into(), global.clone());
            }
            out.insert(
                format!("{} {}", method.to_uppercase(), path_key(path)),
                (path.clone(), op),
            );
        }
    }
    out
}

/// The number of operations in a spec.
pub fn operation_count(doc: &Value) -> usize {
    operations(doc).len()
}

pub fn param_key(param: &Value) -> String {
    format!(
        "{} {}",
        param["in"].as_str().unwrap_or("?"),
        param["name"].as_str().unwrap_or("?")
    )
}

/// Lower-case letters and digits only: how a Rust type name (`VerifyV2ServiceAccessToken`)
/// and the schema it comes from (`verify.v2.service.access_token`) meet.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
