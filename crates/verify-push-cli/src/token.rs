//! `verify-push token create` and `verify-push token fetch`.

use crate::args::{CreateArgs, FetchArgs, Format, GlobalArgs, TokenCommand};
use crate::config::{self, Env};
use crate::error::CliError;
use crate::output;

/// Runs a `token` subcommand and prints the token on stdout.
pub async fn run(command: TokenCommand, global: &GlobalArgs, env: &Env) -> Result<(), CliError> {
    // Before any request: a token created for a closed stdout would be lost.
    output::check_stdout_open()?;
    let base_url = global.base_url.as_deref();
    match command {
        TokenCommand::Create(args) => {
            let format = args.output.format();
            create(args, base_url, format, env).await
        }
        TokenCommand::Fetch(args) => {
            let format = args.output.format();
            fetch(args, base_url, format, env).await
        }
    }
}

async fn create(
    args: CreateArgs,
    base_url: Option<&str>,
    format: Format,
    env: &Env,
) -> Result<(), CliError> {
    let target = config::resolve(base_url, args.service.clone(), env).await?;
    // The values were validated when the command line was parsed; the library checks them
    // again before sending, which costs nothing.
    let request = target
        .client
        .access_tokens(target.service.as_str())
        .create(args.identity().as_str())
        .set_factor_friendly_name(args.friendly_name.map(|name| name.as_str().to_string()))
        .set_ttl(args.ttl.map(|ttl| ttl.as_duration()));
    let token = request.send().await?;
    output::print(&output::render(&token, format))
}

async fn fetch(
    args: FetchArgs,
    base_url: Option<&str>,
    format: Format,
    env: &Env,
) -> Result<(), CliError> {
    let target = config::resolve(base_url, args.service, env).await?;
    let result = target
        .client
        .access_tokens(target.service.as_str())
        .fetch(&args.sid)
        .await;
    let token = match result {
        Ok(token) => token,
        // A fresh in-process sandbox has issued nothing yet: say so instead of leaving a bare
        // 404 to puzzle over.
        Err(e) if target.is_local_sandbox() && e.code() == Some(20404) => {
            output::note(
                "verify-push: the local sandbox starts empty for each command, so a fetch \
                 finds nothing; run `verify-push sandbox` and point --base-url and the \
                 TWILIO_* variables at it to keep tokens between commands",
            );
            return Err(e.into());
        }
        Err(e) => return Err(e.into()),
    };
    output::print(&output::render(&token, format))
}
