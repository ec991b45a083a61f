//! The command line: subcommands, options and their help text (clap derive).
//!
//! Values with a rule (TTL, identity, friendly name, SIDs) are parsed straight into the
//! library's validated types, so a bad value is a usage error (exit 2) that names the option
//! and the rule, before any configuration is read or any request is made.

use clap::{Args, Parser, Subcommand};
use verify_push::{AccessTokenSid, FriendlyName, Identity, ServiceSid, Ttl};

/// Twilio Verify Push from the command line: enrollment tokens, factors, challenges, webhooks.
#[derive(Debug, Parser)]
#[command(
    name = "verify-push",
    version,
    about = "Twilio Verify Push from the command line: enrollment tokens, factors, challenges, \
             webhooks, a local sandbox and a virtual phone",
    long_about = "Twilio Verify Push from the command line: mint the enrollment access token a \
                  mobile app needs to register a push factor for one of your users, list and \
                  delete factors, send login requests (challenges) and wait for the answer, \
                  manage webhooks; plus a local sandbox and a virtual phone to try it all.\n\n\
                  Credentials come from the environment, as with Twilio's SDKs: \
                  TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or with TWILIO_API_KEY and \
                  TWILIO_API_SECRET (or TWILIO_API_KEY_SECRET); optionally TWILIO_REGION with \
                  TWILIO_EDGE. The Verify Service comes from --service or \
                  TWILIO_VERIFY_SERVICE_SID.\n\n\
                  With no TWILIO_* credentials and no --base-url, commands run against a local \
                  sandbox started in-process (its tokens are fake; Twilio will not accept them). \
                  That sandbox starts empty for each command: for a whole flow, run \
                  `verify-push sandbox` in another terminal and point --base-url and the \
                  TWILIO_* values it prints at it.",
    after_help = "Examples:\n  \
                  verify-push token create --identity ff483d1ff591898a9942916050d2ca3f --ttl 300\n  \
                  verify-push token create --identity ff483d1ff591898a9942916050d2ca3f --enrollment\n  \
                  verify-push token fetch YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa --json\n  \
                  verify-push factor list --user user-42 --json\n  \
                  verify-push challenge create --user user-42 --message 'Log in?' --field Location=Berlin --wait\n  \
                  verify-push challenge wait YC… --user user-42\n  \
                  verify-push webhook create --name backend --url https://example.com/hook --event '*'\n  \
                  verify-push sandbox --port 8080\n\n\
                  Exit status: 0 success (for challenge wait and challenge create --wait: \
                  approved); 1 Twilio error or network failure; 2 bad input or usage (nothing \
                  was sent); 3 challenge wait: the challenge was denied or expired."
)]
pub struct Cli {
    /// Options accepted before or after the subcommand.
    #[command(flatten)]
    pub global: GlobalArgs,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's arguments; on a usage error prints it and exits 2 (0 for `--help`
    /// and `--version`).
    pub fn parse_checked() -> Self {
        Self::try_parse_checked_from(std::env::args_os()).unwrap_or_else(|e| {
            if !e.use_stderr() {
                // --help and --version: clap prints them and exits 0.
                e.exit();
            }
            // clap's errors quote the user's text; show it with control characters escaped
            // (line breaks kept: clap's own message spans several lines).
            eprint!("{}", crate::error::escape_controls(&e.to_string(), true));
            std::process::exit(e.exit_code());
        })
    }

    /// Parses `args` (the first is the program name).
    pub fn try_parse_checked_from<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        Self::try_parse_from(args)
    }
}

