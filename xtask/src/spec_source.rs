//! Reading a Verify v2 spec from wherever a maintainer points: a file, an http(s) URL, or the
//! npm package `@twilio/cli-core`, which ships Twilio's specs.

use std::path::Path;
use std::process::Command;

use crate::spec_lock::{SpecLock, sha256_hex};

/// The npm package that ships Twilio's OpenAPI specs.
pub const NPM_PACKAGE: &str = "@twilio/cli-core";
/// The spec's file name inside that package (under `src/services/twilio-api/`).
pub const SPEC_FILE_NAME: &str = "twilio_verify_v2.json";
/// Refuse absurd downloads: the real spec is about 0.5 MB.
const MAX_SPEC_BYTES: u64 = 64 * 1024 * 1024;

/// A spec read into memory, with the lock that records where it came from.
#[derive(Debug)]
pub struct FetchedSpec {
    pub bytes: Vec<u8>,
    pub lock: SpecLock,
}

/// Reads a spec named the way the xtask's commands accept it: `npm:PACKAGE[@VERSION]`, an
/// `http://` or `https://` URL, or a file path.
pub fn read(source: &str) -> Result<FetchedSpec, String> {
    if let Some(spec) = source.strip_prefix("npm:") {
        from_npm(spec)
    } else if source.starts_with("http://") || source.starts_with("https://") {
        from_url(source)
    } else {
        from_file(Path::new(source))
    }
}

/// `npm:@twilio/cli-core@VERSION`, or the newest version when `version` is `None`.
pub fn npm_source(version: Option<&str>) -> String {
    match version {
        Some(v) => format!("npm:{NPM_PACKAGE}@{v}"),
        None => format!("npm:{NPM_PACKAGE}"),
    }
}

fn from_file(path: &Path) -> Result<FetchedSpec, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let source = std::path::absolute(path)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| path.display().to_string());
    Ok(finish(bytes, source, None))
}

fn from_url(url: &str) -> Result<FetchedSpec, String> {
    let mut response = ureq::get(url)
        .call()
        .map_err(|e| format!("cannot download {url}: {e}"))?;
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_SPEC_BYTES)
        .read_to_vec()
        .map_err(|e| format!("cannot read the body of {url}: {e}"))?;
    Ok(finish(bytes, url.to_string(), None))
}

/// Downloads the package tarball with `npm pack` into a temporary directory (nothing is
/// installed, globally or locally) and takes the spec out of it with `tar`.
fn from_npm(package_spec: &str) -> Result<FetchedSpec, String> {
    let dir =
        tempfile::tempdir().map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let output = Command::new("npm")
        .args([
            "pack",
            package_spec,
            "--json",
            "--silent",
            "--pack-destination",
        ])
        .arg(dir.path())
        .current_dir(dir.path())
        .output()
        .map_err(|e| format!("cannot run npm (is Node.js installed?): {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`npm pack {package_spec}` failed:\n{}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let packed: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("unexpected output from `npm pack --json`: {e}"))?;
    let entry = packed.get(0).ok_or("`npm pack --json` listed no package")?;
    let (name, version, filename) = (
        entry["name"].as_str().unwrap_or_default(),
        entry["version"].as_str().unwrap_or_default(),
        entry["filename"].as_str().unwrap_or_default(),
    );
    if name.is_empty() || version.is_empty() || filename.is_empty() {
        return Err(format!("unexpected output from `npm pack --json`: {entry}"));
    }
    let tarball = dir.path().join(filename);

    let listing = run_tar(Command::new("tar").arg("-tzf").arg(&tarball))?;
    let member = listing
        .lines()
        .find(|line| line.ends_with(&format!("/{SPEC_FILE_NAME}")))
        .ok_or_else(|| format!("{name}@{version} does not contain {SPEC_FILE_NAME}"))?
        .to_string();
    run_tar(
        Command::new("tar")
            .arg("-xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(dir.path())
            .arg(&member),
    )?;
    let bytes = std::fs::read(dir.path().join(&member))
        .map_err(|e| format!("cannot read {member} from {filename}: {e}"))?;
    Ok(finish(bytes, format!("npm:{name}@{version}"), Some(member)))
}

fn run_tar(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "tar failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn finish(bytes: Vec<u8>, source: String, path_in_source: Option<String>) -> FetchedSpec {
    let sha256 = sha256_hex(&bytes);
    FetchedSpec {
        bytes,
        lock: SpecLock {
            source,
            path_in_source,
            sha256,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    /// Serves `body` once on 127.0.0.1 with the given status and returns the URL.
    fn serve_once(status: &'static str, body: &'static [u8]) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(body).unwrap();
        });
        format!("http://{addr}/spec/json/twilio_verify_v2.json")
    }

    #[test]
    fn reads_a_spec_from_an_http_url() {
        let url = serve_once("200 OK", b"{\"openapi\":\"3.0.1\"}");
        let fetched = read(&url).unwrap();
        assert_eq!(fetched.bytes, b"{\"openapi\":\"3.0.1\"}");
        assert_eq!(fetched.lock.source, url);
        assert_eq!(fetched.lock.sha256, sha256_hex(b"{\"openapi\":\"3.0.1\"}"));
    }

    #[test]
    fn http_error_status_is_reported_with_the_url() {
        let url = serve_once("404 Not Found", b"nope");
        let err = read(&url).unwrap_err();
        assert!(err.contains(&url) && err.contains("404"), "{err}");
    }

    #[test]
    fn reads_a_spec_from_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spec.json");
        std::fs::write(&path, b"{}").unwrap();
        let fetched = read(path.to_str().unwrap()).unwrap();
        assert_eq!(fetched.bytes, b"{}");
        assert!(fetched.lock.source.ends_with("spec.json"));
    }

    #[test]
    fn missing_file_names_the_path() {
        let err = read("/nonexistent/spec.json").unwrap_err();
        assert!(err.contains("/nonexistent/spec.json"), "{err}");
    }
}
