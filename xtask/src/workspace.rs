//! Where things live in the workspace.

use std::path::{Path, PathBuf};

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
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
