//! Shared helpers: run the built `verify-push` binary as a child process, with an environment
//! made only of what the test says (plus PATH and HOME), against a sandbox in the test's
//! runtime. The child is awaited asynchronously so the sandbox keeps serving meanwhile.

#![allow(dead_code)] // Each test file uses a different subset.

use std::process::Stdio;
use std::time::Duration;

use verify_push_sandbox::Sandbox;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_verify-push");

/// A valid identity: the SHA-256-style hex Twilio's sample backend sends.
pub const IDENTITY: &str = "ff483d1ff591898a9942916050d2ca3f";

/// No run should take this long; a hung child fails the test instead of hanging CI.
const LIMIT: Duration = Duration::from_secs(60);

/// What a finished run produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Both streams, for assertions that nothing leaked anywhere.
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// Panics with both streams unless the exit code is `code`.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit code {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// The value of a `key: value` line of the human output.
    #[track_caller]
    pub fn field(&self, key: &str) -> String {
        let prefix = format!("{key}:");
        self.stdout
            .lines()
            .find_map(|line| line.strip_prefix(&prefix))
            .map(|value| value.trim().to_string())
            .unwrap_or_else(|| panic!("no `{key}:` line in stdout:\n{}", self.stdout))
    }
}

/// A command for the binary with an empty environment except PATH and HOME (so a developer's
/// own TWILIO_* variables never leak into a test) plus `env`.
pub fn command(args: &[&str], env: &[(String, String)]) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(BIN);
    command.args(args).env_clear().kill_on_drop(true);
    for name in ["PATH", "HOME"] {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command.envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    command
}

/// Runs the binary to completion.
pub async fn run(args: &[&str], env: &[(String, String)]) -> Run {
    let output = tokio::time::timeout(
        LIMIT,
        command(args, env)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output(),
    )
    .await
    .expect("verify-push did not finish within 60 s")
    .expect("cannot run verify-push");
    Run {
        code: output
            .status
            .code()
            .expect("verify-push was killed by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// `(name, value)` pairs as owned strings.
pub fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The sandbox's account SID and auth token, as Twilio's variables.
pub fn auth_token_env(sandbox: &Sandbox) -> Vec<(String, String)> {
    vars(&[
        ("TWILIO_ACCOUNT_SID", sandbox.account_sid()),
        ("TWILIO_AUTH_TOKEN", sandbox.auth_token()),
    ])
}

/// The sandbox's account SID, API key and secret, as Twilio's variables.
pub fn api_key_env(sandbox: &Sandbox) -> Vec<(String, String)> {
    vars(&[
        ("TWILIO_ACCOUNT_SID", sandbox.account_sid()),
        ("TWILIO_API_KEY", sandbox.api_key_sid()),
        ("TWILIO_API_SECRET", sandbox.api_key_secret()),
    ])
}

/// A loopback base URL where nothing listens: bind a free port, then close it.
pub async fn closed_port_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a free port");
    let port = listener.local_addr().expect("local address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
