//! Reading one crate's files with syn into the graph of which file imports which (the rules
//! are in the parent module's documentation).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// Files (by path) and, for each, the files it imports.
pub type Graph = BTreeMap<PathBuf, BTreeSet<PathBuf>>;

/// Reads one file's text, `None` when it does not exist (the disk, or a map in tests).
pub type Read<'a> = &'a dyn Fn(&Path) -> Option<String>;

/// What one module (a file, or an inline `mod x { … }` inside one) holds.
#[derive(Default)]
struct Module {
    file: PathBuf,
    /// Names of the items it defines.
    defines: BTreeSet<String>,
    /// Names it binds with `use`, and the absolute path each stands for (`None`: another crate).
    uses: BTreeMap<String, Option<Vec<String>>>,
    /// Absolute paths of its `use …::*` imports from this crate.
    globs: Vec<Vec<String>>,
}

/// Module path (segments after `crate`) -> what it holds.
type Modules = BTreeMap<Vec<String>, Module>;

/// The import graph of the crate whose root file (`lib.rs`, `main.rs`, `bin/x.rs`) is `root`.
pub fn crate_graph(root: &Path, read: Read<'_>) -> Result<Graph, String> {
    let mut modules = Modules::new();
    let mut files: Vec<(PathBuf, Vec<String>, syn::File)> = Vec::new();
    let mut pending = vec![(root.to_path_buf(), Vec::<String>::new())];
    while let Some((path, module)) = pending.pop() {
        let text = read(&path).ok_or_else(|| format!("{}: cannot read", path.display()))?;
        let file = syn::parse_file(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let dir = children_dir(&path);
        collect_modules(
            &file.items,
            &path,
            &dir,
            &module,
            &mut modules,
            &mut pending,
            read,
        )?;
        files.push((path, module, file));
    }
    let mut graph = Graph::new();
    for (path, module, file) in &files {
        let mut imports = Imports {
            modules: &modules,
            stack: vec![module.clone()],
            found: BTreeSet::new(),
        };
        imports.visit_file(file);
        imports.found.remove(path);
        graph.insert(path.clone(), imports.found);
    }
    Ok(graph)
}

/// Where `mod x;` declared in `file` looks for `x.rs` or `x/mod.rs`.
fn children_dir(file: &Path) -> PathBuf {
    let parent = file.parent().unwrap_or(Path::new("")).to_path_buf();
    match file.file_name().and_then(|n| n.to_str()) {
        Some("mod.rs" | "lib.rs" | "main.rs") => parent,
        _ if parent.file_name().is_some_and(|n| n == "bin") => parent,
        _ => parent.join(file.file_stem().unwrap_or_default()),
    }
}

fn collect_modules(
    items: &[syn::Item],
    file: &Path,
    dir: &Path,
    module: &[String],
    modules: &mut Modules,
    pending: &mut Vec<(PathBuf, Vec<String>)>,
    read: Read<'_>,
) -> Result<(), String> {
    let children: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut this = Module {
        file: file.to_path_buf(),
        ..Module::default()
    };
    for item in items {
        let ident = match item {
            syn::Item::Const(i) => Some(&i.ident),
            syn::Item::Enum(i) => Some(&i.ident),
            syn::Item::Fn(i) => Some(&i.sig.ident),
            syn::Item::Macro(i) => i.ident.as_ref(),
            syn::Item::Static(i) => Some(&i.ident),
            syn::Item::Struct(i) => Some(&i.ident),
            syn::Item::Trait(i) => Some(&i.ident),
            syn::Item::Type(i) => Some(&i.ident),
            syn::Item::Union(i) => Some(&i.ident),
            syn::Item::Use(u) => {
                bindings(module, &children, &mut Vec::new(), &u.tree, &mut this);
                None
            }
            _ => None,
        };
        if let Some(ident) = ident {
            this.defines.insert(ident.to_string());
        }
        let syn::Item::Mod(m) = item else { continue };
        let name = m.ident.to_string();
        let mut child = module.to_vec();
        child.push(name.clone());
        match &m.content {
            Some((_, inner)) => {
                collect_modules(
                    inner,
                    file,
                    &dir.join(&name),
                    &child,
                    modules,
                    pending,
                    read,
                )?;
            }
            None => {
                let flat = dir.join(format!("{name}.rs"));
                let nested = dir.join(&name).join("mod.rs");
                let found = [flat, nested].into_iter().find(|p| read(p).is_some());
                let found = found.ok_or_else(|| {
                    format!(
                        "{}: `mod {name};` has no {name}.rs or {name}/mod.rs",
                        file.display()
                    )
                })?;
                pending.push((found, child));
            }
        }
    }
    modules.insert(module.to_vec(), this);
    Ok(())
}

/// Records the names a `use` item binds in `this`, each with the absolute path it stands for.
fn bindings(
    module: &[String],
    children: &BTreeSet<String>,
    prefix: &mut Vec<String>,
    tree: &syn::UseTree,
    this: &mut Module,
) {
    let mut bind = |name: String, path: &[String]| {
        if name != "_" {
            this.uses.insert(name, absolute(module, children, path));
        }
    };
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            bindings(module, children, prefix, &p.tree, this);
            prefix.pop();
        }
        syn::UseTree::Name(n) if n.ident == "self" => {
            if let Some(last) = prefix.last() {
                bind(last.clone(), prefix);
            }
        }
        syn::UseTree::Name(n) => {
            let path = [prefix.as_slice(), &[n.ident.to_string()]].concat();
            bind(n.ident.to_string(), &path);
        }
        syn::UseTree::Rename(r) => {
            let path = [prefix.as_slice(), &[r.ident.to_string()]].concat();
            bind(r.rename.to_string(), &path);
        }
        syn::UseTree::Glob(_) => {
            if let Some(path) = absolute(module, children, prefix) {
                this.globs.push(path);
            }
        }
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                bindings(module, children, prefix, tree, this);
            }
        }
    }
}

