//! What `cargo xtask codegen` adds so `verify-v2` can be published, each from the one place it
//! comes from:
//!
//! - the version (`packageVersion` in generator-config.yaml) → the crate's user agent
//!   (`verify-push-verify-v2/VERSION/rust`, passed to the generator) and the workspace's version
//!   requirement on `verify-v2` in the root Cargo.toml (cargo needs a version on a path
//!   dependency to package it, and refuses one the path does not match);
//! - the repository's LICENSE and the changelog `spec fetch` writes
//!   (`package_version::CHANGELOG`) → files of the crate, since a package holds only files under
//!   its own directory.
//!
//! The manifest's other metadata is in `xtask/template-patches/Cargo.mustache.patch` and
//! generator-config.yaml.

use crate::package_version;
use crate::tree::Tree;
use crate::workspace;

/// The generator's `--additional-properties` value for the user agent.
pub fn user_agent_property() -> Result<String, String> {
    let version = package_version::current_package_version()?;
    Ok(format!(
        "httpUserAgent=verify-push-verify-v2/{version}/rust"
    ))
}

/// Adds LICENSE and CHANGELOG.md to the generated files.
pub fn add_files(files: &mut Tree) -> Result<(), String> {
    let read = |path: std::path::PathBuf| {
        std::fs::read(&path).map_err(|e| {
            format!(
                "cannot read {} (the generated crate ships it): {e}",
                workspace::display(&path)
            )
        })
    };
    files.insert("LICENSE".into(), read(workspace::root().join("LICENSE"))?);
    files.insert(
        "CHANGELOG.md".into(),
        read(package_version::changelog_path())?,
    );
    Ok(())
}

/// Makes the root Cargo.toml require the `packageVersion` of `verify-v2` (or, with
/// `write == false`, fails when it does not).
pub fn sync_requirement(write: bool) -> Result<(), String> {
    let version = package_version::current_package_version()?;
    let path = workspace::root().join("Cargo.toml");
    let manifest = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (updated, old) = with_requirement(&manifest, &version)?;
    if old == version {
        return Ok(());
    }
    if !write {
        return Err(format!(
            "Cargo.toml requires verify-v2 \"{old}\" but generator-config.yaml's packageVersion is \
             {version}. Run `cargo xtask codegen` and commit the result."
        ));
    }
    std::fs::write(&path, updated).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!(
        "Cargo.toml now requires verify-v2 \"{version}\" (was \"{old}\"); Cargo.lock follows on the next build."
    );
    Ok(())
}

/// The manifest with the `[workspace.dependencies]` entry of `verify-v2` requiring `version`,
/// and the version it required.
fn with_requirement(manifest: &str, version: &str) -> Result<(String, String), String> {
    let mut old = None;
    let lines: Vec<String> = manifest
        .lines()
        .map(|line| {
            if old.is_some() || !line.starts_with("verify-v2 = {") {
                return line.to_string();
            }
            let Some(start) = line.find("version = \"").map(|i| i + "version = \"".len()) else {
                return line.to_string();
            };
            let Some(len) = line[start..].find('"') else {
                return line.to_string();
            };
            old = Some(line[start..start + len].to_string());
            format!("{}{version}{}", &line[..start], &line[start + len..])
        })
        .collect();
    let old = old.ok_or(
        "the root Cargo.toml has no `verify-v2 = { …, version = \"…\" }` line in \
         [workspace.dependencies]",
    )?;
    let mut text = lines.join("\n");
    if manifest.ends_with('\n') {
        text.push('\n');
    }
    Ok((text, old))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_requirement_follows_the_package_version() {
        let manifest = "[workspace.dependencies]\n# comment\nverify-v2 = { path = \"crates/generated\", version = \"0.1.0\", default-features = false }\nverify-push = { path = \"crates/verify-push\", version = \"0.1.0\" }\n";
        let (updated, old) = with_requirement(manifest, "0.2.0").unwrap();
        assert_eq!(old, "0.1.0");
        assert_eq!(
            updated,
            manifest.replacen(
                "version = \"0.1.0\", default",
                "version = \"0.2.0\", default",
                1
            )
        );
        assert!(
            updated
                .contains("verify-push = { path = \"crates/verify-push\", version = \"0.1.0\" }")
        );
        assert!(with_requirement("[workspace]\n", "0.2.0").is_err());
    }

    /// The committed workspace agrees with generator-config.yaml, and the crate ships its files.
    #[test]
    fn the_workspace_requires_the_configured_version_and_the_crate_ships_license_and_changelog() {
        sync_requirement(false).unwrap();
        let mut files = Tree::new();
        add_files(&mut files).unwrap();
        assert!(String::from_utf8_lossy(&files["LICENSE"]).contains("Apache License"));
        assert!(
            String::from_utf8_lossy(&files["CHANGELOG.md"]).starts_with("# Changelog of verify-v2")
        );
        assert!(
            user_agent_property()
                .unwrap()
                .starts_with("httpUserAgent=verify-push-verify-v2/")
        );
    }
}
