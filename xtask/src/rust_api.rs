//! The public Rust API of a generated `verify-v2` crate, read from its sources with `syn`:
//! what a caller can name and call, which is what decides whether a spec update breaks them.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::visit::Visit;

use crate::tree::Tree;

/// Everything public in `apis::` and `models::` that a caller sees.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Api {
    /// `apis` modules (`verify_v2_access_token_api`), including those without functions.
    pub modules: BTreeSet<String>,
    /// Keyed `module::function`.
    pub functions: BTreeMap<String, Function>,
    /// Keyed by the path a caller writes: `models::Name`, `models::file::Name` for types not
    /// re-exported, `apis::module::NameError` for error enums.
    pub types: BTreeMap<String, TypeDef>,
    /// The module each type is defined in (`models::file`, `apis::module`), where the names
    /// its fields use resolve.
    pub module_of: BTreeMap<String, String>,
}

/// A generated API function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// `(name, type)` in order, `configuration` included.
    pub args: Vec<(String, String)>,
    pub returns: String,
    /// `POST /v2/Services/{}/AccessTokens`: what the body sends (path parameters as `{}`).
    pub endpoint: String,
    /// `Configuration` credentials the body sends: `basic_auth`, `bearer_access_token`, …
    pub auth: BTreeSet<String>,
    /// The doc comment, whitespace-normalized.
    pub doc: String,
}

/// A public type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeDef {
    Struct {
        /// `(name, type, wire name)` in order.
        fields: Vec<Field>,
        /// Arguments of `new()`, when the type has one.
        new_args: Option<Vec<(String, String)>>,
        doc: String,
    },
    Enum {
        variants: Vec<Variant>,
        doc: String,
    },
    Alias {
        target: String,
        doc: String,
    },
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub ty: String,
    /// `#[serde(rename = …)]`: the JSON key.
    pub wire: Option<String>,
    pub doc: String,
}

/// An enum variant: `Push`, `Status429(models::X)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The variant as written, with its payload types.
    pub name: String,
    /// `#[serde(rename = …)]`: the JSON value.
    pub wire: Option<String>,
}

impl TypeDef {
    pub fn kind(&self) -> &'static str {
        match self {
            TypeDef::Struct { .. } => "struct",
            TypeDef::Enum { .. } => "enum",
            TypeDef::Alias { .. } => "type alias",
        }
    }

    /// Every type this one mentions (fields, payloads, alias target).
    pub fn mentions(&self) -> Vec<&str> {
        match self {
            TypeDef::Struct { fields, .. } => fields.iter().map(|f| f.ty.as_str()).collect(),
            TypeDef::Enum { variants, .. } => variants.iter().map(|v| v.name.as_str()).collect(),
            TypeDef::Alias { target, .. } => vec![target],
        }
    }
}

/// Reads the API from a generated crate (paths relative to the crate root).
pub fn read(files: &Tree) -> Result<Api, String> {
    let mut api = Api::default();
    let reexported = reexports(files, "src/models/mod.rs")?;
    for (path, bytes) in files {
        let (dir, module) = match path.strip_prefix("src/apis/") {
            Some(file) => ("apis", file),
            None => match path.strip_prefix("src/models/") {
                Some(file) => ("models", file),
                None => continue,
            },
        };
        let Some(module) = module.strip_suffix(".rs") else {
            continue;
        };
        if module == "mod" || module.contains('/') {
            continue;
        }
        let file = parse(path, bytes)?;
        if dir == "apis" {
            if module != "configuration" {
                api.modules.insert(module.to_string());
            }
            read_items(&file, &format!("apis::{module}"), &mut api, |_| true);
            for item in &file.items {
                if let syn::Item::Fn(f) = item
                    && is_pub(&f.vis)
                {
                    api.functions
                        .insert(format!("{module}::{}", f.sig.ident), function(f));
                }
            }
        } else {
            read_items(&file, &format!("models::{module}"), &mut api, |name| {
                reexported.contains(&(module.to_string(), name.to_string()))
            });
        }
    }
    // The template's split of each operation `op` into `op_request` and `op_response`
    // (docs/regenerating.md) repeats `op`'s parameters and return type: a change to either is
    // a change to `op`, reported once, under `op`. What the request half sends (method, URL,
    // credentials) is `op`'s, since `op` only calls it.
    let split: Vec<String> = api
        .functions
        .keys()
        .filter(|name| split_base(name).is_some_and(|base| api.functions.contains_key(base)))
        .cloned()
        .collect();
    for name in split {
        let half = api.functions.remove(&name).expect("listed above");
        let base = split_base(&name).expect("listed above");
        if let Some(op) = api.functions.get_mut(base)
            && name.ends_with("_request")
        {
            op.endpoint = half.endpoint;
            op.auth.extend(half.auth);
        }
    }
    Ok(api)
}

