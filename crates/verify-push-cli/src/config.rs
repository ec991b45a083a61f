//! Where a `token` command sends its request: credentials, base URL and Verify Service, from
//! the options and the environment, or a local sandbox when nothing is configured.
//!
//! The rule, in order:
//!
//! 1. Any Twilio variable set (`TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_API_KEY`, an
//!    API secret, `TWILIO_REGION`, `TWILIO_EDGE`) or `--base-url` given: the configuration
//!    comes from the environment exactly as the library reads it, and must be complete. A
//!    half-configured environment is an error naming the variable, never a silent fallback to
//!    the sandbox: a token from the sandbox where a real one was expected would only fail later,
//!    on the phone.
//! 2. Nothing set: a sandbox starts in-process, one line on stderr says so, and the command
//!    runs against it, so the README's first command works on a fresh machine.
//!
//! The service SID is `--service`, else `TWILIO_VERIFY_SERVICE_SID`, else the sandbox's own.

use std::collections::HashMap;

use verify_push::{Client, ClientBuilder, Credentials, ServiceSid, TWILIO_ENV_VARS};
use verify_push_sandbox::Sandbox;

use crate::error::CliError;

/// The variable naming the Verify Service, read by the CLI only (the library takes the service
/// SID as an argument).
pub const SERVICE_SID_VAR: &str = "TWILIO_VERIFY_SERVICE_SID";

/// A snapshot of the environment, so the rules can be tested without touching the process's.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, String>,
}

impl Env {
    /// The process environment. One of the variables the CLI reads that is set but not valid
    /// Unicode is an error naming it (exit 2): taking it as unset would fall back to the
    /// sandbox and print a fake token as if it worked. Other such variables are skipped.
    pub fn from_process() -> Result<Self, CliError> {
        Self::from_os_vars(std::env::vars_os())
    }

    fn from_os_vars(
        vars: impl IntoIterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
    ) -> Result<Self, CliError> {
        let mut env = Self::default();
        for (name, value) in vars {
            let Ok(name) = name.into_string() else {
                continue;
            };
            match value.into_string() {
                Ok(value) => {
                    env.vars.insert(name, value);
                }
                Err(_) if is_read_by_the_cli(&name) => {
                    return Err(CliError::Usage(format!(
                        "invalid {name}: is set but is not valid UTF-8"
                    )));
                }
                Err(_) => {}
            }
        }
        Ok(env)
    }

    /// The given variables.
    #[cfg(test)]
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            vars: vars
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Whether any variable the library reads is present, even empty: an empty one is reported
    /// by the library, not ignored.
    fn configures_twilio(&self) -> bool {
        TWILIO_ENV_VARS
            .iter()
            .any(|name| self.vars.contains_key(*name))
    }
}

fn is_read_by_the_cli(name: &str) -> bool {
    name == SERVICE_SID_VAR || TWILIO_ENV_VARS.contains(&name)
}

/// A client and the service to use it with. Holds the in-process sandbox, if any, so it serves
/// for as long as the command runs.
#[derive(Debug)]
pub struct Target {
    /// The configured client.
    pub client: Client,
    /// The Verify Service SID.
    pub service: ServiceSid,
    sandbox: Option<Sandbox>,
}

impl Target {
    /// Whether requests go to a sandbox started by this process.
    pub fn is_local_sandbox(&self) -> bool {
        self.sandbox.is_some()
    }
}

