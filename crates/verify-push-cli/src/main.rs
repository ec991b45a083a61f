//! `verify-push`: mint and inspect Twilio Verify Push enrollment access tokens.
//!
//! The entry point: parse the command line, set up logging, run the command, and turn the
//! outcome into an exit code (0 success, 1 Twilio or network failure, 2 bad input or usage).

mod args;
mod backend_args;
mod challenge_cmd;
mod config;
mod device;
mod error;
mod factor_cmd;
mod logging;
mod output;
mod progress;
mod resource_output;
mod sandbox_cmd;
mod token;
mod webhook_cmd;

use std::process::ExitCode;

use crate::args::{Cli, Command};
use crate::config::Env;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    // clap prints usage errors and exits 2 (0 for --help and --version) by itself.
    let cli = Cli::parse_checked();
    logging::init(cli.global.verbose);
    let result = match cli.command {
        Command::Token(command) => token::run(command, &cli.global, &Env::from_process()).await,
        Command::Sandbox(args) => sandbox_cmd::run(args, &cli.global).await,
        Command::Device(args) => device::run(args, &cli.global).await,
        Command::Factor(command) => {
            factor_cmd::run(command, &cli.global, &Env::from_process()).await
        }
        Command::Webhook(command) => {
            webhook_cmd::run(command, &cli.global, &Env::from_process()).await
        }
        // `wait` has its own success code for "answered, but not approved".
        Command::Challenge(command) => {
            match challenge_cmd::run(command, &cli.global, &Env::from_process()).await {
                Ok(code) => return ExitCode::from(code),
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
