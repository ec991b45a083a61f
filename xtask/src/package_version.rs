//! The version of `verify-v2` and its changelog: where each is kept. Generation reads them
//! (`crate_release`, `spec_diff`), the release step (`version_bump`) writes them; both depend on
//! this module, never on each other.

use std::path::PathBuf;

use crate::workspace;

/// The changelog of `verify-v2`, outside `crates/generated` because a person reviews and may
/// reword it; `cargo xtask codegen` copies it into the crate as `CHANGELOG.md`.
pub const CHANGELOG: &str = "openapi/verify-v2-CHANGELOG.md";

pub fn changelog_path() -> PathBuf {
    workspace::root().join(CHANGELOG)
}

/// `packageVersion` from generator-config.yaml.
pub fn package_version(config: &str) -> Option<String> {
    config.lines().find_map(|line| {
        let value = line.trim().strip_prefix("packageVersion:")?;
        let value = value.split('#').next()?.trim().trim_matches(['"', '\'']);
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// The current `packageVersion` of generator-config.yaml.
pub fn current_package_version() -> Result<String, String> {
    let path = workspace::generator_config();
    let config = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", workspace::display(&path)))?;
    package_version(&config).ok_or_else(|| "generator-config.yaml has no packageVersion".into())
}

/// `config` with its `packageVersion` line set to `version`.
pub fn set_package_version(config: &str, version: &str) -> Result<String, String> {
    let mut found = false;
    let mut out: Vec<String> = config
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if !found && trimmed.starts_with("packageVersion:") {
                found = true;
                let indent = &line[..line.len() - trimmed.len()];
                format!("{indent}packageVersion: {version}")
            } else {
                line.to_string()
            }
        })
        .collect();
    if !found {
        return Err("generator-config.yaml has no packageVersion line".into());
    }
    out.push(String::new());
    Ok(out.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_version_is_read_and_replaced_in_place() {
        let config = "additionalProperties:\n  # the version\n  packageVersion: 0.1.0\n  supportAsync: true\n";
        assert_eq!(package_version(config).as_deref(), Some("0.1.0"));
        let bumped = set_package_version(config, "0.2.0").unwrap();
        assert_eq!(
            bumped,
            "additionalProperties:\n  # the version\n  packageVersion: 0.2.0\n  supportAsync: true\n"
        );
        assert!(set_package_version("generatorName: rust\n", "1.0.0").is_err());
    }

    #[test]
    fn package_version_is_read_from_the_generator_config() {
        let config = "additionalProperties:\n  packageName: verify-v2\n  packageVersion: \"0.3.1\" # bump me\n";
        assert_eq!(package_version(config).as_deref(), Some("0.3.1"));
        assert_eq!(package_version("generatorName: rust\n"), None);
    }
}
