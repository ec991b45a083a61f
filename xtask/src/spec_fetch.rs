//! `cargo xtask spec fetch`: vendors a spec and writes its lock.

use crate::spec_source;
use crate::workspace;

/// Parses `[--version V | --from PATH_OR_URL]` and vendors the spec.
pub fn run(args: &[&str]) -> Result<(), String> {
    let source = parse_source(args)?;
    eprintln!("Fetching {source} …");
    let fetched = spec_source::read(&source)?;
    serde_json::from_slice::<serde_json::Value>(&fetched.bytes)
        .map_err(|e| format!("{source} is not JSON: {e}"))?;
    let spec_path = workspace::spec_path();
    std::fs::write(&spec_path, &fetched.bytes)
        .map_err(|e| format!("cannot write {}: {e}", spec_path.display()))?;
    fetched.lock.write(&workspace::lock_path())?;
    eprintln!(
        "Wrote {} (sha256 {}) from {}.\nNext: `cargo xtask codegen`, then review the diff of crates/generated.",
        workspace::display(&spec_path),
        fetched.lock.sha256,
        fetched.lock.source
    );
    Ok(())
}

/// The source named by the arguments, in the notation `spec_source::read` takes.
fn parse_source(args: &[&str]) -> Result<String, String> {
    match args {
        [] => Ok(spec_source::npm_source(None)),
        ["--version", version] => Ok(spec_source::npm_source(Some(version))),
        ["--from", location] => Ok((*location).to_string()),
        _ => Err(format!(
            "usage: cargo xtask spec fetch [--version V | --from PATH_OR_URL] (got: {})",
            args.join(" ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_choose_the_source() {
        assert_eq!(parse_source(&[]).unwrap(), "npm:@twilio/cli-core");
        assert_eq!(
            parse_source(&["--version", "9.0.0"]).unwrap(),
            "npm:@twilio/cli-core@9.0.0"
        );
        assert_eq!(
            parse_source(&["--from", "https://127.0.0.1/x.json"]).unwrap(),
            "https://127.0.0.1/x.json"
        );
        assert!(parse_source(&["--version"]).is_err());
    }
}
