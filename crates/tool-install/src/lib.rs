//! Installing a tool into the checkout once, however many threads and processes ask at once.
//!
//! Tests run in parallel threads, `cargo test` runs several test binaries, and a developer may
//! run two copies of the suite in one checkout: all of them may want the pinned generator, or
//! Prism, or a peer SDK, at the same moment, on a machine that has none of them yet. An install
//! that removes and recreates its directory in place lets one caller delete what another is
//! half-way through using (issue 20: the generator's virtualenv, `File exists`, ensurepip
//! failing). So every install here goes the same way:
//!
//! 1. **Fast path.** The final directory holds the marker file with the expected stamp: done, no
//!    lock taken. The final directory only ever appears complete (step 4), so a marker seen
//!    there is never a half-finished install.
//! 2. **Exclusive lock** on `.<name>.lock` beside the final directory ([`std::fs::File::lock`]:
//!    `flock(2)` on Unix, `LockFileEx` on Windows; released by the kernel if the holder is killed,
//!    so a dead installer never blocks the next one). Callers queue on the lock, not in a sleep
//!    loop; after it, the marker is checked again, so the callers that waited find the work done.
//! 3. **Build in a temporary directory** next to the final one (same file system, so the rename
//!    is atomic). Leftovers of killed installs (`.<name>.tmp-*`) are removed first: holding the
//!    lock, nobody else can be building them. The marker is the last file written.
//! 4. **Rename into place.** A stale final directory (no marker, another stamp) is first renamed
//!    aside and removed, never trusted.
//!
//! The tool being installed must not care where it was built (`pip install --target`, `npm ci`
//! into a copied `package.json`, a jar): a Python virtualenv does care, so none is used.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The file inside an installed directory that says it is complete, holding the stamp.
pub const MARKER: &str = ".installed";

/// One tool to install into `dir`, complete when `dir/.installed` holds `stamp`.
#[derive(Debug, Clone)]
pub struct Install {
    dir: PathBuf,
    stamp: String,
}

/// What [`Install::ensure`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The tool was already there (found before or after waiting for the lock).
    Present,
    /// This call built it.
    Installed,
}

impl Install {
    /// An install into `dir` (its parent is created when needed), identified by `stamp`: the
    /// tool's pinned version, or anything whose change must cause a reinstall.
    pub fn new(dir: impl Into<PathBuf>, stamp: impl Into<String>) -> Self {
        Self {
            dir: dir.into(),
            stamp: stamp.into(),
        }
    }

    /// The final directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the final directory is a complete install of this stamp.
    pub fn is_complete(&self) -> bool {
        fs::read_to_string(self.dir.join(MARKER)).is_ok_and(|s| s == self.stamp)
    }

    /// Makes sure the tool is installed, calling `build` with an empty temporary directory to
    /// fill when it is not. `build` runs at most once at a time across threads and processes;
    /// its error is returned as it is, and its temporary directory removed.
    pub fn ensure(
        &self,
        build: impl FnOnce(&Path) -> Result<(), String>,
    ) -> Result<Outcome, String> {
        if self.is_complete() {
            return Ok(Outcome::Present);
        }
        let (parent, name) = self.parent_and_name()?;
        fs::create_dir_all(&parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| format!("cannot open the lock {}: {e}", lock_path.display()))?;
        lock.lock()
            .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
        let result = self.install_locked(&parent, &name, build);
        // Dropping the file releases the lock too; unlocking first says so explicitly.
        let _ = File::unlock(&lock);
        result
    }

