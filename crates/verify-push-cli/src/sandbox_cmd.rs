//! `verify-push sandbox`: the local fake of Twilio Verify in the foreground, for mobile and
//! backend developers who want a Twilio-shaped server without an account.

use std::fmt::Write as _;
use std::time::Duration;

use verify_push_sandbox::Sandbox;

use crate::args::{GlobalArgs, SandboxArgs};
use crate::error::CliError;
use crate::output;

/// How often the request log is polled to echo new requests on stderr. The sandbox has no
/// callback; a quarter second is prompt enough for a human watching.
const POLL: Duration = Duration::from_millis(250);

/// Starts the sandbox, prints how to use it, echoes each request it receives on stderr, and
/// serves until Ctrl-C (or SIGTERM).
pub async fn run(args: SandboxArgs, global: &GlobalArgs) -> Result<(), CliError> {
    // --base-url describes where a client command sends its requests; silently ignoring it
    // here would leave the user guessing. (--enrollment is not an option of `sandbox` at all,
    // so clap refuses it; `sandbox --json` is its own: one machine-readable line.)
    if global.base_url.is_some() {
        return Err(CliError::Usage(
            "--base-url only applies to client commands (token, factor, challenge, webhook, \
             device), not to `verify-push sandbox`"
                .to_string(),
        ));
    }

    // A token the user supplied (flag or TWILIO_AUTH_TOKEN, possibly a real one) is never
    // printed back; a random or --test-defaults one is the sandbox's own and is printed.
    let token_is_users = args.auth_token.is_some();
    let mut builder = Sandbox::builder().port(args.port);
    if let Some(sid) = args.account_sid {
        builder = builder.account_sid(sid);
    }
    if let Some(token) = args.auth_token {
        builder = builder.auth_token(token);
    }
    if let Some(sid) = args.service_sid {
        builder = builder.service_sid(sid);
    }
    if args.test_defaults {
        builder = builder.test_defaults();
    }
    let sandbox = builder.start().await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::InvalidInput {
            CliError::Usage(format!("verify-push sandbox: {e}"))
        } else {
            CliError::Runtime(format!(
                "cannot start the sandbox on 127.0.0.1:{}: {e}",
                args.port
            ))
        }
    })?;
    if args.json_line {
        output::print(&json_line(&sandbox, token_is_users))?;
    } else {
        output::print(&banner(&sandbox, token_is_users))?;
    }

    let mut seen = None;
    let mut poll = tokio::time::interval(POLL);
    let stop = shutdown_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            result = &mut stop => {
                result.map_err(|e| CliError::Runtime(format!("cannot wait for Ctrl-C: {e}")))?;
                break;
            }
            _ = poll.tick() => seen = echo_new_requests(&sandbox, seen.take()),
        }
    }
    // Requests since the last poll still get their line.
    echo_new_requests(&sandbox, seen);
    log_line("verify-push: stopping the sandbox");
    sandbox.shutdown().await;
    Ok(())
}

/// The `--json` line: everything a test suite needs to talk to the sandbox, on one line so a
/// reader can take the first line of stdout and parse it. `auth_token` is null when the user
/// supplied it (it may be a real one).
fn json_line(sandbox: &Sandbox, token_is_users: bool) -> String {
    let line = serde_json::json!({
        "base_url": sandbox.base_url(),
        "account_sid": sandbox.account_sid(),
        "auth_token": (!token_is_users).then(|| sandbox.auth_token()),
        "service_sid": sandbox.service_sid(),
        "control_url": format!("{}/_sandbox", sandbox.base_url()),
        "phone_url": sandbox.phone_url(),
    });
    format!("{line}\n")
}

/// What to paste where. The credentials are the sandbox's own random (or `--test-defaults`)
/// ones, printed on purpose: they are useless anywhere else. A token the user supplied is not
/// printed.
fn banner(sandbox: &Sandbox, token_is_users: bool) -> String {
    let url = sandbox.base_url();
    let shown_token = if token_is_users {
        "(the one you supplied; not printed)"
    } else {
        sandbox.auth_token()
    };
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        text,
        "Twilio Verify sandbox running (sandbox credentials, not real Twilio credentials)\n\
         \n\
         base URL:        {url}\n\
         account SID:     {account}\n\
         auth token:      {shown_token}\n\
         API key SID:     {key}\n\
         API key secret:  {secret}\n\
         service SID:     {service}\n\
         \n\
         # For this CLI or a backend using Twilio's variables:\n\
         export TWILIO_ACCOUNT_SID={account}\n\
         export TWILIO_AUTH_TOKEN={shown_token}\n\
         export TWILIO_VERIFY_SERVICE_SID={service}\n\
         # or with the API key instead of the auth token:\n\
         # export TWILIO_API_KEY={key} TWILIO_API_SECRET={secret}\n\
         \n\
         # Then, in another terminal:\n\
         verify-push --base-url {url} token create --identity ff483d1ff591898a9942916050d2ca3f\n\
         \n\
         # A virtual phone (after the exports above):\n\
         verify-push --base-url {url} token create --identity ff483d1ff591898a9942916050d2ca3f --enrollment | verify-push --base-url {url} device enroll\n\
         verify-push device challenges    # then: verify-push device approve YC…\n\
         \n\
         Its tokens are fake: Twilio and the Verify Push SDK will not accept them.\n\
         Serving until Ctrl-C.\n",
        account = sandbox.account_sid(),
        key = sandbox.api_key_sid(),
        secret = sandbox.api_key_secret(),
        service = sandbox.service_sid(),
    );
    text
}

/// Prints the requests logged after the one with request id `seen`, returns the newest id.
/// Only the method, path, status and request id: the sandbox never records passwords, and form
/// values stay out of the terminal. (The log is a ring buffer without the 401s, so positions
/// and counts do not line up; request ids do.)
fn echo_new_requests(sandbox: &Sandbox, seen: Option<String>) -> Option<String> {
    let requests = sandbox.requests();
    let start = seen
        .as_ref()
        .and_then(|id| requests.iter().position(|r| &r.request_id == id))
        .map_or(0, |index| index + 1);
    for request in &requests[start..] {
        log_line(&format!(
            "verify-push sandbox: {} {} -> {} (request {})",
            request.method, request.path, request.status, request.request_id
        ));
    }
    requests.last().map(|r| r.request_id.clone()).or(seen)
}

/// One line on stderr. `eprintln!` panics when stderr is a closed pipe
/// (`verify-push sandbox 2>&1 | head -c 300`), which took the server down with the next
/// request; a lost log line is the better outcome.
fn log_line(line: &str) {
    use std::io::Write as _;
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{line}");
}

/// Ctrl-C, or SIGTERM on Unix (what `kill` and process managers send).
async fn shutdown_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
