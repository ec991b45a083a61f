//! The command line of the backend-side commands: `factor`, `challenge`, `webhook`.
//!
//! SIDs and identities are parsed into the library's validated types, so a malformed one is a
//! usage error (exit 2) naming the option, before anything is sent. The rules the library
//! checks on a whole request (message length, number of fields, expiry) are left to it: its
//! `Error::InvalidInput` also exits 2 with nothing sent.

use clap::{ArgGroup, Args, Subcommand};
use verify_push::{ChallengeSid, FactorSid, Identity, ServiceSid, WebhookSid};

/// The exit code of `challenge wait` (and `challenge create --wait`) when the challenge ended
/// without approval: denied on the phone, or expired.
pub const NOT_APPROVED_EXIT: u8 = 3;

const USER_HELP: &str = "Identity options: --identity takes the Entity identity as Verify knows it \
                         (8 to 64 letters, digits and dashes); --user takes your own user id and \
                         sends its SHA-256 hex (Identity::hashed), as Twilio's sample backends do.";

const SANDBOX_HELP: &str = "With no TWILIO_* credentials and no --base-url, the command runs \
                            against a sandbox started in-process, which starts empty (no factors, \
                            no challenges). For a real flow, run `verify-push sandbox` in another \
                            terminal and point --base-url and the TWILIO_* values it prints at it.";

/// Which user (Verify Entity) a command is about.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("who").required(true).args(["identity", "user"])))]
pub struct EntityArgs {
    /// The Entity identity as sent to Verify (e.g. ff483d1ff591898a9942916050d2ca3f).
    #[arg(long, value_name = "ID")]
    pub identity: Option<Identity>,

    /// Your user id; the identity sent is its SHA-256 hex (no PII reaches Twilio).
    #[arg(long, value_name = "USER_ID")]
    pub user: Option<String>,

    /// The Verify Service SID (VA…). Default: TWILIO_VERIFY_SERVICE_SID.
    #[arg(long, value_name = "VA…")]
    pub service: Option<ServiceSid>,
}

impl EntityArgs {
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

/// `--json` for commands that print a resource.
#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print the resource as JSON with Twilio's field names.
    #[arg(long)]
    pub json: bool,
}

/// `verify-push factor …`.
#[derive(Debug, Subcommand)]
#[command(after_help = format!("{USER_HELP}\n\n{SANDBOX_HELP}\n\nExamples:\n  \
    verify-push factor list --user user-42\n  \
    verify-push factor list --identity ff483d1ff591898a9942916050d2ca3f --json\n  \
    verify-push factor delete YF… --user user-42"))]
pub enum FactorCommand {
    /// List the user's factors (SID, status, name).
    List {
        #[command(flatten)]
        entity: EntityArgs,
        #[command(flatten)]
        output: JsonArg,
    },
    /// Delete one of the user's factors: that phone no longer receives login requests.
    Delete {
        /// The factor SID (YF…).
        #[arg(value_name = "SID")]
        sid: FactorSid,
        #[command(flatten)]
        entity: EntityArgs,
    },
}

/// `verify-push challenge …`.
#[derive(Debug, Subcommand)]
#[command(after_help = format!("{USER_HELP}\n\n{SANDBOX_HELP}\n\nExamples:\n  \
    verify-push challenge create --user user-42 --message 'Log in from Chrome?' --field Location=Berlin --wait\n  \
    verify-push challenge fetch YC… --user user-42 --json\n  \
    verify-push challenge wait YC… --user user-42 --timeout 120\n\n\
    Exit status of wait and create --wait: 0 approved; {NOT_APPROVED_EXIT} denied or expired; \
    1 Twilio error, network failure or --timeout reached; 2 bad input or usage (nothing sent)."))]
pub enum ChallengeCommand {
    /// Send a login request to one of the user's verified factors.
    Create(ChallengeCreateArgs),
    /// Fetch a challenge and print its status and details.
    Fetch {
        /// The challenge SID (YC…).
        #[arg(value_name = "SID")]
        sid: ChallengeSid,
        #[command(flatten)]
        entity: EntityArgs,
        #[command(flatten)]
        output: JsonArg,
    },
    /// Wait until the challenge is approved (exit 0), denied or expired (exit 3).
    Wait {
        /// The challenge SID (YC…).
        #[arg(value_name = "SID")]
        sid: ChallengeSid,
        #[command(flatten)]
        entity: EntityArgs,
        #[command(flatten)]
        wait: WaitArgs,
        #[command(flatten)]
        output: JsonArg,
    },
}

