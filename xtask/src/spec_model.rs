//! Flattens an OpenAPI 3 document into the shapes openapi-generator's `rust` generator turns into
//! Rust: operations (one function each, one positional argument per parameter) and models (one
//! type per schema). Two specs flattened this way compare item by item (see `spec_changes`).
//!
//! A `$ref` to a schema stays a name: the referenced schema is compared once, as its own model,
//! and every operation records the models it reaches so a model change can be traced to it.
//! Nothing here panics on an odd spec; what cannot be read is an error naming where it is.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// The methods a path item can hold, in the order OpenAPI lists them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
/// Deeper nesting or longer `$ref` chains than this are reported as a malformed spec (a `$ref`
/// cycle, most likely) instead of being followed forever.
const MAX_DEPTH: usize = 64;
/// Keywords that constrain values without changing the Rust type the generator emits.
const CONSTRAINTS: [&str; 11] = [
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
];
const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// A spec reduced to what the generated crate is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub operations: BTreeMap<OpKey, Operation>,
    /// Components schemas by name, plus the inline request and response bodies the generator
    /// also turns into models (named like it names them: the schema's `title`, else
    /// `{OperationId}Request` or `{OperationId}{Status}Response`).
    pub models: BTreeMap<String, Model>,
}

/// How operations match across two specs: method and path, with path parameter names blanked so
/// that renaming `{Sid}` keeps the match (the rename then shows as a parameter change).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OpKey {
    pub path: String,
    pub method: String,
}

/// One operation: one generated function.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Upper case, as in `POST`.
    pub method: String,
    /// As the spec writes it.
    pub path: String,
    /// The spec's `operationId`, or the one openapi-generator derives from path and method.
    pub operation_id: String,
    pub operation_id_derived: bool,
    /// The first tag: it names the generated module (`apis::verify_v2_access_token_api`).
    pub tag: Option<String>,
    pub summary: String,
    pub description: String,
    pub deprecated: bool,
    /// In the generated function's argument order.
    pub params: Vec<Param>,
    /// By status code.
    pub responses: BTreeMap<String, Response>,
    /// The status whose body the function returns: the first 2xx with a body, in spec order.
    pub return_code: Option<String>,
    /// Models the request reaches directly (parameters and body).
    pub request_refs: BTreeSet<String>,
    /// Models the responses reach directly.
    pub response_refs: BTreeSet<String>,
}

/// Where a request parameter goes. `Body` is a whole JSON body: one argument whose type is a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
    Form,
    Body,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
            Location::Form => "form",
            Location::Body => "body",
        }
    }
}

/// One argument of the generated function.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub location: Location,
    pub name: String,
    pub prop: Property,
}

/// What parameters and model fields have in common.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub required: bool,
    pub nullable: bool,
    pub ty: Type,
    /// The values of an inline `enum`. Enums behind a `$ref` are models, compared there.
    pub enum_values: Option<Vec<String>>,
    /// `CONSTRAINTS` keywords present, with their JSON values.
    pub constraints: BTreeMap<String, String>,
    pub default: Option<String>,
    pub deprecated: bool,
    pub description: String,
}

/// A type as the spec writes it and as the generated Rust spells it. Only a change of `rust`
/// changes the crate's API; `spec` is what the report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Type {
    pub spec: String,
    pub rust: String,
}

impl Type {
    fn any() -> Type {
        Type {
            spec: "any".into(),
            rust: "serde_json::Value".into(),
        }
    }

    fn model(name: &str) -> Type {
        Type {
            spec: name.to_string(),
            rust: format!("models::{}", rust_type_name(name)),
        }
    }
}

/// One response status of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The JSON body's type; `None` when the response has no body.
    pub ty: Option<Type>,
}

/// One generated model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub rust_name: String,
    /// Where an inline model comes from, e.g. `inline 201 response of CreateChallengePasskeys`.
    pub origin: Option<String>,
    pub description: String,
    pub kind: ModelKind,
    /// Models this one references.
    pub refs: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ModelKind {
    /// A struct. Inline nested objects are flattened into dotted names (`meta.page_size`,
    /// `items[].id`): the generator makes them nested structs, one per parent.
    Object(BTreeMap<String, Property>),
    /// A Rust enum of these values (plus the `Unknown(String)` catch-all the template adds).
    Enum(Vec<String>),
    /// Anything else (a type alias, a free-form object, a composition).
    Other(Type),
}

/// Reads a spec from its bytes.
pub fn parse(bytes: &[u8]) -> Result<Spec, String> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    from_value(&doc)
}

