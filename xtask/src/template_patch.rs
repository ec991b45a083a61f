//! The project's fixes to openapi-generator's templates, kept as unified diffs over the stock
//! templates in `xtask/template-patches/` (see docs/regenerating.md for what each one fixes).
//!
//! Each codegen exports the stock templates of the pinned generator and applies the patches to
//! them. When a generator upgrade changes a template so that its patch no longer applies, the
//! codegen stops instead of silently generating the broken code again.

use std::path::{Path, PathBuf};

use crate::generator::{GENERATOR_VERSION, Generator};
use crate::workspace;

/// Exports the stock templates into `work/stock`, writes the patched ones into
/// `work/templates`, and returns that directory for the generator's `-t` option.
pub fn prepare(generator: &Generator, work: &Path) -> Result<PathBuf, String> {
    let stock = work.join("stock");
    let templates = work.join("templates");
    generator.run([
        "author".as_ref(),
        "template".as_ref(),
        "-g".as_ref(),
        "rust".as_ref(),
        "--library".as_ref(),
        "reqwest".as_ref(),
        "-o".as_ref(),
        stock.as_os_str(),
    ])?;
    apply_all(&workspace::template_patches(), &stock, &templates)?;
    Ok(templates)
}

/// Applies every `*.patch` under `patches` to the file of the same relative path (without
/// `.patch`) under `stock`, writing the result under `out`. Returns the patched paths.
pub fn apply_all(patches: &Path, stock: &Path, out: &Path) -> Result<Vec<String>, String> {
    let mut applied = Vec::new();
    for patch_file in patch_files(patches)? {
        let relative = patch_file
            .strip_prefix(patches)
            .expect("walked from patches")
            .with_extension("");
        let relative_name = relative.display().to_string();
        let stock_file = stock.join(&relative);
        let original = std::fs::read_to_string(&stock_file).map_err(|e| {
            format!(
                "template patch {} targets {relative_name}, which openapi-generator \
                 {GENERATOR_VERSION} does not ship ({e}). See docs/regenerating.md, \
                 \"Upgrading the generator\".",
                workspace::display(&patch_file)
            )
        })?;
        let patch_text = std::fs::read_to_string(&patch_file)
            .map_err(|e| format!("cannot read {}: {e}", patch_file.display()))?;
        let patched = apply(&original, &patch_text).map_err(|e| {
            format!(
                "template patch {} no longer applies to the stock {relative_name} of \
                 openapi-generator {GENERATOR_VERSION}: {e}.\n\
                 The generator's template changed. First try without the patch (the upstream \
                 fix may have landed); otherwise re-create the patch over the new stock \
                 template. See docs/regenerating.md, \"Upgrading the generator\".",
                workspace::display(&patch_file)
            )
        })?;
        let target = out.join(&relative);
        std::fs::create_dir_all(target.parent().expect("a file has a parent"))
            .map_err(|e| format!("cannot create {}: {e}", target.display()))?;
        std::fs::write(&target, patched)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        applied.push(relative_name);
    }
    if applied.is_empty() {
        return Err(format!(
            "no template patches found in {}",
            patches.display()
        ));
    }
    Ok(applied)
}

/// Applies one unified diff exactly: every hunk must match its context.
pub fn apply(original: &str, patch_text: &str) -> Result<String, String> {
    let patch = diffy::Patch::from_str(patch_text).map_err(|e| format!("malformed patch: {e}"))?;
    diffy::apply(original, &patch).map_err(|e| e.to_string())
}

fn patch_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .map_err(|e| format!("cannot read {}: {e}", current.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "patch") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STOCK: &str = "line 1\nlet x = models::{{{dataType}}};\nline 3\n";
    const PATCH: &str = "--- a/api.mustache\n+++ b/api.mustache\n@@ -1,3 +1,3 @@\n line 1\n-let x = models::{{{dataType}}};\n+let x = {{{dataType}}};\n line 3\n";

    #[test]
    fn patch_applies_to_the_stock_template() {
        assert_eq!(
            apply(STOCK, PATCH).unwrap(),
            "line 1\nlet x = {{{dataType}}};\nline 3\n"
        );
    }

    #[test]
    fn changed_stock_template_fails_loudly_and_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let (patches, stock, out) = (
            dir.path().join("patches"),
            dir.path().join("stock"),
            dir.path().join("out"),
        );
        std::fs::create_dir_all(patches.join("reqwest")).unwrap();
        std::fs::create_dir_all(stock.join("reqwest")).unwrap();
        std::fs::write(patches.join("reqwest/api.mustache.patch"), PATCH).unwrap();
        // An upgrade rewrote the line the patch changes.
        std::fs::write(
            stock.join("reqwest/api.mustache"),
            "line 1\nlet x = crate::models::{{{dataType}}};\nline 3\n",
        )
        .unwrap();
        let err = apply_all(&patches, &stock, &out).unwrap_err();
        assert!(err.contains("no longer applies"), "{err}");
        assert!(err.contains("reqwest/api.mustache"), "{err}");
        assert!(err.contains("docs/regenerating.md"), "{err}");
        assert!(!out.join("reqwest/api.mustache").exists());
    }

    #[test]
    fn patched_template_is_written_at_the_same_relative_path() {
        let dir = tempfile::tempdir().unwrap();
        let (patches, stock, out) = (
            dir.path().join("patches"),
            dir.path().join("stock"),
            dir.path().join("out"),
        );
        std::fs::create_dir_all(patches.join("reqwest")).unwrap();
        std::fs::create_dir_all(stock.join("reqwest")).unwrap();
        std::fs::write(patches.join("reqwest/api.mustache.patch"), PATCH).unwrap();
        std::fs::write(stock.join("reqwest/api.mustache"), STOCK).unwrap();
        assert_eq!(
            apply_all(&patches, &stock, &out).unwrap(),
            vec!["reqwest/api.mustache".to_string()]
        );
        assert!(
            std::fs::read_to_string(out.join("reqwest/api.mustache"))
                .unwrap()
                .contains("let x = {{{dataType}}};")
        );
    }

    #[test]
    fn the_committed_patches_parse() {
        for file in patch_files(&workspace::template_patches()).unwrap() {
            let text = std::fs::read_to_string(&file).unwrap();
            diffy::Patch::from_str(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", file.display()));
        }
    }
}
