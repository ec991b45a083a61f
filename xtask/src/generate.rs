//! One run of the pinned generator with the project's configuration: the step `codegen` (which
//! then formats, heads and writes the crate) and `spec diff` (which reads its API) share, below
//! both.

use std::path::Path;

use crate::crate_release;
use crate::generator::Generator;
use crate::workspace;

/// Files the generator writes that do not belong in a workspace member. The generator
/// configuration already suppresses them; removing them here too keeps them out even if a
/// generator upgrade renames the ignore option.
const LEFTOVERS: &[&str] = &[
    "git_push.sh",
    ".travis.yml",
    ".gitignore",
    ".openapi-generator-ignore",
];

/// Runs the generator on `spec` with the project's configuration and the patched `templates`
/// into `out`, and drops its leftovers. The sources are neither formatted nor headed.
pub fn generate_into(
    generator: &Generator,
    templates: &Path,
    spec: &Path,
    out: &Path,
) -> Result<(), String> {
    let config = workspace::generator_config();
    let user_agent = crate_release::user_agent_property()?;
    generator.run([
        "generate".as_ref(),
        "-c".as_ref(),
        config.as_os_str(),
        "-i".as_ref(),
        spec.as_os_str(),
        "-t".as_ref(),
        templates.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--additional-properties".as_ref(),
        user_agent.as_ref(),
    ])?;
    for leftover in LEFTOVERS {
        let _ = std::fs::remove_file(out.join(leftover));
    }
    Ok(())
}