/// Options that apply to every subcommand. `global = true` lets them appear anywhere on the
/// command line, e.g. `verify-push token create --identity X --base-url URL`. Output options
/// (`--json`, `--enrollment`) belong to the commands that print a resource.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Where requests go instead of Twilio's host (`--help` has the rule).
    // `help` is explicit because the text has URLs, which rustdoc wants as links and clap
    // would print with the brackets.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help = "Send requests to this base URL instead of https://verify.twilio.com \
                (https://, or http:// to a loopback host such as a sandbox). \
                Still needs TWILIO_* credentials"
    )]
    pub base_url: Option<String>,

    /// Log each HTTP request on stderr (method, path, status, attempt, time, request id;
    /// never a credential or a token).
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// How a token is printed on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned `key: value` lines, the token last.
    Human,
    /// The resource with Twilio's field names (`--json`).
    Json,
    /// The mobile hand-off (`--enrollment`).
    Enrollment,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or fetch enrollment access tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Run the local Twilio Verify sandbox in the foreground and print its base URL,
    /// credentials and service SID, until Ctrl-C.
    Sandbox(SandboxArgs),
    /// A virtual phone: enroll a push factor from enrollment JSON, list pending challenges,
    /// approve or deny them, as the Verify Push SDK does.
    Device(DeviceArgs),
    /// List or delete a user's push factors (their enrolled phones).
    #[command(subcommand)]
    Factor(crate::backend_args::FactorCommand),
    /// Send a login request (challenge) to a user's phone, fetch it, or wait for the answer.
    #[command(subcommand)]
    Challenge(crate::backend_args::ChallengeCommand),
    /// Create, list or delete the service's webhooks (where Verify sends factor and challenge
    /// events).
    #[command(subcommand)]
    Webhook(crate::backend_args::WebhookCommand),
}

/// `verify-push device …`.
#[derive(Debug, Args)]
pub struct DeviceArgs {
    /// The state file with the factors and their keys. Default:
    /// $XDG_DATA_HOME/verify-push/device.json or ~/.local/share/verify-push/device.json.
    #[arg(long, global = true, value_name = "PATH")]
    pub state: Option<std::path::PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: DeviceCommand,
}

/// The device's subcommands.
#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Register and verify a push factor from {"token","serviceSid","identity","factorType"}
    /// (what `verify-push token create --enrollment` prints), read from stdin or --file.
    Enroll {
        /// Read the enrollment JSON from this file instead of stdin.
        #[arg(long, value_name = "PATH")]
        file: Option<std::path::PathBuf>,
    },
    /// List the pending challenges of every enrolled factor, with their message and fields.
    Challenges,
    /// Approve a pending challenge (signs the answer with the factor's key).
    Approve {
        /// The challenge SID (YC…).
        #[arg(value_name = "SID")]
        sid: String,
    },
    /// Deny a pending challenge.
    Deny {
        /// The challenge SID (YC…).
        #[arg(value_name = "SID")]
        sid: String,
    },
}

/// `verify-push token …`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an enrollment access token for an identity.
    Create(CreateArgs),
    /// Fetch an access token by its SID (YK…). Against the in-process sandbox (no credentials
    /// configured) this is always a 404: that sandbox starts empty for each command.
    Fetch(FetchArgs),
}

/// `verify-push token create`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["identity", "user"])))]
pub struct CreateArgs {
    /// The Entity identity: 8 to 64 characters, dash-separated letters and digits, no PII
    /// (e.g. a SHA-256 hex of your user id).
    #[arg(long, value_name = "ID")]
    pub identity: Option<Identity>,

    /// Your user id instead of --identity: the identity sent is its SHA-256 hex
    /// (Identity::hashed), as with the factor and challenge commands.
    #[arg(long, value_name = "USER_ID")]
    pub user: Option<String>,

    /// The Verify Service SID (VA…). Default: TWILIO_VERIFY_SERVICE_SID.
    #[arg(long, value_name = "VA…")]
    pub service: Option<ServiceSid>,

    /// The device's name, 1 to 64 characters.
    #[arg(long, value_name = "NAME")]
    pub friendly_name: Option<FriendlyName>,

    /// Token lifetime in seconds, 60 to 300. Default: Twilio's, 60.
    // Negative numbers reach the TTL rule instead of being taken for a short option.
    #[arg(long, value_name = "SECS", allow_negative_numbers = true)]
    pub ttl: Option<Ttl>,

    /// How the token is printed.
    #[command(flatten)]
    pub output: TokenOutput,
}

/// The output options of the `token` commands.
#[derive(Debug, Args)]
pub struct TokenOutput {
    /// Print the token resource as JSON with Twilio's field names (includes the token).
    #[arg(long, conflicts_with = "enrollment")]
    pub json: bool,

    /// Print the JSON a mobile app needs: {"token", "serviceSid", "identity", "factorType"}.
    #[arg(long)]
    pub enrollment: bool,
}

