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
    // This binary's TLS is rustls with ring (Cargo.toml: the first build skips aws-lc-sys). With
    // ring, reqwest has no provider of its own, so every reqwest client of the process (the
    // in-process sandbox's too) takes the process default, installed here before any is built.
    // Already installed (a test build that also has aws-lc-rs) is fine: either provider works.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let result = match cli.command {
        Command::Token(command) => match Env::from_process() {
            Ok(env) => token::run(command, &cli.global, &env).await,
            Err(e) => Err(e),
        },
        Command::Sandbox(args) => sandbox_cmd::run(args, &cli.global).await,
        Command::Device(args) => device::run(args, &cli.global).await,
        Command::Factor(command) => match Env::from_process() {
            Ok(env) => factor_cmd::run(command, &cli.global, &env).await,
            Err(e) => Err(e),
        },
        Command::Webhook(command) => match Env::from_process() {
            Ok(env) => webhook_cmd::run(command, &cli.global, &env).await,
            Err(e) => Err(e),
        },
        // `wait` has its own success code for "answered, but not approved".
        Command::Challenge(command) => match Env::from_process() {
            Ok(env) => match challenge_cmd::run(command, &cli.global, &env).await {
                Ok(code) => return ExitCode::from(code),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The message may quote what the user or a server supplied.
            output::note(&format!(
                "error: {}",
                error::escape_controls(&e.to_string(), false)
            ));
            ExitCode::from(e.exit_code())
        }
    }
}