/// Resolves the target of a `token` command. `service_flag` is `--service`, already validated.
///
/// Fails with exit code 2 (nothing sent) when the configuration is missing or malformed.
pub async fn resolve(
    base_url: Option<&str>,
    service_flag: Option<ServiceSid>,
    env: &Env,
) -> Result<Target, CliError> {
    let service = match service_flag {
        Some(sid) => Some(sid),
        None => service_from_env(env)?,
    };

    if base_url.is_none() && !env.configures_twilio() {
        return start_sandbox(service).await;
    }

    let mut builder = ClientBuilder::from_env_vars(env.vars.clone()).map_err(|e| {
        if env.configures_twilio() {
            CliError::Verify(e)
        } else {
            // Only --base-url is given: say why credentials are needed at all.
            CliError::Usage(
                "--base-url needs credentials: TWILIO_ACCOUNT_SID is not set; set it with \
                 TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET), e.g. to the \
                 values `verify-push sandbox` prints"
                    .to_string(),
            )
        }
    })?;
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    let client = builder.build().map_err(rename_base_url)?;
    let service = service.ok_or_else(|| {
        CliError::Usage(format!(
            "no Verify Service SID: pass --service VA… or set {SERVICE_SID_VAR}"
        ))
    })?;
    tracing::debug!(
        target: "verify_push_cli",
        base_url = client.base_url(),
        credentials = credential_source(env),
        service_sid = service.as_str(),
        "using the configuration from the environment"
    );
    Ok(Target {
        client,
        service,
        sandbox: None,
    })
}

/// `TWILIO_VERIFY_SERVICE_SID`, checked with the library's rule; errors name the variable.
fn service_from_env(env: &Env) -> Result<Option<ServiceSid>, CliError> {
    let Some(value) = env.get(SERVICE_SID_VAR) else {
        return Ok(None);
    };
    if value.trim().is_empty() {
        return Err(CliError::Usage(format!(
            "invalid {SERVICE_SID_VAR}: is set but empty"
        )));
    }
    value
        .parse::<ServiceSid>()
        .map(Some)
        .map_err(|e| CliError::Usage(format!("invalid {SERVICE_SID_VAR}: {}", e.rule())))
}

/// Starts the in-process sandbox and a client for it. A service SID the user gave becomes the
/// sandbox's own, so `--service` works the same with and without credentials.
async fn start_sandbox(service: Option<ServiceSid>) -> Result<Target, CliError> {
    let mut builder = Sandbox::builder();
    if let Some(sid) = &service {
        builder = builder.service_sid(sid.as_str());
    }
    let sandbox = builder
        .start()
        .await
        .map_err(|e| CliError::Runtime(format!("cannot start the local sandbox: {e}")))?;
    // The one line that says what happened: a user who expected Twilio must not mistake a
    // sandbox token for a real one.
    crate::output::note(&format!(
        "verify-push: no TWILIO_* credentials found; using a local sandbox at {} (tokens are fake)",
        sandbox.base_url()
    ));
    let client = Client::builder()
        .credentials(Credentials::auth_token(
            sandbox.account_sid(),
            sandbox.auth_token(),
        ))
        .base_url(sandbox.base_url())
        .build()?;
    let service = match service {
        Some(sid) => sid,
        None => sandbox.service_sid().parse().map_err(|e| {
            CliError::Runtime(format!("the sandbox's service SID is unusable: {e}"))
        })?,
    };
    tracing::debug!(
        target: "verify_push_cli",
        base_url = client.base_url(),
        credentials = "local sandbox",
        service_sid = service.as_str(),
        "using an in-process sandbox"
    );
    Ok(Target {
        client,
        service,
        sandbox: Some(sandbox),
    })
}

/// The library names the builder field `base_url`; on the command line it is `--base-url`.
fn rename_base_url(e: verify_push::Error) -> CliError {
    match e.as_invalid_input() {
        Some(invalid) if invalid.field() == "base_url" => {
            CliError::Usage(format!("invalid --base-url: {}", invalid.rule()))
        }
        _ => CliError::Verify(e),
    }
}