/// A path written in `module` as a path from the crate root, `None` when it leaves the crate.
fn absolute(
    module: &[String],
    children: &BTreeSet<String>,
    segments: &[String],
) -> Option<Vec<String>> {
    let (first, rest) = segments.split_first()?;
    let mut full = match first.as_str() {
        "crate" => Vec::new(),
        "self" | "super" => module.to_vec(),
        name if children.contains(name) => module.to_vec(),
        _ => return None,
    };
    let mut rest = match first.as_str() {
        "crate" | "self" => rest,
        _ => segments,
    };
    while let Some(("super", tail)) = rest.split_first().map(|(h, t)| (h.as_str(), t)) {
        full.pop()?;
        rest = tail;
    }
    full.extend(rest.iter().cloned());
    Some(full)
}

/// The file defining what an absolute path names: its longest module prefix's file, unless
/// that module only re-exports the next segment, which is then followed to where it is defined.
fn defining_file(modules: &Modules, full: &[String], depth: usize) -> Option<PathBuf> {
    let n = (0..=full.len())
        .rev()
        .find(|n| modules.contains_key(&full[..*n]))?;
    let module = &modules[&full[..n]];
    let Some(name) = full.get(n) else {
        return Some(module.file.clone());
    };
    if module.defines.contains(name) || depth == 0 {
        return Some(module.file.clone());
    }
    if let Some(target) = module.uses.get(name) {
        let target = target.as_ref()?;
        return defining_file(
            modules,
            &[target.as_slice(), &full[n + 1..]].concat(),
            depth - 1,
        );
    }
    for glob in &module.globs {
        let has = |m: &Module| m.defines.contains(name) || m.uses.contains_key(name);
        if modules.get(glob).is_some_and(has) {
            return defining_file(modules, &[glob.as_slice(), &full[n..]].concat(), depth - 1);
        }
    }
    Some(module.file.clone())
}

/// Walks one file, recording the files its paths point at.
struct Imports<'a> {
    modules: &'a Modules,
    /// The module being walked: the file's, then an inline module's inside it.
    stack: Vec<Vec<String>>,
    found: BTreeSet<PathBuf>,
}

impl Imports<'_> {
    fn current(&self) -> &[String] {
        self.stack.last().map(Vec::as_slice).unwrap_or_default()
    }

    fn record(&mut self, segments: &[String]) {
        let current = self.current();
        let children: BTreeSet<String> = match segments.first() {
            Some(first)
                if self
                    .modules
                    .contains_key(&[current, std::slice::from_ref(first)].concat()) =>
            {
                BTreeSet::from([first.clone()])
            }
            _ => BTreeSet::new(),
        };
        let file = absolute(current, &children, segments)
            .and_then(|full| defining_file(self.modules, &full, 8));
        if let Some(file) = file {
            self.found.insert(file);
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) if n.ident == "self" => self.record(&prefix.clone()),
            syn::UseTree::Name(n) => self.leaf(prefix, n.ident.to_string()),
            syn::UseTree::Rename(r) => self.leaf(prefix, r.ident.to_string()),
            syn::UseTree::Glob(_) => self.record(&prefix.clone()),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.use_tree(prefix, t)),
        }
    }

    fn leaf(&mut self, prefix: &mut Vec<String>, name: String) {
        prefix.push(name);
        self.record(&prefix.clone());
        prefix.pop();
    }
}

impl<'ast> Visit<'ast> for Imports<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let mut inner = self.current().to_vec();
        inner.push(m.ident.to_string());
        self.stack.push(inner);
        syn::visit::visit_item_mod(self, m);
        self.stack.pop();
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &u.tree);
    }

    /// `pub(crate)` and `pub(super)` say who may see an item, not what it needs.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.record(&segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        for segments in token_paths(mac.tokens.clone()) {
            self.record(&segments);
        }
        syn::visit::visit_macro(self, mac);
    }
}

/// `crate::a::b`, `super::x` and `self::y` paths written inside a macro's tokens (not `$crate`).
fn token_paths(tokens: TokenStream) -> Vec<Vec<String>> {
    let mut flat = Vec::new();
    flatten(tokens, &mut flat);
    let mut paths = Vec::new();
    for (i, token) in flat.iter().enumerate() {
        let TokenTree::Ident(ident) = token else {
            continue;
        };
        let after_dollar =
            i > 0 && matches!(&flat[i - 1], TokenTree::Punct(p) if p.as_char() == '$');
        // `pub(crate)`, `pub(super)`, `pub(in crate::a)` in a macro's body: a visibility, not
        // an import (flattened, the parenthesis is gone and `pub` or `in` comes right before).
        let visibility =
            i > 0 && matches!(&flat[i - 1], TokenTree::Ident(p) if p == "pub" || p == "in");
        let first = ident.to_string();
        if after_dollar || visibility || !matches!(first.as_str(), "crate" | "super" | "self") {
            continue;
        }
        let mut segments = vec![first];
        let mut j = i + 1;
        while let [
            TokenTree::Punct(a),
            TokenTree::Punct(b),
            TokenTree::Ident(next),
            ..,
        ] = &flat[j.min(flat.len())..]
        {
            if a.as_char() != ':' || b.as_char() != ':' {
                break;
            }
            segments.push(next.to_string());
            j += 3;
        }
        paths.push(segments);
    }
    paths
}

fn flatten(tokens: TokenStream, out: &mut Vec<TokenTree>) {
    for token in tokens {
        match token {
            TokenTree::Group(g) => flatten(g.stream(), out),
            other => out.push(other),
        }
    }
}
