//! `cargo xtask spec fetch`: vendors a spec and writes its lock.

use crate::report_text;
use crate::spec_diff::{self, Side};
use crate::spec_lock::sha256_hex;
use crate::spec_source::{self, FetchedSpec};
use crate::workspace;

/// Parses `[--version V | --from PATH_OR_URL]` and vendors the spec.
pub fn run(args: &[&str]) -> Result<(), String> {
    let source = parse_source(args)?;
    eprintln!("Fetching {source} …");
    let fetched = spec_source::read(&source)?;
    serde_json::from_slice::<serde_json::Value>(&fetched.bytes)
        .map_err(|e| format!("{source} is not JSON: {e}"))?;
    eprint!("{}", change_report(Side::vendored().ok(), &fetched));
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

/// What the fetched spec changes against the one it replaces, printed before it is written so
/// the maintainer knows what regenerating will do. It never fails the fetch: vendoring a spec the
/// diff cannot read is still the maintainer's call, and codegen will say what is wrong with it.
fn change_report(current: Option<Side>, fetched: &FetchedSpec) -> String {
    let Some(current) = current else {
        return "No vendored spec yet: nothing to compare.\n".into();
    };
    if sha256_hex(&current.bytes) == fetched.lock.sha256 {
        return format!(
            "{} is identical to the vendored spec: nothing changes.\n",
            fetched.lock.source
        );
    }
    let new = Side {
        label: fetched.lock.source.clone(),
        bytes: fetched.bytes.clone(),
    };
    match spec_diff::report(&current, &new) {
        Ok(report) => format!("{}\n", report_text::text(&report)),
        Err(e) => format!("warning: cannot compare with the vendored spec: {e}\n"),
    }
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

    fn fetched(bytes: &[u8]) -> FetchedSpec {
        FetchedSpec {
            bytes: bytes.to_vec(),
            lock: crate::spec_lock::SpecLock {
                source: "npm:@twilio/cli-core@99.0.0".into(),
                path_in_source: None,
                sha256: sha256_hex(bytes),
            },
        }
    }

    fn current(bytes: &[u8]) -> Option<Side> {
        Some(Side {
            label: "openapi/twilio_verify_v2.json".into(),
            bytes: bytes.to_vec(),
        })
    }

    #[test]
    fn fetch_reports_what_the_new_spec_changes() {
        let old = br#"{"openapi":"3.0.1","info":{"title":"T","version":"1"},"paths":{}}"#;
        let new = br#"{"openapi":"3.0.1","info":{"title":"T","version":"1"},"paths":{"/v2/Forms":{"get":{"operationId":"FetchForm","tags":["VerifyV2Form"],"responses":{"204":{"description":"none"}}}}}}"#;
        let same = change_report(current(old), &fetched(old));
        assert!(same.contains("identical"), "{same}");
        assert!(change_report(None, &fetched(new)).contains("nothing to compare"));
        let unreadable = change_report(current(b"{"), &fetched(new));
        assert!(
            unreadable.starts_with("warning: cannot compare"),
            "{unreadable}"
        );
        if !crate::generator::java_present_for_tests() {
            return;
        }
        let report = change_report(current(old), &fetched(new));
        assert!(report.contains("Verdict: additive"), "{report}");
        assert!(
            report.contains("fn verify_v2_form_api::fetch_form()"),
            "{report}"
        );
        assert!(report.contains("GET /v2/Forms  FetchForm"), "{report}");
        assert!(
            report.contains("new: npm:@twilio/cli-core@99.0.0"),
            "{report}"
        );
    }
}