/// Which kind of credentials the environment holds, for `-v`: a name, never a value. The API
/// key wins when both are set, as in the library.
fn credential_source(env: &Env) -> &'static str {
    if env.get("TWILIO_API_KEY").is_some() {
        "TWILIO_API_KEY"
    } else {
        "TWILIO_AUTH_TOKEN"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const VA: &str = "VAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn usage(result: Result<Target, CliError>) -> String {
        match result {
            Err(e @ CliError::Usage(_)) => e.to_string(),
            Err(e) if e.exit_code() == 2 => e.to_string(),
            other => panic!("expected a usage error, got {other:?}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_non_unicode_twilio_variable_is_named_not_skipped() {
        use std::os::unix::ffi::OsStringExt;
        let bad = std::ffi::OsString::from_vec(vec![0x66, 0xff, 0x6f]);
        let err = Env::from_os_vars([("TWILIO_AUTH_TOKEN".into(), bad.clone())]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("TWILIO_AUTH_TOKEN"), "{err}");
        let env = Env::from_os_vars([("OTHER".into(), bad)]).unwrap();
        assert!(!env.configures_twilio());
    }

    #[tokio::test]
    async fn environment_credentials_and_flag_service_are_used() {
        let env = Env::from_vars([("TWILIO_ACCOUNT_SID", AC), ("TWILIO_AUTH_TOKEN", "t")]);
        let target = resolve(None, Some(VA.parse().unwrap()), &env)
            .await
            .unwrap();
        assert_eq!(target.client.base_url(), "https://verify.twilio.com");
        assert_eq!(target.service.as_str(), VA);
        assert!(!target.is_local_sandbox());
    }

    #[tokio::test]
    async fn base_url_overrides_region_and_edge() {
        let env = Env::from_vars([
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_AUTH_TOKEN", "t"),
            ("TWILIO_REGION", "ie1"),
            ("TWILIO_EDGE", "dublin"),
            (SERVICE_SID_VAR, VA),
        ]);
        let target = resolve(Some("http://127.0.0.1:9"), None, &env)
            .await
            .unwrap();
        assert_eq!(target.client.base_url(), "http://127.0.0.1:9");
        assert_eq!(target.service.as_str(), VA);
    }

    #[tokio::test]
    async fn the_flag_wins_over_the_service_variable() {
        let other = "VAcccccccccccccccccccccccccccccccc";
        let env = Env::from_vars([
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_AUTH_TOKEN", "t"),
            (SERVICE_SID_VAR, VA),
        ]);
        let target = resolve(None, Some(other.parse().unwrap()), &env)
            .await
            .unwrap();
        assert_eq!(target.service.as_str(), other);
    }

    #[tokio::test]
    async fn a_partial_environment_is_an_error_not_a_sandbox() {
        let env = Env::from_vars([("TWILIO_AUTH_TOKEN", "t"), (SERVICE_SID_VAR, VA)]);
        let message = usage(resolve(None, None, &env).await);
        assert!(message.contains("TWILIO_ACCOUNT_SID"), "{message}");
        assert!(!message.contains("sandbox"), "{message}");
    }

    #[tokio::test]
    async fn a_base_url_without_credentials_says_what_is_needed() {
        let message = usage(resolve(Some("http://127.0.0.1:9"), None, &Env::default()).await);
        assert!(message.contains("TWILIO_ACCOUNT_SID"), "{message}");
        assert!(message.contains("--base-url"), "{message}");
    }

    #[tokio::test]
    async fn a_missing_service_is_named() {
        let env = Env::from_vars([("TWILIO_ACCOUNT_SID", AC), ("TWILIO_AUTH_TOKEN", "t")]);
        let message = usage(resolve(None, None, &env).await);
        assert!(message.contains("--service"), "{message}");
        assert!(message.contains(SERVICE_SID_VAR), "{message}");
    }

    #[tokio::test]
    async fn a_malformed_service_variable_is_named() {
        let env = Env::from_vars([(SERVICE_SID_VAR, "VA123")]);
        let message = usage(resolve(None, None, &env).await);
        assert!(message.contains(SERVICE_SID_VAR), "{message}");
        assert!(message.contains("32 hexadecimal"), "{message}");
    }

    #[tokio::test]
    async fn a_plain_http_base_url_to_another_host_is_refused() {
        let env = Env::from_vars([
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_AUTH_TOKEN", "t"),
            (SERVICE_SID_VAR, VA),
        ]);
        let message = usage(resolve(Some("http://example.com"), None, &env).await);
        assert!(message.contains("--base-url"), "{message}");
    }

    #[tokio::test]
    async fn an_empty_environment_uses_a_sandbox_with_the_given_service() {
        let target = resolve(None, Some(VA.parse().unwrap()), &Env::default())
            .await
            .unwrap();
        assert!(target.is_local_sandbox());
        assert!(target.client.base_url().starts_with("http://127.0.0.1:"));
        assert_eq!(target.service.as_str(), VA);
    }
}
