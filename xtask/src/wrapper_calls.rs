//! What `crates/verify-push` uses of the generated crate, read from its sources with `syn`:
//! every path that resolves to a `verify_v2::apis::MODULE::FUNCTION` or a
//! `verify_v2::models::…` type, however the file imports or aliases it; and which changes of a
//! spec diff touch those functions and the types they reach.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use syn::visit::Visit;

use crate::api_diff::{self, Subject};
use crate::rust_api::{self, Api};

/// The generated crate's name in Rust code.
const GENERATED: &str = "verify_v2";

/// What the wrapper names in the generated crate.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Uses {
    /// `module::function` of every generated API function the wrapper calls or names
    /// (candidates: under a glob import every lowercase name counts; callers keep those the
    /// generated crate has).
    pub functions: BTreeSet<String>,
    /// Paths below `verify_v2` it names (`models::Name`, `models::Name::new`, `apis::Error`).
    pub paths: BTreeSet<String>,
    /// Whether the wrapper re-exports the generated crate (then its API is the wrapper's too).
    pub reexports: Option<String>,
}

/// Reads every `.rs` file under `src`.
pub fn read(src: &Path) -> Result<Uses, String> {
    let mut files = Vec::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let file = syn::parse_file(&text)
                    .map_err(|e| format!("cannot parse {}: {e}", path.display()))?;
                files.push(file);
            }
        }
    }
    Ok(uses(&files))
}

/// What these files name in the generated crate.
pub fn uses(files: &[syn::File]) -> Uses {
    // Crate-wide aliases, whatever module declares them: `pub use verify_v2 as raw;` makes
    // `crate::raw` the generated crate, `pub(crate) use verify_v2::apis::x_api as x;` in a
    // module makes `crate::that_module::x` (or `super::x`) that module.
    let mut found = Found::default();
    let mut reexports = None;
    let mut pending: Vec<&syn::Item> = files.iter().flat_map(|f| &f.items).collect();
    while let Some(item) = pending.pop() {
        match item {
            syn::Item::Use(u) => {
                for (alias, path) in flatten(&u.tree, Vec::new()) {
                    if path == [GENERATED] && matches!(u.vis, syn::Visibility::Public(_)) {
                        reexports = Some(alias.clone());
                    }
                    if path.first().is_some_and(|p| p == GENERATED) && alias != "*" {
                        found.crate_aliases.insert(alias, path[1..].to_vec());
                    }
                }
            }
            syn::Item::Mod(m) => pending.extend(m.content.iter().flat_map(|(_, items)| items)),
            _ => {}
        }
    }
    for file in files {
        found.visit_file(file);
    }
    let mut uses = Uses {
        reexports,
        ..Uses::default()
    };
    for path in found.paths {
        if let [apis, module, function] = &path[..]
            && apis == "apis"
            && module != "configuration"
            && function
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase())
        {
            uses.functions.insert(format!("{module}::{function}"));
        }
        uses.paths.insert(path.join("::"));
    }
    uses
}

/// `use a::{b as c, d::*};` → `(c, [a, b])`, `(*, [a, d])`.
fn flatten(tree: &syn::UseTree, mut prefix: Vec<String>) -> Vec<(String, Vec<String>)> {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten(&p.tree, prefix)
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                let alias = prefix.last().cloned().unwrap_or_default();
                return vec![(alias, prefix)];
            }
            prefix.push(name.clone());
            vec![(name, prefix)]
        }
        syn::UseTree::Rename(r) => {
            let alias = r.rename.to_string();
            if r.ident != "self" {
                prefix.push(r.ident.to_string());
            }
            vec![(alias, prefix)]
        }
        syn::UseTree::Glob(_) => vec![("*".into(), prefix)],
        syn::UseTree::Group(g) => g
            .items
            .iter()
            .flat_map(|t| flatten(t, prefix.clone()))
            .collect(),
    }
}

/// One module or block: alias → path below the generated crate, and glob-imported modules.
type Scope = (BTreeMap<String, Vec<String>>, Vec<Vec<String>>);

/// Walks a file keeping the `use` aliases in scope (per module, inner scopes see outer ones)
/// and records every path that resolves into the generated crate.
#[derive(Default)]
struct Found {
    /// Alias → path below the generated crate, for `crate::…`, `self::…` and `super::…` paths.
    crate_aliases: BTreeMap<String, Vec<String>>,
    scopes: Vec<Scope>,
    paths: BTreeSet<Vec<String>>,
}

