use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{check, crate_graph, cycles, workspace_roots};

fn graph_of(files: &[(&str, &str)]) -> super::Graph {
    let files: BTreeMap<PathBuf, String> = files
        .iter()
        .map(|(p, t)| (PathBuf::from(p), t.to_string()))
        .collect();
    let read = |p: &Path| files.get(p).cloned();
    crate_graph(Path::new("src/lib.rs"), &read).unwrap()
}

fn edges(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (from, tos) in graph_of(files) {
        for to in tos {
            found.push((from.display().to_string(), to.display().to_string()));
        }
    }
    found
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn checker_finds_a_cycle_between_two_sibling_files() {
    let graph = graph_of(&[
        ("src/lib.rs", "mod a; mod b;"),
        ("src/a.rs", "use crate::b::Beta; pub struct Alpha;"),
        (
            "src/b.rs",
            "pub struct Beta; fn f() -> crate::a::Alpha { todo!() }",
        ),
    ]);
    let found = cycles(&graph);
    assert_eq!(found.len(), 1, "{found:?}");
    let mut cycle = found[0].clone();
    cycle.sort();
    assert_eq!(
        cycle,
        [
            (PathBuf::from("src/a.rs"), PathBuf::from("src/b.rs")),
            (PathBuf::from("src/b.rs"), PathBuf::from("src/a.rs"))
        ]
    );
}

#[test]
fn checker_finds_a_child_looking_up_at_a_parent_that_reexports_it() {
    let graph = graph_of(&[
        ("src/lib.rs", "mod entities;"),
        (
            "src/entities/mod.rs",
            "mod list; pub use list::List; pub struct EntityPath;",
        ),
        (
            "src/entities/list.rs",
            "use super::EntityPath; pub struct List;",
        ),
    ]);
    assert_eq!(cycles(&graph).len(), 1);
}

#[test]
fn a_parent_reexporting_its_children_and_tests_using_super_make_no_cycle() {
    let graph = graph_of(&[
        ("src/lib.rs", "pub mod types; pub use types::Sid;"),
        (
            "src/types/mod.rs",
            "mod sid; mod path; pub use sid::Sid; pub use self::path::P;",
        ),
        (
            "src/types/path.rs",
            "use super::sid::Sid; pub struct P(Sid);",
        ),
        (
            "src/types/sid.rs",
            "pub struct Sid; #[cfg(test)] mod tests { use super::*; }",
        ),
    ]);
    assert!(cycles(&graph).is_empty());
}

#[test]
fn a_name_the_root_only_reexports_is_followed_to_the_file_defining_it() {
    let found = edges(&[
        (
            "src/lib.rs",
            "mod error; mod client; pub use error::Error; pub use client::*;",
        ),
        ("src/error.rs", "pub struct Error;"),
        (
            "src/client.rs",
            "pub struct Client; fn f() -> crate::Error { todo!() }",
        ),
    ]);
    assert_eq!(
        found,
        [
            pair("src/client.rs", "src/error.rs"),
            pair("src/lib.rs", "src/client.rs"),
            pair("src/lib.rs", "src/error.rs"),
        ]
    );
    let graph = graph_of(&[
        ("src/lib.rs", "mod a; mod b; pub use b::*;"),
        ("src/a.rs", "use crate::Beta;"),
        ("src/b.rs", "pub struct Beta; use crate::a;"),
    ]);
    assert_eq!(cycles(&graph).len(), 1, "a glob re-export is followed too");
}

#[test]
fn grouped_nested_and_macro_imports_are_all_counted() {
    let found = edges(&[
        ("src/lib.rs", "mod a; mod b; mod c; mod d; mod e;"),
        (
            "src/a.rs",
            "use crate::{b, c::{self, Gamma}}; macro_rules! m { () => { $crate::e::E } }",
        ),
        ("src/b.rs", "fn f() { my_macro!(crate::d::Delta); }"),
        ("src/c.rs", "mod inner { use super::super::d::Delta; }"),
        ("src/d.rs", ""),
        (
            "src/e.rs",
            "pub(crate) struct E; pub(super) fn f() {} \
             macro_rules! v { () => { pub(crate) fn g() {} pub(in crate::d) fn h() {} } }",
        ),
    ]);
    assert_eq!(
        found,
        [
            pair("src/a.rs", "src/b.rs"),
            pair("src/a.rs", "src/c.rs"),
            pair("src/b.rs", "src/d.rs"),
            pair("src/c.rs", "src/d.rs"),
        ]
    );
}

#[test]
fn a_module_in_a_folder_next_to_its_file_is_found() {
    let found = edges(&[
        ("src/lib.rs", "mod spec;"),
        ("src/spec.rs", "mod diff; pub use diff::Report;"),
        ("src/spec/diff.rs", "pub struct Report;"),
    ]);
    assert_eq!(found, [pair("src/spec.rs", "src/spec/diff.rs")]);
}

/// The workspace rule (docs/architecture.md, "Layers"): no file of a handwritten crate imports
/// itself through others, and none is longer than `MAX_LINES`. Run: `cargo test -p xtask layers`
/// or `cargo xtask layers`.
#[test]
fn layers_no_import_cycles_and_no_long_files() {
    let workspace = crate::workspace::root();
    if let Err(problems) = check(&workspace) {
        panic!("{problems}");
    }
}

#[test]
fn layers_cover_every_handwritten_crate_and_the_examples() {
    let workspace = crate::workspace::root();
    let roots = workspace_roots(&workspace);
    for expected in [
        "crates/verify-push/src/lib.rs",
        "crates/verify-push-sandbox/src/lib.rs",
        "examples/push-login/src/lib.rs",
        "examples/push-login/src/main.rs",
        "xtask/src/main.rs",
    ] {
        assert!(
            roots.contains(&workspace.join(expected)),
            "{expected} is not checked: {roots:?}"
        );
    }
    assert!(
        !roots
            .iter()
            .any(|r| r.starts_with(workspace.join("crates/generated"))),
        "the generated crate is not ours to layer"
    );
}
