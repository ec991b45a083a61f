//! Maintainer tasks for the verify-push workspace. Run `cargo xtask help`.

mod api_diff;
mod api_features;
mod codegen;
mod crate_release;
mod generate;
mod generator;
mod module_graph;
mod package_version;
mod report_json;
mod report_text;
mod room_features;
mod rust_api;
mod spec_diff;
mod spec_explain;
mod spec_fetch;
mod spec_lock;
mod spec_model;
mod spec_report;
mod spec_source;
mod template_patch;
mod tree;
mod version_bump;
mod workspace;
mod wrapper_build;
mod wrapper_calls;

use std::process::ExitCode;

const USAGE: &str = "\
cargo xtask: maintainer tasks for the verify-push workspace

USAGE:
  cargo xtask codegen [--check]
      Regenerate crates/generated from openapi/twilio_verify_v2.json.
      --check: regenerate in a temporary directory (twice) and fail if crates/generated
               differs or if the two runs differ; writes nothing.
  cargo xtask spec fetch [--version V | --from PATH_OR_URL]
      Vendor Twilio's Verify v2 spec into openapi/ and record its source and sha256 in
      openapi/twilio_verify_v2.lock.json. Default: the newest @twilio/cli-core on npm.
      Prints what the new spec changes (see spec diff) before writing, then bumps
      packageVersion in generator-config.yaml by the diff's verdict and writes the
      changelog entries into openapi/verify-v2-CHANGELOG.md (docs/regenerating.md).
  cargo xtask spec diff OLD [NEW] [--json] [--no-build]
      Report what changes from spec OLD to spec NEW (default: the vendored spec) for the
      generated crate: both are generated (pinned generator, template patches) and their
      public Rust APIs compared; each change is breaking, additive or cosmetic by Cargo's
      SemVer rules, with the spec changes behind it, what touches verify-push, and the
      version to release. When a breaking change touches verify-push, it checks that
      verify-push still builds against the new crate (--no-build: skip).
      OLD and NEW: a file path, an http(s) URL, or npm:@twilio/cli-core@X.Y.Z.
      --json: the same report as JSON (docs/regenerating.md).
  cargo xtask layers
      Fail on any import cycle between the files of a handwritten crate, or any such file
      longer than 500 lines (docs/architecture.md, Layers).

ENVIRONMENT:
  OPENAPI_GENERATOR_CLI   an openapi-generator launcher or .jar to use instead of the pinned one
  PYTHON                  the Python used to install the pinned generator (default python3)
  JAVA_HOME               the Java runtime the generator runs on (default: java on PATH)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(),
        ["codegen", "--check"] => codegen::check(),
        ["spec", "fetch", rest @ ..] => version_bump::around_fetch(|| spec_fetch::run(rest)),
        ["spec", "diff", rest @ ..] => spec_diff::run(rest),
        ["layers"] => module_graph::check(&workspace::root()),
        [] | ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(format!("unknown arguments: {}\n\n{USAGE}", args.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