impl Found {
    /// The path below `verify_v2` that `segments` names, if it names something there.
    fn resolve(&self, segments: &[String]) -> Option<Vec<String>> {
        let (first, rest) = segments.split_first()?;
        let base: Vec<String> = if first == GENERATED {
            Vec::new()
        } else if first == "crate" || first == "self" || first == "super" {
            // Through the crate's own modules to an alias declared in one of them.
            let at = rest
                .iter()
                .position(|s| self.crate_aliases.contains_key(s))?;
            let base = self.crate_aliases[&rest[at]].clone();
            return Some(
                base.into_iter()
                    .chain(rest[at + 1..].iter().cloned())
                    .collect(),
            );
        } else if let Some(path) = self.scopes.iter().rev().find_map(|(a, _)| a.get(first)) {
            path.clone()
        } else {
            return None;
        };
        Some(base.into_iter().chain(rest.iter().cloned()).collect())
    }

    /// What a single name may be when glob imports of generated modules are in scope: one
    /// candidate per glob (the report keeps only names the generated crate has).
    fn resolve_glob(&self, name: &str) -> Vec<Vec<String>> {
        self.scopes
            .iter()
            .flat_map(|(_, globs)| globs)
            .map(|glob| glob.iter().cloned().chain([name.to_string()]).collect())
            .collect()
    }

    fn record(&mut self, segments: Vec<String>) {
        let resolved = match self.resolve(&segments) {
            Some(path) => vec![path],
            None if segments.len() == 1 => self.resolve_glob(&segments[0]),
            None => Vec::new(),
        };
        self.paths
            .extend(resolved.into_iter().filter(|p| !p.is_empty()));
    }

    fn enter(&mut self, items: &[syn::Item]) {
        let mut aliases = BTreeMap::new();
        let mut globs = Vec::new();
        for item in items {
            let syn::Item::Use(u) = item else { continue };
            for (alias, path) in flatten(&u.tree, Vec::new()) {
                let Some(below) = self.resolve(&path) else {
                    continue;
                };
                if alias == "*" {
                    globs.push(below);
                } else {
                    // The import itself names the item (`use verify_v2::apis::x_api::f;`).
                    self.paths.insert(below.clone());
                    aliases.insert(alias, below);
                }
            }
        }
        self.scopes.push((aliases, globs));
    }
}

impl<'ast> Visit<'ast> for Found {
    fn visit_file(&mut self, file: &'ast syn::File) {
        self.enter(&file.items);
        syn::visit::visit_file(self, file);
        self.scopes.pop();
    }

    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        let items = module.content.as_ref().map_or(&[][..], |(_, i)| &i[..]);
        self.enter(items);
        syn::visit::visit_item_mod(self, module);
        self.scopes.pop();
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        let items: Vec<syn::Item> = block
            .stmts
            .iter()
            .filter_map(|s| match s {
                syn::Stmt::Item(i) => Some(i.clone()),
                _ => None,
            })
            .collect();
        self.enter(&items);
        syn::visit::visit_block(self, block);
        self.scopes.pop();
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.record(segments);
        syn::visit::visit_path(self, path);
    }
}

/// Whether `verify-push` still builds against the regenerated crate.
#[derive(Debug, Clone, PartialEq)]
pub enum Build {
    /// Nothing verify-push uses changes in a breaking way: not built.
    NotNeeded,
    /// Not built, and why.
    Skipped(String),
    /// `cargo check -p verify-push` passed (seconds it took).
    Ok(f64),
    /// It failed; the compiler's error lines.
    Failed(String),
}

/// What `verify-push` uses of the generated crate, found in its sources.
#[derive(Debug, Clone)]
pub struct Wrapper {
    /// `module::function` of the generated functions it calls (existing on either side).
    pub functions: Vec<String>,
    /// The name it re-exports the generated crate under (`raw`), if it does.
    pub reexports: Option<String>,
    /// Indices into `Report::rust` of changes to those functions and the types they reach.
    pub touching: Vec<usize>,
    pub build: Build,
}

