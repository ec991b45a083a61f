//! Directory trees held in memory: compared, reported as a readable diff, and synced to disk.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Relative path (with `/`) to file contents.
pub type Tree = BTreeMap<String, Vec<u8>>;

/// Reads every file under `dir`. A missing directory is an empty tree.
pub fn read(dir: &Path) -> Result<Tree, String> {
    let mut tree = Tree::new();
    if !dir.exists() {
        return Ok(tree);
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .map_err(|e| format!("cannot read {}: {e}", current.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .expect("walked from dir")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let bytes = std::fs::read(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                tree.insert(relative, bytes);
            }
        }
    }
    Ok(tree)
}

/// How two trees differ, by relative path.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    pub fn count(&self) -> usize {
        self.added.len() + self.removed.len() + self.changed.len()
    }
}

/// What changes `old` into `new`.
pub fn compare(old: &Tree, new: &Tree) -> Changes {
    let mut changes = Changes::default();
    for (path, bytes) in new {
        match old.get(path) {
            None => changes.added.push(path.clone()),
            Some(previous) if previous != bytes => changes.changed.push(path.clone()),
            Some(_) => {}
        }
    }
    for path in old.keys() {
        if !new.contains_key(path) {
            changes.removed.push(path.clone());
        }
    }
    changes
}

/// A list of changed files followed by a unified diff excerpt of at most `max_lines` lines.
pub fn report(old: &Tree, new: &Tree, changes: &Changes, max_lines: usize) -> String {
    let mut out = String::new();
    for path in &changes.changed {
        writeln!(out, "  changed: {path}").unwrap();
    }
    for path in &changes.added {
        writeln!(out, "  added:   {path}").unwrap();
    }
    for path in &changes.removed {
        writeln!(out, "  removed: {path}").unwrap();
    }
    let mut diff = String::new();
    let empty = Vec::new();
    for path in changes
        .changed
        .iter()
        .chain(&changes.added)
        .chain(&changes.removed)
    {
        let before = String::from_utf8_lossy(old.get(path).unwrap_or(&empty));
        let after = String::from_utf8_lossy(new.get(path).unwrap_or(&empty));
        let patch = diffy::DiffOptions::new()
            .set_original_filename(format!("a/{path}"))
            .set_modified_filename(format!("b/{path}"))
            .create_patch(&before, &after);
        diff.push_str(&patch.to_string());
    }
    let lines: Vec<&str> = diff.lines().collect();
    out.push('\n');
    for line in lines.iter().take(max_lines) {
        out.push_str(line);
        out.push('\n');
    }
    if lines.len() > max_lines {
        writeln!(out, "… ({} more diff lines)", lines.len() - max_lines).unwrap();
    }
    out
}

/// Makes `dir` hold exactly `new`: writes what changed and deletes what is no longer there.
pub fn sync(dir: &Path, new: &Tree) -> Result<Changes, String> {
    let old = read(dir)?;
    let changes = compare(&old, new);
    for path in changes.added.iter().chain(&changes.changed) {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().expect("a file has a parent"))
            .map_err(|e| format!("cannot create {}: {e}", target.display()))?;
        std::fs::write(&target, &new[path])
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    for path in &changes.removed {
        let target = dir.join(path);
        std::fs::remove_file(&target)
            .map_err(|e| format!("cannot delete {}: {e}", target.display()))?;
        remove_empty_parents(dir, &target);
    }
    Ok(changes)
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut current = file.parent();
    while let Some(dir) = current {
        if dir == root || std::fs::remove_dir(dir).is_err() {
            break;
        }
        current = dir.parent();
    }
}

/// A tree of text files, for tests.
#[cfg(test)]
pub fn from_texts(files: &[(&str, &str)]) -> Tree {
    files
        .iter()
        .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::from_texts as tree;

    #[test]
    fn compare_finds_added_removed_and_changed_files() {
        let old = tree(&[("a.rs", "1"), ("b.rs", "2"), ("same.rs", "x")]);
        let new = tree(&[("a.rs", "1 changed"), ("c.rs", "3"), ("same.rs", "x")]);
        assert_eq!(
            compare(&old, &new),
            Changes {
                added: vec!["c.rs".into()],
                removed: vec!["b.rs".into()],
                changed: vec!["a.rs".into()],
            }
        );
    }

    #[test]
    fn report_lists_files_and_shows_the_changed_text() {
        let old = tree(&[(
            "src/api.rs",
            "/// Create a new enrollment Access Token\nfn x() {}\n",
        )]);
        let new = tree(&[("src/api.rs", "/// Create a new Access Token\nfn x() {}\n")]);
        let text = report(&old, &new, &compare(&old, &new), 100);
        assert!(text.contains("changed: src/api.rs"), "{text}");
        assert!(
            text.contains("-/// Create a new enrollment Access Token"),
            "{text}"
        );
        assert!(text.contains("+/// Create a new Access Token"), "{text}");
    }

    #[test]
    fn report_excerpt_is_capped() {
        let old = tree(&[("a", &"x\n".repeat(50))]);
        let new = tree(&[("a", &"y\n".repeat(50))]);
        let text = report(&old, &new, &compare(&old, &new), 10);
        assert!(text.contains("more diff lines"), "{text}");
    }

    #[test]
    fn sync_writes_changes_and_deletes_files_no_longer_generated() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs/old")).unwrap();
        std::fs::write(dir.path().join("docs/old/Stale.md"), "stale").unwrap();
        std::fs::write(dir.path().join("keep.rs"), "old").unwrap();
        let new = tree(&[("keep.rs", "new"), ("src/lib.rs", "lib")]);
        let changes = sync(dir.path(), &new).unwrap();
        assert_eq!(changes.removed, vec!["docs/old/Stale.md".to_string()]);
        assert_eq!(read(dir.path()).unwrap(), new);
        assert!(
            !dir.path().join("docs").exists(),
            "empty directories are removed"
        );
        assert!(compare(&read(dir.path()).unwrap(), &new).is_empty());
    }
}