    fn install_locked(
        &self,
        parent: &Path,
        name: &str,
        build: impl FnOnce(&Path) -> Result<(), String>,
    ) -> Result<Outcome, String> {
        if self.is_complete() {
            return Ok(Outcome::Present);
        }
        remove_leftovers(parent, name);
        let temp = parent.join(format!(".{name}.tmp-{}", unique()));
        fs::create_dir(&temp).map_err(|e| format!("cannot create {}: {e}", temp.display()))?;
        let built = build(&temp).and_then(|()| {
            fs::write(temp.join(MARKER), &self.stamp)
                .map_err(|e| format!("cannot write the marker in {}: {e}", temp.display()))
        });
        if let Err(e) = built {
            let _ = fs::remove_dir_all(&temp);
            return Err(e);
        }
        if fs::symlink_metadata(&self.dir).is_ok() {
            // Incomplete or another stamp: moved aside in one step, then removed.
            let old = parent.join(format!(".{name}.old-{}", unique()));
            fs::rename(&self.dir, &old)
                .map_err(|e| format!("cannot move the stale {} aside: {e}", self.dir.display()))?;
            let _ = fs::remove_dir_all(&old);
        }
        fs::rename(&temp, &self.dir).map_err(|e| {
            let _ = fs::remove_dir_all(&temp);
            format!("cannot move the install into {}: {e}", self.dir.display())
        })?;
        Ok(Outcome::Installed)
    }

    fn parent_and_name(&self) -> Result<(PathBuf, String), String> {
        let name = self
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| format!("{} has no directory name", self.dir.display()))?;
        let parent = match self.dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Ok((parent, name))
    }
}

/// Temporary and set-aside directories of earlier installs that were killed or failed to clean.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for entry in fs::read_dir(parent).into_iter().flatten().flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Unique within the machine: the process id, the time and a per-process counter.
fn unique() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{}-{nanos}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tool-install-unit-{}", unique()));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_complete_install_is_not_built_again() {
        let root = scratch();
        let install = Install::new(root.join("tool"), "1.0");
        let first = install.ensure(|d| fs::write(d.join("bin"), "x").map_err(|e| e.to_string()));
        assert_eq!(first, Ok(Outcome::Installed));
        let second = install.ensure(|_| panic!("built twice"));
        assert_eq!(second, Ok(Outcome::Present));
        assert_eq!(fs::read_to_string(root.join("tool/bin")).unwrap(), "x");
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_failed_build_leaves_nothing_and_is_reported() {
        let root = scratch();
        let install = Install::new(root.join("tool"), "1.0");
        let result = install.ensure(|d| {
            fs::write(d.join("half"), "x").unwrap();
            Err("pip failed".into())
        });
        assert_eq!(result, Err("pip failed".to_string()));
        assert!(!root.join("tool").exists());
        let left: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_killed_install_is_redone_not_trusted() {
        let root = scratch();
        // What a killed installer leaves: a temp dir, and a final dir without a marker (as the
        // old in-place installs did).
        fs::create_dir_all(root.join(".tool.tmp-1-2-3/half")).unwrap();
        fs::create_dir_all(root.join("tool")).unwrap();
        fs::write(root.join("tool/launcher"), "half").unwrap();
        let install = Install::new(root.join("tool"), "1.0");
        assert!(!install.is_complete());
        let result =
            install.ensure(|d| fs::write(d.join("launcher"), "whole").map_err(|e| e.to_string()));
        assert_eq!(result, Ok(Outcome::Installed));
        assert_eq!(
            fs::read_to_string(root.join("tool/launcher")).unwrap(),
            "whole"
        );
        assert!(!root.join(".tool.tmp-1-2-3").exists());
        fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn another_stamp_is_reinstalled() {
        let root = scratch();
        let old = Install::new(root.join("tool"), "1.0");
        old.ensure(|d| fs::write(d.join("v"), "1").map_err(|e| e.to_string()))
            .unwrap();
        let new = Install::new(root.join("tool"), "2.0");
        assert!(!new.is_complete());
        assert_eq!(
            new.ensure(|d| fs::write(d.join("v"), "2").map_err(|e| e.to_string())),
            Ok(Outcome::Installed)
        );
        assert_eq!(fs::read_to_string(root.join("tool/v")).unwrap(), "2");
        fs::remove_dir_all(root).unwrap();
    }
}