/// Flattens a parsed OpenAPI 3 document.
pub fn from_value(doc: &Value) -> Result<Spec, String> {
    let root = doc.as_object().ok_or("the document is not a JSON object")?;
    match root.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.") => {}
        Some(version) => return Err(format!("unsupported OpenAPI version {version} (want 3.x)")),
        None if root.contains_key("swagger") => {
            return Err("a Swagger 2.0 document; only OpenAPI 3 is supported".into());
        }
        None => return Err("no `openapi` field: not an OpenAPI 3 document".into()),
    }
    let empty = Map::new();
    let schemas = object_at(doc, "/components/schemas", "components.schemas")?.unwrap_or(&empty);
    let paths = object_at(doc, "/paths", "paths")?.unwrap_or(&empty);

    let mut builder = Builder {
        doc,
        schemas,
        models: BTreeMap::new(),
        inline: Vec::new(),
    };
    for (name, schema) in schemas {
        let model = builder.model(name, schema, None)?;
        builder.models.insert(name.clone(), model);
    }

    let mut operations = BTreeMap::new();
    let mut paths_by_key: BTreeMap<OpKey, &str> = BTreeMap::new();
    for (path, item) in paths {
        let item = builder.deref(item, &format!("path {path}"))?;
        let item = item
            .as_object()
            .ok_or_else(|| format!("path {path} is not an object"))?;
        let shared = item.get("parameters");
        for method in METHODS {
            let Some(op) = item.get(method) else {
                continue;
            };
            let what = format!("{} {path}", method.to_uppercase());
            let op = op
                .as_object()
                .ok_or_else(|| format!("{what} is not an object"))?;
            let operation = builder.operation(path, method, op, shared, &what)?;
            let key = OpKey {
                path: normalize_path(path),
                method: method.to_uppercase(),
            };
            if let Some(other) = paths_by_key.insert(key.clone(), path) {
                return Err(format!(
                    "paths {other} and {path} differ only in parameter names; cannot tell their {} operations apart",
                    key.method
                ));
            }
            operations.insert(key, operation);
        }
    }
    Ok(Spec {
        operations,
        models: builder.models,
    })
}

/// `Foo.Bar-baz` → `FooBarBaz`: how openapi-generator's `rust` generator names a model.
pub fn rust_type_name(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .map(upper_first)
        .collect()
}

/// `CreateAccessToken` → `create_access_token`, `Push.IncludeDate` → `push_include_date`: how the
/// generator names functions and arguments.
pub fn rust_snake_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let boundary = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower);
            if boundary && !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out.trim_end_matches('_').to_string()
}

fn upper_first(part: &str) -> String {
    let mut chars = part.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// `/v2/Services/{ServiceSid}` → `/v2/Services/{}`.
fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_braces = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_braces = true;
                out.push('{');
            }
            '}' => {
                in_braces = false;
                out.push('}');
            }
            _ if in_braces => {}
            _ => out.push(c),
        }
    }
    out
}

/// The operationId openapi-generator derives when the spec has none
/// (`DefaultCodegen.getOrGenerateOperationId`): path segments without braces, camel-cased, then
/// the method: `POST /v2/Services/{ServiceSid}` → `v2ServicesServiceSidPost`.
fn derive_operation_id(path: &str, method: &str) -> String {
    let bare = path.replace(['{', '}'], "");
    let mut out = String::new();
    if bare == "/" {
        out.push_str("root");
    }
    for part in format!("{bare}/{method}").split('/') {
        if part.is_empty() {
            continue;
        }
        if out.is_empty() {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_lowercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(&rust_type_name(part));
        }
    }
    out.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    out
}

fn object_at<'a>(
    doc: &'a Value,
    pointer: &str,
    what: &str,
) -> Result<Option<&'a Map<String, Value>>, String> {
    match doc.pointer(pointer) {
        None => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(format!("{what} is not an object")),
    }
}