impl CreateArgs {
    /// The identity to send: `--identity` as given, or `--user` hashed.
    pub fn identity(&self) -> Identity {
        match (&self.identity, &self.user) {
            (Some(identity), _) => identity.clone(),
            (None, Some(user)) => Identity::hashed(user),
            // clap's required group guarantees one of them.
            (None, None) => Identity::hashed(""),
        }
    }
}

impl TokenOutput {
    /// The output format the flags select.
    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else if self.enrollment {
            Format::Enrollment
        } else {
            Format::Human
        }
    }
}

/// `verify-push token fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// The access token's SID (YK…).
    #[arg(value_name = "SID")]
    pub sid: AccessTokenSid,

    /// The Verify Service SID (VA…). Default: TWILIO_VERIFY_SERVICE_SID.
    #[arg(long, value_name = "VA…")]
    pub service: Option<ServiceSid>,

    /// How the token is printed.
    #[command(flatten)]
    pub output: TokenOutput,
}

/// `verify-push sandbox`.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 to listen on; 0 picks a free one.
    #[arg(long, short, value_name = "P", default_value_t = 0)]
    pub port: u16,

    /// The account SID the sandbox accepts (AC and 32 hex digits). Default: random, or the
    /// fixed test value with --test-defaults.
    #[arg(long, env = "TWILIO_ACCOUNT_SID", value_name = "AC…")]
    pub account_sid: Option<String>,

    /// The auth token the sandbox accepts and signs webhooks with. Default: random, or the
    /// fixed test value with --test-defaults.
    #[arg(
        long,
        env = "TWILIO_AUTH_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub auth_token: Option<String>,

    /// The default Verify service's SID (VA and 32 hex digits). Default: random, or the fixed
    /// test value with --test-defaults.
    #[arg(long, env = "TWILIO_VERIFY_SERVICE_SID", value_name = "VA…")]
    pub service_sid: Option<String>,

    /// Use the documented fixed credentials (docs/sandbox.md) for whatever --account-sid,
    /// --auth-token and --service-sid do not set, so a test suite can hard-code them.
    #[arg(long)]
    pub test_defaults: bool,

    /// Print one JSON line (base_url, account_sid, auth_token, service_sid, control_url) on
    /// stdout instead of the banner, then serve: for a test suite that starts the sandbox as a
    /// subprocess and reads the line.
    #[arg(long = "json")]
    pub json_line: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_work_after_the_subcommand() {
        let cli = Cli::try_parse_checked_from([
            "verify-push",
            "token",
            "create",
            "--identity",
            "ff483d1ff591898a",
            "--json",
            "--base-url",
            "http://127.0.0.1:1",
            "-v",
        ])
        .unwrap();
        let Command::Token(TokenCommand::Create(create)) = cli.command else {
            panic!("not token create: {cli:?}");
        };
        assert_eq!(create.output.format(), Format::Json);
        assert!(cli.global.verbose);
        assert_eq!(cli.global.base_url.as_deref(), Some("http://127.0.0.1:1"));
    }

    #[test]
    fn json_and_enrollment_conflict() {
        let err = Cli::try_parse_checked_from([
            "verify-push",
            "token",
            "create",
            "--json",
            "--identity",
            "ff483d1ff591898a",
            "--enrollment",
        ])
        .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn output_options_belong_to_the_commands_that_print() {
        for args in [
            &["verify-push", "--json", "sandbox"][..],
            &["verify-push", "sandbox", "--enrollment"],
            &[
                "verify-push",
                "factor",
                "delete",
                "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "--identity",
                "ff483d1ff591898a",
                "--json",
            ],
        ] {
            let err = Cli::try_parse_checked_from(args).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
    }

    #[test]
    fn a_bad_ttl_is_a_usage_error_naming_the_rule() {
        let err = Cli::try_parse_checked_from([
            "verify-push",
            "token",
            "create",
            "--identity",
            "ff483d1ff591898a",
            "--ttl",
            "301",
        ])
        .unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let message = err.to_string();
        assert!(message.contains("--ttl"), "{message}");
        assert!(message.contains("60 to 300"), "{message}");
    }
}
