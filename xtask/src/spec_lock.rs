//! The lock beside the vendored spec: where it came from and its sha256.

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::workspace;

/// Contents of `openapi/twilio_verify_v2.lock.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecLock {
    /// Where the spec was taken from: `npm:@twilio/cli-core@9.0.0`, an http(s) URL, or a file path.
    pub source: String,
    /// The spec's path inside the source package, when the source is a package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_in_source: Option<String>,
    /// Lower-case hex sha256 of the vendored file's bytes.
    pub sha256: String,
}

impl SpecLock {
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", workspace::display(path)))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a valid spec lock: {e}", workspace::display(path)))
    }

    pub fn write(&self, path: &Path) -> Result<(), String> {
        let mut text = serde_json::to_string_pretty(self).expect("a lock always serializes");
        text.push('\n');
        std::fs::write(path, text)
            .map_err(|e| format!("cannot write {}: {e}", workspace::display(path)))
    }
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        write!(hex, "{byte:02x}").expect("writing to a String cannot fail");
    }
    hex
}

/// Refuses a spec whose bytes do not match its lock, so nobody regenerates from an edited
/// or half-downloaded spec by accident.
pub fn verify(spec_path: &Path, lock_path: &Path) -> Result<SpecLock, String> {
    let lock = SpecLock::read(lock_path)?;
    let bytes = std::fs::read(spec_path)
        .map_err(|e| format!("cannot read {}: {e}", workspace::display(spec_path)))?;
    let actual = sha256_hex(&bytes);
    if actual != lock.sha256 {
        return Err(format!(
            "{spec} does not match its lock {lock_file}:\n  \
             sha256 of the file: {actual}\n  \
             sha256 in the lock: {expected}\n\
             The spec was changed without updating the lock. To vendor a new spec, run\n  \
             cargo xtask spec fetch                       (newest @twilio/cli-core from npm)\n  \
             cargo xtask spec fetch --version V           (a given @twilio/cli-core version)\n  \
             cargo xtask spec fetch --from PATH_OR_URL    (a file or an http(s) URL)\n\
             or restore the vendored file with `git checkout -- {spec}`.",
            spec = workspace::display(spec_path),
            lock_file = workspace::display(lock_path),
            expected = lock.sha256,
        ));
    }
    Ok(lock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn spec_that_differs_from_its_lock_is_refused_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let spec = dir.path().join("spec.json");
        let lock = dir.path().join("spec.lock.json");
        std::fs::write(&spec, b"{\"openapi\":\"3.0.1\"}").unwrap();
        SpecLock {
            source: "npm:@twilio/cli-core@9.0.0".into(),
            path_in_source: None,
            sha256: sha256_hex(b"{\"openapi\":\"3.0.1\"}"),
        }
        .write(&lock)
        .unwrap();
        assert!(verify(&spec, &lock).is_ok());

        std::fs::write(&spec, b"{\"openapi\":\"3.0.2\"}").unwrap();
        let err = verify(&spec, &lock).unwrap_err();
        assert!(err.contains("does not match its lock"), "{err}");
        assert!(err.contains("cargo xtask spec fetch --from"), "{err}");
    }

    #[test]
    fn lock_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock.json");
        let lock = SpecLock {
            source: "https://127.0.0.1/spec.json".into(),
            path_in_source: Some("package/x.json".into()),
            sha256: "00".repeat(32),
        };
        lock.write(&path).unwrap();
        assert_eq!(SpecLock::read(&path).unwrap(), lock);
    }
}