/// `module::op` for `module::op_request` or `module::op_response`, the two halves the template
/// patch generates beside each operation; `None` for any other name.
pub fn split_base(function: &str) -> Option<&str> {
    function
        .strip_suffix("_request")
        .or_else(|| function.strip_suffix("_response"))
}

fn parse(path: &str, bytes: &[u8]) -> Result<syn::File, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("{path} is not UTF-8: {e}"))?;
    syn::parse_file(text).map_err(|e| format!("cannot parse the generated {path}: {e}"))
}

/// `pub use self::file::Name;` lines of a `mod.rs`, as `(file, Name)`.
fn reexports(files: &Tree, path: &str) -> Result<BTreeSet<(String, String)>, String> {
    let Some(bytes) = files.get(path) else {
        return Ok(BTreeSet::new());
    };
    let mut out = BTreeSet::new();
    for item in parse(path, bytes)?.items {
        if let syn::Item::Use(u) = item {
            let text = tokens(&u.tree);
            let mut parts = text.split("::");
            if let (Some("self"), Some(file), Some(name), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            {
                out.insert((file.to_string(), name.to_string()));
            }
        }
    }
    Ok(out)
}

/// Public structs, enums, aliases and `new()` constructors of one file. Types re-exported
/// from `mod.rs` are keyed under the parent (`models::Name`).
fn read_items(file: &syn::File, module: &str, api: &mut Api, reexported: impl Fn(&str) -> bool) {
    let parent = module.split("::").next().unwrap_or(module);
    let key = |name: &str| {
        if parent == "models" && reexported(name) {
            format!("models::{name}")
        } else {
            format!("{module}::{name}")
        }
    };
    for item in &file.items {
        let name = match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => &s.ident,
            syn::Item::Enum(e) if is_pub(&e.vis) => &e.ident,
            syn::Item::Type(t) if is_pub(&t.vis) => &t.ident,
            _ => continue,
        };
        api.module_of
            .insert(key(&name.to_string()), module.to_string());
    }
    for item in &file.items {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let fields = s
                    .fields
                    .iter()
                    .filter(|f| is_pub(&f.vis))
                    .enumerate()
                    .map(|(i, f)| Field {
                        name: f
                            .ident
                            .as_ref()
                            .map_or_else(|| i.to_string(), ToString::to_string),
                        ty: tokens(&f.ty),
                        wire: serde_rename(&f.attrs),
                        doc: doc(&f.attrs),
                    })
                    .collect();
                api.types.insert(
                    key(&s.ident.to_string()),
                    TypeDef::Struct {
                        fields,
                        new_args: None,
                        doc: doc(&s.attrs),
                    },
                );
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let variants = e
                    .variants
                    .iter()
                    .map(|v| {
                        let mut name = v.ident.to_string();
                        if !v.fields.is_empty() {
                            name.push_str(&tokens(&v.fields));
                        }
                        Variant {
                            name,
                            wire: serde_rename(&v.attrs),
                        }
                    })
                    .collect();
                api.types.insert(
                    key(&e.ident.to_string()),
                    TypeDef::Enum {
                        variants,
                        doc: doc(&e.attrs),
                    },
                );
            }
            syn::Item::Type(t) if is_pub(&t.vis) => {
                api.types.insert(
                    key(&t.ident.to_string()),
                    TypeDef::Alias {
                        target: tokens(&t.ty),
                        doc: doc(&t.attrs),
                    },
                );
            }
            _ => {}
        }
    }
    // `impl Name { pub fn new(…) }`, after the types are known.
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let self_ty = tokens(&imp.self_ty);
        for inner in &imp.items {
            if let syn::ImplItem::Fn(f) = inner
                && is_pub(&f.vis)
                && f.sig.ident == "new"
                && let Some(TypeDef::Struct { new_args, .. }) = api.types.get_mut(&key(&self_ty))
            {
                *new_args = Some(arguments(&f.sig));
            }
        }
    }
}

