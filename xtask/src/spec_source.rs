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
        from_npm(&npm_package_spec(spec)?)
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

/// Checks what follows `npm:`: `PACKAGE` or `PACKAGE@VERSION`, PACKAGE an npm package name
/// (`@twilio/cli-core`), VERSION `MAJOR.MINOR.PATCH` with an optional pre-release. Anything else
/// (an option such as `--version`, a path, a URL, a git or `file:` spec, a tag or a range) is
/// refused before npm sees it, since `npm pack` would run or read it.
fn npm_package_spec(spec: &str) -> Result<String, String> {
    let usage = "expected npm:@twilio/cli-core@VERSION (VERSION like 9.0.0), or npm:@twilio/cli-core for the newest";
    let (name, version) = match spec.rfind('@') {
        Some(at) if at > 0 => (&spec[..at], Some(&spec[at + 1..])),
        _ => (spec, None),
    };
    let word = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c))
            && w.starts_with(|c: char| c.is_ascii_alphanumeric())
    };
    let name_ok = match name.strip_prefix('@') {
        Some(scoped) => scoped
            .split_once('/')
            .is_some_and(|(scope, pkg)| word(scope) && word(pkg)),
        None => word(name),
    };
    if !name_ok {
        return Err(format!(
            "npm:{spec}: `{name}` is not an npm package name; {usage}"
        ));
    }
    if let Some(version) = version {
        let (core, pre) = version.split_once('-').unwrap_or((version, ""));
        let numbers: Vec<&str> = core.split('.').collect();
        let core_ok = numbers.len() == 3
            && numbers
                .iter()
                .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        let pre_ok = pre
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        if !core_ok || !pre_ok {
            return Err(format!("npm:{spec}: `{version}` is not a version; {usage}"));
        }
    }
    Ok(spec.to_string())
}

/// npm's reason for a failure: with `--json` it writes `{"error": {"code", "summary",
/// "detail"}}` to stdout, and little or nothing useful to stderr.
fn npm_error(stdout: &[u8], stderr: &[u8]) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(stdout).ok();
    if let Some(error) = parsed.as_ref().and_then(|v| v.get("error")) {
        let field = |key: &str| error[key].as_str().unwrap_or_default().trim().to_string();
        let mut reason = [field("code"), field("summary")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(": ");
        let detail = field("detail");
        if !detail.is_empty() {
            reason.push_str(&format!("\n{detail}"));
        }
        if !reason.is_empty() {
            return reason;
        }
    }
    let text = [stdout, stderr]
        .iter()
        .map(|b| String::from_utf8_lossy(b).trim().to_string())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    if text.is_empty() {
        "npm gave no reason".into()
    } else {
        text
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
            "`npm pack {package_spec}` failed ({}):\n{}",
            output.status,
            npm_error(&output.stdout, &output.stderr)
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
    fn npm_takes_a_package_and_a_version_never_an_option_or_a_path() {
        for good in [
            "@twilio/cli-core@9.0.0",
            "@twilio/cli-core",
            "cli-core@1.2.3-beta.1",
        ] {
            assert_eq!(npm_package_spec(good).unwrap(), good);
        }
        for bad in [
            "--version",
            "-v",
            "./local/dir",
            "/tmp/x",
            "../x",
            "file:../x",
            "git+https://github.com/twilio/twilio-cli-core",
            "https://registry.npmjs.org/x.tgz",
            "@twilio/cli-core@latest",
            "@twilio/cli-core@^9",
            "@twilio/cli-core@9.0",
            "@twilio/cli-core@9.0.0 --foo",
            "",
        ] {
            let err = read(&format!("npm:{bad}")).unwrap_err();
            assert!(
                err.contains("expected npm:@twilio/cli-core@VERSION"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn npm_errors_show_the_reason_npm_wrote_to_stdout() {
        let stdout = serde_json::json!({"error": {
            "code": "ETARGET",
            "summary": "No matching version found for @twilio/cli-core@99.0.0.",
            "detail": "In most cases you or one of your dependencies are requesting\na package version that doesn't exist."
        }})
        .to_string();
        let reason = npm_error(stdout.as_bytes(), b"");
        assert!(
            reason.starts_with("ETARGET: No matching version found for @twilio/cli-core@99.0.0."),
            "{reason}"
        );
        assert!(reason.contains("doesn't exist"), "{reason}");
        assert_eq!(npm_error(b"", b"npm ERR! boom\n"), "npm ERR! boom");
        assert_eq!(npm_error(b"", b""), "npm gave no reason");
    }

    #[test]
    fn missing_file_names_the_path() {
        let err = read("/nonexistent/spec.json").unwrap_err();
        assert!(err.contains("/nonexistent/spec.json"), "{err}");
    }
}