fn str_field(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn bool_field(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// `type` as a string; OpenAPI 3.1 style `["string", "null"]` gives its first non-null entry.
fn primary_type(schema: &Value) -> Option<&str> {
    match schema.get("type")? {
        Value::String(ty) => Some(ty),
        Value::Array(types) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null"),
        _ => None,
    }
}

fn type_allows_null(schema: &Value) -> bool {
    matches!(schema.get("type"), Some(Value::Array(types)) if types.iter().any(|t| t == "null"))
}

/// The Rust type the generator uses for a scalar: its type mapping for the `rust` generator.
fn rust_scalar(ty: &str, format: Option<&str>) -> String {
    match (ty, format) {
        ("string", Some("date-time")) => "chrono::DateTime".into(),
        ("string", Some("uuid")) => "uuid::Uuid".into(),
        ("string", Some("binary")) => "std::path::PathBuf".into(),
        ("string", _) => "String".into(),
        ("integer", Some("int64")) => "i64".into(),
        ("integer", _) => "i32".into(),
        ("number", Some("float")) => "f32".into(),
        ("number", _) => "f64".into(),
        ("boolean", _) => "bool".into(),
        (other, _) => other.to_string(),
    }
}

fn has_properties(schema: &Value) -> bool {
    schema.get("properties").is_some()
}

/// A components schema the generator does not turn into a type of its own but substitutes
/// where it is referenced (a plain string, integer, array, …).
fn is_alias(schema: &Value) -> bool {
    schema.get("enum").is_none()
        && !has_properties(schema)
        && ["allOf", "oneOf", "anyOf"]
            .iter()
            .all(|k| schema.get(k).is_none())
        && matches!(
            primary_type(schema),
            Some("string" | "integer" | "number" | "boolean" | "array")
        )
}

/// Every components schema named by a `$ref` anywhere inside `value`.
fn collect_refs(value: &Value, into: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix(SCHEMA_REF_PREFIX) {
                            into.insert(unescape_pointer(name));
                        }
                    }
                    // Examples are data, not schemas.
                    ("example" | "examples", _) => {}
                    _ => collect_refs(inner, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

fn unescape_pointer(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn json_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether a type goes into a parameter or a model field: the generator passes an inline enum
/// parameter as a plain string but makes an inline enum field a nested Rust enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Param,
    Field,
}

#[derive(Debug)]
struct Builder<'a> {
    doc: &'a Value,
    schemas: &'a Map<String, Value>,
    models: BTreeMap<String, Model>,
    /// Inline body schemas already made models: the generator reuses one model for identical
    /// inline schemas (`UpdateChallengePasskeys` returns `CreateChallengePasskeys201Response`).
    inline: Vec<(&'a Value, String)>,
}

impl<'a> Builder<'a> {
    /// Follows `$ref`s to parameters, request bodies, responses or path items.
    fn deref(&self, value: &'a Value, what: &str) -> Result<&'a Value, String> {
        let mut current = value;
        for _ in 0..MAX_DEPTH {
            let Some(reference) = current.get("$ref") else {
                return Ok(current);
            };
            let reference = reference
                .as_str()
                .ok_or_else(|| format!("{what}: $ref is not a string"))?;
            let pointer = reference
                .strip_prefix('#')
                .ok_or_else(|| format!("{what}: external $ref {reference} is not supported"))?;
            current = self
                .doc
                .pointer(pointer)
                .ok_or_else(|| format!("{what}: $ref {reference} points to nothing"))?;
        }
        Err(format!(
            "{what}: $ref chain longer than {MAX_DEPTH} (a $ref cycle?)"
        ))
    }

    /// The components schema a schema `$ref` names.
    fn schema_ref(&self, reference: &Value, what: &str) -> Result<(String, &'a Value), String> {
        let reference = reference
            .as_str()
            .ok_or_else(|| format!("{what}: $ref is not a string"))?;
        let name = reference
            .strip_prefix(SCHEMA_REF_PREFIX)
            .filter(|name| !name.contains('/'))
            .ok_or_else(|| {
                format!("{what}: $ref {reference} is not a `{SCHEMA_REF_PREFIX}NAME` reference")
            })?;
        let name = unescape_pointer(name);
        let schema = self
            .schemas
            .get(&name)
            .ok_or_else(|| format!("{what}: $ref {reference} points to no schema"))?;
        Ok((name, schema))
    }

    /// A schema with its `$ref` chain followed to the schema that says something.
    fn resolve_schema(&self, schema: &'a Value, what: &str) -> Result<&'a Value, String> {
        let mut current = schema;
        for _ in 0..MAX_DEPTH {
            match current.get("$ref") {
                None => return Ok(current),
                Some(reference) => current = self.schema_ref(reference, what)?.1,
            }
        }
        Err(format!(
            "{what}: $ref chain longer than {MAX_DEPTH} (a $ref cycle?)"
        ))
    }

    fn type_of(&self, schema: &Value, ctx: Ctx, what: &str, depth: usize) -> Result<Type, String> {
        if depth > MAX_DEPTH {
            return Err(format!(
                "{what}: schema nested deeper than {MAX_DEPTH} levels (a $ref cycle?)"
            ));
        }
        match schema {
            Value::Object(_) => {}
            // OpenAPI 3.1 boolean schemas: `true` accepts anything.
            Value::Bool(true) => return Ok(Type::any()),
            _ => return Err(format!("{what}: schema is not an object")),
        }
        if let Some(reference) = schema.get("$ref") {
            let (name, target) = self.schema_ref(reference, what)?;
            if is_alias(target) {
                let inner = self.type_of(target, ctx, what, depth + 1)?;
                return Ok(Type {
                    spec: format!("{name} (= {})", inner.spec),
                    rust: inner.rust,
                });
            }
            return Ok(Type::model(&name));
        }
        for keyword in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = schema.get(keyword) {
                let list = list
                    .as_array()
                    .ok_or_else(|| format!("{what}: {keyword} is not a list"))?;
                let parts = list
                    .iter()
                    .map(|s| self.type_of(s, Ctx::Field, what, depth + 1).map(|t| t.spec))
                    .collect::<Result<Vec<_>, _>>()?;
                let spec = format!("{keyword}[{}]", parts.join(", "));
                return Ok(Type {
                    rust: spec.clone(),
                    spec,
                });
            }
        }
        let format = schema.get("format").and_then(Value::as_str);
        let with_format = |ty: &str| match format {
            Some(f) => format!("{ty}({f})"),
            None => ty.to_string(),
        };
        if schema.get("enum").is_some() {
            let base = primary_type(schema).unwrap_or("string");
            let rust = match ctx {
                Ctx::Param => rust_scalar(base, format),
                Ctx::Field => format!("nested enum of {}", rust_scalar(base, format)),
            };
            return Ok(Type {
                spec: format!("{} enum", with_format(base)),
                rust,
            });
        }
        match primary_type(schema) {
            Some("array") => {
                let inner = match schema.get("items") {
                    Some(items) => self.type_of(items, ctx, what, depth + 1)?,
                    None => Type::any(),
                };
                Ok(Type {
                    spec: format!("array<{}>", inner.spec),
                    rust: format!("Vec<{}>", inner.rust),
                })
            }
            Some("object") | None if has_properties(schema) => Ok(Type {
                spec: with_format("object"),
                rust: "nested struct".into(),
            }),
            Some("object") => match schema.get("additionalProperties") {
                Some(inner @ Value::Object(_)) => {
                    let inner = self.type_of(inner, ctx, what, depth + 1)?;
                    Ok(Type {
                        spec: format!("map<{}>", inner.spec),
                        rust: format!("HashMap<String, {}>", inner.rust),
                    })
                }
                _ => Ok(Type {
                    spec: with_format("object"),
                    rust: "serde_json::Value".into(),
                }),
            },
            Some(ty) => Ok(Type {
                spec: with_format(ty),
                rust: rust_scalar(ty, format),
            }),
            None => Ok(Type::any()),
        }
    }

    fn property(
        &self,
        schema: &'a Value,
        required: bool,
        ctx: Ctx,
        what: &str,
    ) -> Result<Property, String> {
        let ty = self.type_of(schema, ctx, what, 0)?;
        // OpenAPI 3.0: "properties added [beside $ref] SHALL be ignored", and the generator does
        // ignore them, so nullability and constraints come from the referenced schema.
        let effective = self.resolve_schema(schema, what)?;
        let enum_values = match schema.get("enum") {
            None => None,
            Some(Value::Array(values)) => Some(values.iter().map(json_text).collect()),
            Some(_) => return Err(format!("{what}: enum is not a list")),
        };
        let constraints = CONSTRAINTS
            .iter()
            .filter_map(|k| effective.get(*k).map(|v| (k.to_string(), json_text(v))))
            .collect();
        Ok(Property {
            required,
            nullable: bool_field(effective, "nullable") || type_allows_null(effective),
            ty,
            enum_values,
            constraints,
            default: effective.get("default").map(json_text),
            deprecated: bool_field(effective, "deprecated"),
            description: str_field(schema, "description"),
        })
    }

    /// The fields of an object schema, nested inline objects flattened into dotted names.
    fn fields(
        &self,
        schema: &'a Value,
        prefix: &str,
        what: &str,
        depth: usize,
        out: &mut BTreeMap<String, Property>,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!(
                "{what}: objects nested deeper than {MAX_DEPTH} levels"
            ));
        }
        let required: BTreeSet<&str> = match schema.get("required") {
            None => BTreeSet::new(),
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
            Some(_) => return Err(format!("{what}: required is not a list")),
        };
        let properties = match schema.get("properties") {
            None => return Ok(()),
            Some(Value::Object(properties)) => properties,
            Some(_) => return Err(format!("{what}: properties is not an object")),
        };
        for (name, prop) in properties {
            let key = format!("{prefix}{name}");
            let field_what = format!("{what} field {key}");
            let property = self.property(
                prop,
                required.contains(name.as_str()),
                Ctx::Field,
                &field_what,
            )?;
            out.insert(key.clone(), property);
            if prop.get("$ref").is_some() {
                continue;
            }
            if has_properties(prop) {
                self.fields(prop, &format!("{key}."), what, depth + 1, out)?;
            } else if let Some(items) = prop.get("items").filter(|i| has_properties(i)) {
                self.fields(items, &format!("{key}[]."), what, depth + 1, out)?;
            }
        }
        Ok(())
    }

    fn model(
        &self,
        name: &str,
        schema: &'a Value,
        origin: Option<String>,
    ) -> Result<Model, String> {
        let what = match &origin {
            Some(origin) => format!("model {name} ({origin})"),
            None => format!("schema {name}"),
        };
        let kind = if has_properties(schema) {
            let mut fields = BTreeMap::new();
            self.fields(schema, "", &what, 0, &mut fields)?;
            ModelKind::Object(fields)
        } else if let Some(values) = schema.get("enum") {
            let values = values
                .as_array()
                .ok_or_else(|| format!("{what}: enum is not a list"))?;
            ModelKind::Enum(values.iter().map(json_text).collect())
        } else {
            ModelKind::Other(self.type_of(schema, Ctx::Field, &what, 0)?)
        };
        let mut refs = BTreeSet::new();
        collect_refs(schema, &mut refs);
        Ok(Model {
            rust_name: rust_type_name(name),
            origin,
            description: str_field(schema, "description"),
            kind,
            refs,
        })
    }

    /// Registers an inline body schema as a model, the way the generator names it.
    fn inline_model(
        &mut self,
        schema: &'a Value,
        fallback_name: String,
        origin: String,
    ) -> Result<String, String> {
        if let Some((_, name)) = self.inline.iter().find(|(seen, _)| *seen == schema) {
            return Ok(name.clone());
        }
        let preferred = schema
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or(fallback_name);
        let mut name = preferred.clone();
        let mut n = 0;
        while self.models.contains_key(&name) || self.schemas.contains_key(&name) {
            n += 1;
            name = format!("{preferred}_{n}");
        }
        let model = self.model(&name, schema, Some(origin))?;
        self.models.insert(name.clone(), model);
        self.inline.push((schema, name.clone()));
        Ok(name)
    }

    /// The type of a request or response body; an inline object becomes a model of its own.
    fn body_type(
        &mut self,
        schema: &'a Value,
        fallback_name: String,
        origin: String,
        what: &str,
        refs: &mut BTreeSet<String>,
    ) -> Result<Type, String> {
        collect_refs(schema, refs);
        if schema.get("$ref").is_none() && has_properties(schema) {
            let name = self.inline_model(schema, fallback_name, origin)?;
            refs.insert(name.clone());
            return Ok(Type::model(&name));
        }
        self.type_of(schema, Ctx::Field, what, 0)
    }

    fn param(&self, raw: &'a Value, what: &str) -> Result<Param, String> {
        let raw = self.deref(raw, what)?;
        let name = raw
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{what}: a parameter has no name"))?;
        let what = format!("{what} parameter {name}");
        let location = match raw.get("in").and_then(Value::as_str) {
            Some("path") => Location::Path,
            Some("query") => Location::Query,
            Some("header") => Location::Header,
            Some("cookie") => Location::Cookie,
            other => return Err(format!("{what}: unknown location {other:?}")),
        };
        // Path parameters are always required (OpenAPI says so and the generator assumes it).
        let required = location == Location::Path || bool_field(raw, "required");
        static ANY: Value = Value::Bool(true);
        let schema = match (raw.get("schema"), raw.get("content")) {
            (Some(schema), _) => schema,
            (None, Some(Value::Object(content))) => content
                .values()
                .next()
                .and_then(|media| media.get("schema"))
                .unwrap_or(&ANY),
            _ => &ANY,
        };
        let mut prop = self.property(schema, required, Ctx::Param, &what)?;
        prop.description = str_field(raw, "description");
        prop.deprecated |= bool_field(raw, "deprecated");
        Ok(Param {
            location,
            name: name.to_string(),
            prop,
        })
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &'a Map<String, Value>,
        shared: Option<&'a Value>,
        what: &str,
    ) -> Result<Operation, String> {
        let (operation_id, operation_id_derived) =
            match op.get("operationId").and_then(Value::as_str) {
                Some(id) => (id.to_string(), false),
                None => (derive_operation_id(path, method), true),
            };
        let as_list = |value: Option<&'a Value>, whose: &str| -> Result<&'a [Value], String> {
            match value {
                None => Ok(&[]),
                Some(Value::Array(list)) => Ok(list),
                Some(_) => Err(format!("{whose}: parameters is not a list")),
            }
        };

        // Operation parameters first, then the path item's that they do not override: the
        // order openapi-generator builds the argument list in.
        let mut params = Vec::new();
        for raw in as_list(op.get("parameters"), what)? {
            params.push(self.param(raw, what)?);
        }
        for raw in as_list(shared, &format!("path {path}"))? {
            let param = self.param(raw, what)?;
            if !params
                .iter()
                .any(|p: &Param| p.location == param.location && p.name == param.name)
            {
                params.push(param);
            }
        }
        let mut request_refs = BTreeSet::new();
        for param in op.get("parameters").into_iter().chain(shared) {
            collect_refs(param, &mut request_refs);
        }

        if let Some(body) = op.get("requestBody") {
            let body_what = format!("{what} request body");
            let body = self.deref(body, &body_what)?;
            let content = match body.get("content") {
                Some(Value::Object(content)) => Some(content),
                None => None,
                Some(_) => return Err(format!("{body_what}: content is not an object")),
            };
            let media_type = |ct: &str| content.and_then(|c| c.get(ct));
            let form = media_type("application/x-www-form-urlencoded")
                .or_else(|| media_type("multipart/form-data"));
            if let Some(form) = form {
                // Form bodies: one argument per field.
                if let Some(schema) = form.get("schema") {
                    collect_refs(schema, &mut request_refs);
                    let schema = self.resolve_schema(schema, &body_what)?;
                    let required: BTreeSet<&str> = match schema.get("required") {
                        Some(Value::Array(names)) => {
                            names.iter().filter_map(Value::as_str).collect()
                        }
                        _ => BTreeSet::new(),
                    };
                    if let Some(properties) = schema.get("properties") {
                        let properties = properties
                            .as_object()
                            .ok_or_else(|| format!("{body_what}: properties is not an object"))?;
                        for (name, prop) in properties {
                            let field_what = format!("{body_what} field {name}");
                            let prop = self.property(
                                prop,
                                required.contains(name.as_str()),
                                Ctx::Param,
                                &field_what,
                            )?;
                            params.push(Param {
                                location: Location::Form,
                                name: name.clone(),
                                prop,
                            });
                        }
                    }
                }
            } else if let Some(media) =
                media_type("application/json").or_else(|| content.and_then(|c| c.values().next()))
            {
                // Any other body: one argument, a model.
                let ty = match media.get("schema") {
                    Some(schema) => self.body_type(
                        schema,
                        format!("{operation_id}Request"),
                        format!("inline request body of {operation_id}"),
                        &body_what,
                        &mut request_refs,
                    )?,
                    None => Type::any(),
                };
                params.push(Param {
                    location: Location::Body,
                    name: "body".into(),
                    prop: Property {
                        required: bool_field(body, "required"),
                        nullable: false,
                        ty,
                        enum_values: None,
                        constraints: BTreeMap::new(),
                        default: None,
                        deprecated: false,
                        description: str_field(body, "description"),
                    },
                });
            }
        }
        // `sortParamsByRequiredFlag` (on by default): required arguments first, otherwise in
        // the order above. `sort_by_key` is stable, like the generator's sort.
        params.sort_by_key(|p| !p.prop.required);

        let mut responses = BTreeMap::new();
        let mut return_code = None;
        let mut response_refs = BTreeSet::new();
        let listed = match op.get("responses") {
            None => None,
            Some(Value::Object(listed)) => Some(listed),
            Some(_) => return Err(format!("{what}: responses is not an object")),
        };
        for (code, response) in listed.into_iter().flatten() {
            let response_what = format!("{what} response {code}");
            let response = self.deref(response, &response_what)?;
            let media = match response.get("content") {
                Some(Value::Object(content)) => content
                    .get("application/json")
                    .or_else(|| content.values().next()),
                _ => None,
            };
            let ty = match media.and_then(|m| m.get("schema")) {
                Some(schema) => Some(self.body_type(
                    schema,
                    format!("{operation_id}{code}Response"),
                    format!("inline {code} response of {operation_id}"),
                    &response_what,
                    &mut response_refs,
                )?),
                None => None,
            };
            if return_code.is_none() && code.starts_with('2') && ty.is_some() {
                return_code = Some(code.clone());
            }
            responses.insert(code.clone(), Response { ty });
        }

        Ok(Operation {
            method: method.to_uppercase(),
            path: path.to_string(),
            operation_id,
            operation_id_derived,
            tag: op
                .get("tags")
                .and_then(|t| t.get(0))
                .and_then(Value::as_str)
                .map(str::to_string),
            summary: op
                .get("summary")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            description: op
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            deprecated: op
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            params,
            responses,
            return_code,
            request_refs,
            response_refs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.1", "paths": paths, "components": {"schemas": schemas}})
    }

    fn err(value: Value) -> String {
        from_value(&value).unwrap_err()
    }

    #[test]
    fn an_operation_becomes_arguments_in_generator_order() {
        let spec = from_value(&doc(
            json!({"/v2/Services/{ServiceSid}/AccessTokens": {
                "parameters": [{"name": "X-Shared", "in": "header", "schema": {"type": "string"}}],
                "post": {
                    "operationId": "CreateAccessToken",
                    "tags": ["VerifyV2AccessToken", "Other"],
                    "parameters": [
                        {"name": "Dry", "in": "query", "schema": {"type": "boolean"}},
                        {"name": "ServiceSid", "in": "path", "schema": {"type": "string", "pattern": "^VA"}}
                    ],
                    "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
                        "type": "object",
                        "properties": {
                            "Ttl": {"type": "integer", "nullable": true},
                            "Identity": {"type": "string"},
                            "Kind": {"type": "string", "enum": ["push", "totp"]}
                        },
                        "required": ["Identity"]
                    }}}},
                    "responses": {"201": {"content": {"application/json": {"schema": {"type": "string", "format": "date-time"}}}}}
                }
            }}),
            json!({}),
        ))
        .unwrap();
        let key = OpKey {
            path: "/v2/Services/{}/AccessTokens".into(),
            method: "POST".into(),
        };
        let op = &spec.operations[&key];
        assert_eq!(op.operation_id, "CreateAccessToken");
        assert!(!op.operation_id_derived);
        assert_eq!(op.tag.as_deref(), Some("VerifyV2AccessToken"));
        let args: Vec<(Location, &str, bool)> = op
            .params
            .iter()
            .map(|p| (p.location, p.name.as_str(), p.prop.required))
            .collect();
        // Spec order (operation, then shared, then form fields), required ones first.
        assert_eq!(
            args,
            vec![
                (Location::Path, "ServiceSid", true),
                (Location::Form, "Identity", true),
                (Location::Query, "Dry", false),
                (Location::Header, "X-Shared", false),
                (Location::Form, "Ttl", false),
                (Location::Form, "Kind", false),
            ]
        );
        let param = |name: &str| &op.params.iter().find(|p| p.name == name).unwrap().prop;
        assert_eq!(param("ServiceSid").constraints["pattern"], "^VA");
        assert_eq!(param("Ttl").ty.rust, "i32");
        assert!(param("Ttl").nullable);
        // An inline enum argument is a plain string in the generated function.
        assert_eq!(param("Kind").ty.rust, "String");
        assert_eq!(param("Kind").ty.spec, "string enum");
        assert_eq!(
            param("Kind").enum_values,
            Some(vec!["push".into(), "totp".into()])
        );
        assert_eq!(op.return_code.as_deref(), Some("201"));
        assert_eq!(
            op.responses["201"].ty.as_ref().unwrap().rust,
            "chrono::DateTime"
        );
    }

    #[test]
    fn schemas_and_inline_bodies_become_models() {
        let page = json!({"type": "object", "properties": {
            "items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}},
            "meta": {"type": "object", "properties": {"page_size": {"type": "integer", "format": "int64"}}},
            "factor": {"$ref": "#/components/schemas/verify.v2.factor"}
        }});
        let spec = from_value(&doc(
            json!({
                "/a": {"get": {"operationId": "ListA", "responses": {"200": {"content": {"application/json": {"schema": page.clone()}}}}}},
                "/b": {"get": {"operationId": "ListB", "responses": {"200": {"content": {"application/json": {"schema": page}}}}}},
                "/c": {"post": {"operationId": "CreateC", "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "title": "CreateCRequest", "properties": {"name": {"type": "string"}}}}}}}}
            }),
            json!({
                "verify.v2.factor": {"type": "object", "description": "A factor", "properties": {
                    "status": {"type": "string", "enum": ["verified"], "nullable": true},
                    "type": {"$ref": "#/components/schemas/factor_enum_types"}
                }, "required": ["type"]},
                "factor_enum_types": {"type": "string", "enum": ["push", "totp"]}
            }),
        ))
        .unwrap();
        let names: Vec<&str> = spec.models.keys().map(String::as_str).collect();
        // ListB's body is identical to ListA's: the generator reuses ListA200Response.
        assert_eq!(
            names,
            vec![
                "CreateCRequest",
                "ListA200Response",
                "factor_enum_types",
                "verify.v2.factor"
            ]
        );
        let list_b = spec
            .operations
            .values()
            .find(|o| o.operation_id == "ListB")
            .unwrap();
        assert_eq!(
            list_b.responses["200"].ty.as_ref().unwrap().rust,
            "models::ListA200Response"
        );
        assert!(list_b.response_refs.contains("verify.v2.factor"));

        let ModelKind::Object(fields) = &spec.models["ListA200Response"].kind else {
            panic!("not a struct")
        };
        let field_names: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(
            field_names,
            vec!["factor", "items", "items[].id", "meta", "meta.page_size"]
        );
        assert_eq!(fields["meta.page_size"].ty.rust, "i64");
        assert_eq!(fields["factor"].ty.rust, "models::VerifyV2Factor");

        let factor = &spec.models["verify.v2.factor"];
        assert_eq!(factor.rust_name, "VerifyV2Factor");
        assert_eq!(factor.description, "A factor");
        let ModelKind::Object(fields) = &factor.kind else {
            panic!("not a struct")
        };
        assert_eq!(fields["status"].ty.rust, "nested enum of String");
        assert!(fields["type"].required && !fields["type"].nullable);
        assert!(factor.refs.contains("factor_enum_types"));
        assert_eq!(
            spec.models["factor_enum_types"].kind,
            ModelKind::Enum(vec!["push".into(), "totp".into()])
        );
        let create = spec
            .operations
            .values()
            .find(|o| o.operation_id == "CreateC")
            .unwrap();
        assert_eq!(create.params[0].location, Location::Body);
        assert_eq!(create.params[0].prop.ty.rust, "models::CreateCRequest");
        assert!(create.request_refs.contains("CreateCRequest"));
    }

    #[test]
    fn missing_operation_ids_are_derived_like_openapi_generator() {
        let spec = from_value(&doc(
            json!({"/v2/Services/{ServiceSid}/AccessTokens": {"post": {}}, "/": {"get": {}}}),
            json!({}),
        ))
        .unwrap();
        let ids: Vec<&str> = spec
            .operations
            .values()
            .map(|o| o.operation_id.as_str())
            .collect();
        assert_eq!(ids, vec!["rootGet", "v2ServicesServiceSidAccessTokensPost"]);
        assert!(spec.operations.values().all(|o| o.operation_id_derived));
    }

    #[test]
    fn aliases_are_substituted_and_ref_cycles_are_errors() {
        let spec = from_value(&doc(
            json!({}),
            json!({
                "sid": {"type": "string", "pattern": "^VA"},
                "holder": {"type": "object", "properties": {"sid": {"$ref": "#/components/schemas/sid"}}},
                "tree": {"type": "object", "properties": {"child": {"$ref": "#/components/schemas/tree"}}}
            }),
        ))
        .unwrap();
        let ModelKind::Object(fields) = &spec.models["holder"].kind else {
            panic!("not a struct")
        };
        assert_eq!(fields["sid"].ty.rust, "String");
        assert_eq!(fields["sid"].constraints["pattern"], "^VA");
        // A struct that contains itself is fine: references stay names.
        assert!(spec.models["tree"].refs.contains("tree"));

        let cycle = err(doc(
            json!({}),
            json!({
                "a": {"$ref": "#/components/schemas/b"},
                "b": {"$ref": "#/components/schemas/a"},
                "user": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/a"}}}
            }),
        ));
        assert!(cycle.contains("cycle"), "{cycle}");
    }

    #[test]
    fn odd_specs_are_errors_that_say_where() {
        assert!(parse(b"{").unwrap_err().starts_with("not JSON"));
        assert!(err(json!([])).contains("not a JSON object"));
        assert!(err(json!({"swagger": "2.0"})).contains("Swagger 2.0"));
        assert!(err(json!({"openapi": "4.0.0"})).contains("4.0.0"));
        assert!(err(json!({"openapi": "3.0.1", "paths": []})).contains("paths is not an object"));
        let dangling = err(doc(
            json!({"/x": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/nope"}}}}}}}}),
            json!({}),
        ));
        assert!(
            dangling.contains("GET /x response 200") && dangling.contains("nope"),
            "{dangling}"
        );
        let external = err(doc(
            json!({"/x": {"get": {"parameters": [{"$ref": "other.json#/p"}]}}}),
            json!({}),
        ));
        assert!(
            external.contains("external $ref other.json#/p"),
            "{external}"
        );
        let nameless = err(doc(
            json!({"/x": {"get": {"parameters": [{"in": "query"}]}}}),
            json!({}),
        ));
        assert!(
            nameless.contains("GET /x") && nameless.contains("no name"),
            "{nameless}"
        );
        let location = err(doc(
            json!({"/x": {"get": {"parameters": [{"name": "a", "in": "body"}]}}}),
            json!({}),
        ));
        assert!(location.contains("parameter a"), "{location}");
        let twins = err(doc(
            json!({"/x/{a}": {"get": {}}, "/x/{b}": {"get": {}}}),
            json!({}),
        ));
        assert!(twins.contains("differ only in parameter names"), "{twins}");
        let not_object = err(doc(
            json!({}),
            json!({"s": {"type": "object", "properties": {"x": 5}}}),
        ));
        assert!(not_object.contains("schema s field x"), "{not_object}");
    }

    #[test]
    fn parameters_and_bodies_can_be_references() {
        let spec = from_value(&json!({
            "openapi": "3.0.1",
            "paths": {"/x": {"post": {
                "operationId": "CreateX",
                "parameters": [{"$ref": "#/components/parameters/Page"}],
                "requestBody": {"$ref": "#/components/requestBodies/X"},
                "responses": {"200": {"$ref": "#/components/responses/X"}}
            }}},
            "components": {
                "parameters": {"Page": {"name": "Page", "in": "query", "schema": {"type": "integer"}}},
                "requestBodies": {"X": {"content": {"application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/XForm"}}}}},
                "responses": {"X": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/XForm"}}}}},
                "schemas": {"XForm": {"type": "object", "properties": {"Name": {"type": "string"}}}}
            }
        }))
        .unwrap();
        let op = spec.operations.values().next().unwrap();
        let names: Vec<&str> = op.params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["Page", "Name"]);
        assert!(op.request_refs.contains("XForm") && op.response_refs.contains("XForm"));
    }

    #[test]
    fn rust_names() {
        assert_eq!(
            rust_type_name("verify.v2.service.access_token"),
            "VerifyV2ServiceAccessToken"
        );
        assert_eq!(rust_type_name("ListServiceResponse"), "ListServiceResponse");
        assert_eq!(rust_snake_name("CreateAccessToken"), "create_access_token");
        assert_eq!(rust_snake_name("Push.IncludeDate"), "push_include_date");
        assert_eq!(rust_snake_name("SMSCode"), "sms_code");
        assert_eq!(normalize_path("/v2/Services/{Sid}/x"), "/v2/Services/{}/x");
    }
}