fn function(f: &syn::ItemFn) -> Function {
    let returns = match &f.sig.output {
        syn::ReturnType::Default => "()".to_string(),
        syn::ReturnType::Type(_, ty) => tokens(ty),
    };
    let mut body = Body::default();
    body.visit_block(&f.block);
    Function {
        args: arguments(&f.sig),
        returns,
        endpoint: format!(
            "{} {}",
            body.method.unwrap_or_else(|| "?".into()),
            body.path.unwrap_or_else(|| "?".into())
        ),
        auth: body.auth,
        doc: doc(&f.attrs),
    }
}

fn arguments(sig: &syn::Signature) -> Vec<(String, String)> {
    sig.inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(t) => Some((tokens(&t.pat), tokens(&t.ty))),
            syn::FnArg::Receiver(_) => None,
        })
        .collect()
}

/// What a function body sends: its HTTP method, URL template and credentials.
#[derive(Default)]
struct Body {
    method: Option<String>,
    path: Option<String>,
    auth: BTreeSet<String>,
}

const CREDENTIALS: [&str; 4] = [
    "basic_auth",
    "bearer_access_token",
    "oauth_access_token",
    "api_key",
];

impl<'ast> Visit<'ast> for Body {
    fn visit_expr_path(&mut self, e: &'ast syn::ExprPath) {
        let segments: Vec<String> = e
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        if let [.., method_type, method] = segments.as_slice()
            && method_type == "Method"
            && self.method.is_none()
        {
            self.method = Some(method.clone());
        }
        syn::visit::visit_expr_path(self, e);
    }

    fn visit_expr_field(&mut self, e: &'ast syn::ExprField) {
        if let syn::Member::Named(name) = &e.member
            && CREDENTIALS.contains(&name.to_string().as_str())
            && tokens(&e.base) == "configuration"
        {
            self.auth.insert(name.to_string());
        }
        syn::visit::visit_expr_field(self, e);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        // The URL: `format!("{}/v2/Services/{ServiceSid}/…", configuration.base_path, …)`.
        if self.path.is_none()
            && m.path.is_ident("format")
            && let Ok(args) = m.parse_body_with(
                syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
            )
            && let Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            })) = args.first()
            && let Some(path) = s.value().strip_prefix("{}")
        {
            // The parameter's name is not sent: `{ServiceSid}` → `{}`.
            self.path = Some(crate::spec_model::path_key(path));
        }
        syn::visit::visit_macro(self, m);
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// `#[serde(rename = "x")]`.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// The doc comment, lines joined and whitespace-normalized.
fn doc(attrs: &[syn::Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            lines.push(s.value());
        }
    }
    lines
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rust tokens as a person writes them: `Option<&str>`, `Result<models::X, Error<E>>`.
pub fn tokens(node: &impl ToTokens) -> String {
    let raw = node.to_token_stream().to_string();
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let before = out.chars().last().unwrap_or(' ');
            let after = chars.get(i + 1).copied().unwrap_or(' ');
            let word = |ch: char| ch.is_alphanumeric() || ch == '_' || ch == '\'';
            if (word(before) && word(after)) || before == ',' {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The type names a type mentions: `Option<Vec<models::Foo>>` → `models::Foo`, `Option`, `Vec`.
pub fn type_paths(ty: &str) -> Vec<String> {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests;
