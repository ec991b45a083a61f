//! The handwritten crates' files as a graph of who imports whom, so a test keeps every crate
//! free of import cycles and of files too long to hold one job (docs/architecture.md, "Layers").
//!
//! How a file's imports are counted:
//! - every `crate::…`, `super::…` and `self::…` path, in `use` items (grouped ones included),
//!   in code, and in macro invocations, plus paths starting with a child module's name
//!   (`mod x; pub use x::Y;`). `$crate` inside `macro_rules!` is not counted: it names the
//!   crate where the macro expands, not the file that defines it.
//! - a path points at the file that defines what it names: the file of its longest prefix that
//!   is a module (`crate::a::b::C` is `a/b.rs` or `a/b/mod.rs` if that module exists, else
//!   `a.rs` or `a/mod.rs`), unless that module only re-exports `C` (`pub use x::C`, or a glob),
//!   which is then followed: `crate::Error` depends on `error.rs`, not on `lib.rs`.
//! - `mod x;` itself is not an import. A parent `mod.rs` that re-exports its children
//!   (`pub use x::Y`) looks down; a child that imports `super::Something` the parent *defines*
//!   looks up, and the two make a cycle: the shared thing belongs in a lower module both import.
//! - inline modules (`mod tests { use super::*; }`) belong to their file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Handwritten files longer than this hide more than one job.
pub const MAX_LINES: usize = 500;

mod read;

pub use read::{Graph, crate_graph};

/// Every group of files that import each other, directly or through others (Tarjan's strongly
/// connected components of more than one file), each with the imports that close it.
pub fn cycles(graph: &Graph) -> Vec<Vec<(PathBuf, PathBuf)>> {
    struct Tarjan<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a Path, usize>,
        low: BTreeMap<&'a Path, usize>,
        stack: Vec<&'a Path>,
        on_stack: BTreeSet<&'a Path>,
        groups: Vec<Vec<&'a Path>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, node: &'a Path) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            self.on_stack.insert(node);
            for next in self.graph.get(node).into_iter().flatten() {
                let next = next.as_path();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut group = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    group.push(top);
                    if top == node {
                        break;
                    }
                }
                if group.len() > 1 {
                    self.groups.push(group);
                }
            }
        }
    }
    let mut tarjan = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for node in graph.keys() {
        if !tarjan.index.contains_key(node.as_path()) {
            tarjan.visit(node);
        }
    }
    tarjan
        .groups
        .into_iter()
        .map(|group| {
            let members: BTreeSet<&Path> = group.into_iter().collect();
            let mut edges = Vec::new();
            for from in &members {
                for to in graph.get(*from).into_iter().flatten() {
                    if members.contains(to.as_path()) {
                        edges.push((from.to_path_buf(), to.clone()));
                    }
                }
            }
            edges
        })
        .collect()
}

/// The handwritten crates' root files: every `crates/*` but the generated one, every
/// `examples/*` (a backend people copy is held to the same layers), and xtask.
pub fn workspace_roots(workspace: &Path) -> Vec<PathBuf> {
    let mut src_dirs: Vec<PathBuf> = ["crates", "examples"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(workspace.join(dir)).into_iter().flatten())
        .flatten()
        .map(|entry| entry.path().join("src"))
        .filter(|src| !src.starts_with(workspace.join("crates/generated")))
        .collect();
    src_dirs.push(workspace.join("xtask/src"));
    src_dirs.sort();
    let mut roots = Vec::new();
    for src in src_dirs {
        for name in ["lib.rs", "main.rs"] {
            if src.join(name).is_file() {
                roots.push(src.join(name));
            }
        }
        let mut bins: Vec<PathBuf> = std::fs::read_dir(src.join("bin"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        bins.sort();
        roots.extend(bins);
    }
    roots
}

/// Every `.rs` file under the handwritten crates' `src`, `examples/*/src` and `xtask/src` longer
/// than [`MAX_LINES`].
pub fn long_files(workspace: &Path) -> Vec<(PathBuf, usize)> {
    let mut long = Vec::new();
    let mut dirs: Vec<PathBuf> = workspace_roots(workspace)
        .iter()
        .filter_map(|root| {
            root.ancestors()
                .find(|a| a.ends_with("src"))
                .map(Path::to_path_buf)
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let lines = std::fs::read_to_string(&path)
                    .unwrap_or_default()
                    .lines()
                    .count();
                if lines > MAX_LINES {
                    long.push((path, lines));
                }
            }
        }
    }
    long.sort();
    long
}

/// `cargo xtask layers`: every import cycle and every long file, or nothing.
pub fn check(workspace: &Path) -> Result<(), String> {
    let read = |p: &Path| std::fs::read_to_string(p).ok();
    let mut problems = Vec::new();
    for root in workspace_roots(workspace) {
        let graph = crate_graph(&root, &read)?;
        for cycle in cycles(&graph) {
            let shown: Vec<String> = cycle
                .iter()
                .map(|(from, to)| {
                    format!(
                        "  {} -> {}",
                        relative(workspace, from),
                        relative(workspace, to)
                    )
                })
                .collect();
            problems.push(format!(
                "files of {} import each other:\n{}",
                relative(workspace, &root),
                shown.join("\n")
            ));
        }
    }
    for (path, lines) in long_files(workspace) {
        problems.push(format!(
            "{} has {lines} lines (more than {MAX_LINES}): split it along its jobs",
            relative(workspace, &path)
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn relative(workspace: &Path, path: &Path) -> String {
    path.strip_prefix(workspace)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests;
