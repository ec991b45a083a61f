//! Where things live in the workspace.

use std::path::{Path, PathBuf};

/// The workspace root (the parent of `xtask/`).
///
/// Read at run time: `cargo run` (and so `cargo xtask`) sets `CARGO_MANIFEST_DIR` for the
/// process. The compile-time value is only a fallback for running the binary directly: cargo
/// reuses an xtask binary built from another checkout that shares the target directory (as
/// `.ci/codegen-roundtrip` does), and its baked-in path may no longer exist.
pub fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// The vendored spec.
pub fn spec_path() -> PathBuf {
    root().join("openapi/twilio_verify_v2.json")
}

/// The lock recording where the vendored spec came from and its sha256.
pub fn lock_path() -> PathBuf {
    root().join("openapi/twilio_verify_v2.lock.json")
}

/// The generated crate, written only by `cargo xtask codegen`.
pub fn generated_crate() -> PathBuf {
    root().join("crates/generated")
}

/// The generator configuration.
pub fn generator_config() -> PathBuf {
    root().join("generator-config.yaml")
}

/// Patches applied to openapi-generator's stock templates.
pub fn template_patches() -> PathBuf {
    root().join("xtask/template-patches")
}

/// Cargo's build directory: tools the xtask installs go under it, never anywhere global.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        }
        None => root().join("target"),
    }
}

/// Shows `path` relative to the workspace root when it is inside it.
pub fn display(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}