/// How long `wait` may take.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// Give up after this many seconds (exit 1). Default: until the challenge expires.
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
}

/// `verify-push challenge create`.
#[derive(Debug, Args)]
pub struct ChallengeCreateArgs {
    #[command(flatten)]
    pub entity: EntityArgs,

    /// The factor (YF…) to send to. Default: the user's only verified factor.
    #[arg(long, value_name = "YF…")]
    pub factor: Option<FactorSid>,

    /// The question shown on the phone, 1 to 256 characters.
    #[arg(long, value_name = "TEXT")]
    pub message: String,

    /// A detail shown with the message (repeatable, up to 20), e.g. --field Location=Berlin.
    #[arg(long = "field", value_name = "LABEL=VALUE", value_parser = key_value)]
    pub fields: Vec<(String, String)>,

    /// A detail kept out of sight but returned with the answer (repeatable), e.g.
    /// --hidden ip=203.0.113.7.
    #[arg(long = "hidden", value_name = "KEY=VALUE", value_parser = key_value)]
    pub hidden: Vec<(String, String)>,

    /// Seconds until the challenge expires, at most 3600. Default: Twilio's, 300.
    #[arg(long, value_name = "SECS")]
    pub expires_in: Option<u64>,

    /// After creating, wait for the answer (exit 0 approved, 3 denied or expired).
    #[arg(long)]
    pub wait: bool,

    /// With --wait: give up after this many seconds (exit 1). Default: until the challenge
    /// expires.
    #[arg(long, value_name = "SECS", requires = "wait")]
    pub timeout: Option<u64>,

    #[command(flatten)]
    pub output: JsonArg,
}

/// `verify-push webhook …`.
#[derive(Debug, Subcommand)]
#[command(after_help = format!("{SANDBOX_HELP}\n\nEvents: *, factor.created, factor.verified, \
    factor.deleted, challenge.approved, challenge.denied.\n\nExamples:\n  \
    verify-push webhook create --name backend --url https://example.com/verify-events --event challenge.approved --event challenge.denied\n  \
    verify-push webhook list --json\n  \
    verify-push webhook delete YW…"))]
pub enum WebhookCommand {
    /// Create a webhook: Verify POSTs the chosen events to the URL.
    Create {
        /// A name for it (no PII).
        #[arg(long, value_name = "NAME")]
        name: String,
        /// Where Verify sends the events.
        #[arg(long, value_name = "URL")]
        url: String,
        /// An event type to send (repeatable; `*` for all).
        #[arg(long = "event", value_name = "TYPE", required = true)]
        events: Vec<String>,
        /// The Verify Service SID (VA…). Default: TWILIO_VERIFY_SERVICE_SID.
        #[arg(long, value_name = "VA…")]
        service: Option<ServiceSid>,
        #[command(flatten)]
        output: JsonArg,
    },
    /// List the service's webhooks.
    List {
        /// The Verify Service SID (VA…). Default: TWILIO_VERIFY_SERVICE_SID.
        #[arg(long, value_name = "VA…")]
        service: Option<ServiceSid>,
        #[command(flatten)]
        output: JsonArg,
    },
    /// Delete a webhook.
    Delete {
        /// The webhook SID (YW…).
        #[arg(value_name = "SID")]
        sid: WebhookSid,
        /// The Verify Service SID (VA…). Default: TWILIO_VERIFY_SERVICE_SID.
        #[arg(long, value_name = "VA…")]
        service: Option<ServiceSid>,
    },
}

/// `LABEL=VALUE`, split at the first `=`; the label must not be empty (the library checks
/// lengths).
fn key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
        _ => Err("expected LABEL=VALUE with a non-empty label".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_value_splits_at_the_first_equals_sign() {
        assert_eq!(
            key_value("Location=Berlin=DE").unwrap(),
            ("Location".to_string(), "Berlin=DE".to_string())
        );
        assert!(key_value("=x").is_err());
        assert!(key_value("nolabel").is_err());
    }
}