impl Wrapper {
    /// Matches what the wrapper names against both APIs and the changes.
    pub fn new(uses: Uses, old: &Api, new: &Api, rust: &[api_diff::Change]) -> Wrapper {
        let known = |f: &str| old.functions.contains_key(f) || new.functions.contains_key(f);
        // The wrapper calls each operation's two halves (`op_request`, `op_response`); the
        // APIs list the operation `op` they belong to.
        let functions: Vec<String> = uses
            .functions
            .iter()
            .filter_map(|f| match rust_api::split_base(f) {
                Some(base) if !known(f) && known(base) => Some(base.to_string()),
                _ => known(f).then(|| f.clone()),
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut reached = BTreeSet::new();
        for api in [old, new] {
            let named = uses
                .paths
                .iter()
                .filter_map(|p| {
                    api.types
                        .keys()
                        .find(|k| p == *k || p.starts_with(&format!("{k}::")))
                })
                .cloned();
            let mut roots: Vec<(String, String)> = named.map(|k| (k, String::new())).collect();
            for key in &functions {
                let Some(f) = api.functions.get(key) else {
                    continue;
                };
                let module = format!("apis::{}", key.split("::").next().unwrap_or_default());
                for ty in f.args.iter().map(|(_, t)| t).chain([&f.returns]) {
                    roots.extend(
                        rust_api::type_paths(ty)
                            .into_iter()
                            .map(|p| (p, module.clone())),
                    );
                }
            }
            reach(api, roots, &mut reached);
        }
        let touching = rust
            .iter()
            .enumerate()
            .filter(|(_, c)| match &c.subject {
                Subject::Function(f) => {
                    functions.contains(f) || c.new.as_ref().is_some_and(|n| functions.contains(n))
                }
                Subject::Type(t) => reached.contains(t),
                Subject::Module(_) => false,
            })
            .map(|(i, _)| i)
            .collect();
        Wrapper {
            functions,
            reexports: uses.reexports,
            touching,
            build: Build::NotNeeded,
        }
    }
}

/// The type keys reachable from `roots` (type paths as written, with the module they are
/// written in) through fields, variants and aliases.
fn reach(api: &Api, roots: Vec<(String, String)>, reached: &mut BTreeSet<String>) {
    let mut pending = roots;
    while let Some((path, context)) = pending.pop() {
        let Some(key) = resolve(api, &context, &path) else {
            continue;
        };
        if !reached.insert(key.clone()) {
            continue;
        }
        let module = api.module_of.get(&key).cloned().unwrap_or_default();
        for ty in api.types[&key].mentions() {
            pending.extend(
                rust_api::type_paths(ty)
                    .into_iter()
                    .map(|p| (p, module.clone())),
            );
        }
    }
}

fn resolve(api: &Api, context: &str, path: &str) -> Option<String> {
    let path = path.strip_prefix("crate::").unwrap_or(path);
    [format!("{context}::{path}"), path.to_string()]
        .into_iter()
        .find(|k| api.types.contains_key(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses_of(sources: &[&str]) -> Uses {
        let files: Vec<syn::File> = sources
            .iter()
            .map(|s| syn::parse_file(s).unwrap())
            .collect();
        uses(&files)
    }

    #[test]
    fn finds_calls_however_the_module_or_function_is_imported() {
        let uses = uses_of(&[
            "pub use verify_v2 as raw;",
            "use verify_v2::apis::verify_v2_access_token_api as api;
             async fn a() { api::create_access_token(&c, \"VA\").await; }",
            "use verify_v2::apis::{verify_v2_factor_api::{self as factors}, verify_v2_entity_api::create_entity as make};
             async fn b() { factors::update_factor(x).await; make(y).await; }",
            "use crate::raw::apis;
             async fn c() { apis::verify_v2_challenge_api::create_challenge(z).await; }",
            "async fn d() { verify_v2::apis::verify_v2_service_api::fetch_service(z).await;
                            let f = crate::raw::apis::verify_v2_webhook_api::list_webhook; }",
            "mod inner { use verify_v2::apis::verify_v2_bucket_api::*;
                         async fn e() { delete_bucket(x).await; } }",
            "fn unrelated() { other::apis::x_api::f(); api::create_access_token(); }",
            "fn model() { let t = verify_v2::models::VerifyV2ServiceAccessToken::new(); }",
            "mod generated { pub(crate) use verify_v2::apis::verify_v2_form_api as forms; }",
            "async fn g() { crate::generated::forms::fetch_form(x).await; }",
        ]);
        for expected in [
            "verify_v2_access_token_api::create_access_token",
            "verify_v2_bucket_api::delete_bucket",
            "verify_v2_challenge_api::create_challenge",
            "verify_v2_entity_api::create_entity",
            "verify_v2_factor_api::update_factor",
            "verify_v2_service_api::fetch_service",
            "verify_v2_webhook_api::list_webhook",
        ] {
            assert!(
                uses.functions.contains(expected),
                "{expected}: {:?}",
                uses.functions
            );
        }
        assert!(
            !uses
                .functions
                .iter()
                .any(|f| f.starts_with("x_api") || f.ends_with("::f")),
            "{:?}",
            uses.functions
        );
        assert!(
            uses.paths
                .contains("models::VerifyV2ServiceAccessToken::new"),
            "{:?}",
            uses.paths
        );
        assert_eq!(uses.reexports.as_deref(), Some("raw"));
    }

    /// The real wrapper calls at least the access-token functions it is built around.
    #[test]
    fn the_wrapper_calls_the_access_token_functions() {
        let uses = read(&crate::workspace::root().join("crates/verify-push/src")).unwrap();
        for half in ["request", "response"] {
            let name = format!("verify_v2_access_token_api::create_access_token_{half}");
            assert!(uses.functions.contains(&name), "{:?}", uses.functions);
        }
    }
}
