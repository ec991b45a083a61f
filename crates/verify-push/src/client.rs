//! The client: credentials, base URL, timeouts, retries, one shared HTTP connection pool (and
//! one more for `Client::raw`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use verify_v2::apis::configuration::Configuration;

use crate::call::secrets::Secrets;
use crate::call::settings::CallSettings;
use crate::{
    Credentials, Error, InvalidInput, RetryPolicy,
    config::{base_url, env, http, user_agent},
};

/// Default time to establish a connection, as Twilio's Go SDK uses for whole requests.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for a whole request, as Twilio's Node and Java SDKs use.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time for a whole call (every attempt, and every wait between retries) with the
/// default timeout. In general the default deadline is twice the timeout, so a client built
/// with a shorter timeout also gives up sooner overall.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);
/// Default response size limit: 4 MiB. Twilio's responses are a few hundred bytes; a page of a
/// thousand challenges with their details stays well below.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// A Twilio Verify client. Cheap to clone: clones share one connection pool.
///
/// ```no_run
/// use std::time::Duration;
/// use verify_push::{Client, Credentials};
///
/// # async fn demo() -> Result<(), verify_push::Error> {
/// let client = Client::builder()
///     .credentials(Credentials::auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "your auth token"))
///     .build()?;
/// let token = client
///     .access_tokens("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .create("ff483d1ff591898a9942916050d2ca3f")
///     .factor_friendly_name("John Doe iPhone")
///     .ttl(Duration::from_secs(300))
///     .send()
///     .await?;
/// println!("{}", token.sid());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    /// What the wrapper's generated request builders read (the base URL; no credentials or
    /// User-Agent: its reqwest client sends them as default headers, config/http.rs), and the
    /// reqwest client (one connection pool) the wrapper's calls (call/exchange.rs) are sent on.
    pub configuration: Configuration,
    /// What [`Client::raw`] hands out: credentials and User-Agent for the generated functions
    /// to send, on a reqwest client of its own without default headers.
    pub raw: Configuration,
    pub settings: CallSettings,
    pub base_url: String,
    pub username: String,
    pub connect_timeout: Duration,
    pub max_response_bytes: usize,
    /// Scrubbed from every error and log line.
    pub secrets: Secrets,
}

impl Client {
    /// A builder; [`credentials`](ClientBuilder::credentials) is required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the process environment; see [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// A client configured from the given variables instead of the process environment; see
    /// [`ClientBuilder::from_env_vars`].
    pub fn from_env_vars<I, K, V>(vars: I) -> Result<Client, Error>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        ClientBuilder::from_env_vars(vars)?.build()
    }

    /// The escape hatch for the rest of Verify v2: a generated
    /// [`Configuration`](crate::raw::apis::configuration::Configuration) with this client's
    /// credentials, base URL, user agent and timeouts, for any function in
    /// [`verify_push::raw`](crate::raw). No validation or retries happen there. Its reqwest
    /// client is one of its own (clones of this client and of the `Configuration` share it),
    /// without the credentials as default headers, so reusing it for another host sends them
    /// nowhere.
    ///
    /// By default `raw` has the APIs Verify Push uses (access tokens, entities, factors,
    /// challenges, notifications, webhooks); the `full-api` feature adds the rest of Verify v2
    /// (services, verifications, …), e.g. `verify_v2_service_api::fetch_service`.
    ///
    /// ```no_run
    /// # async fn demo(client: verify_push::Client) {
    /// use verify_push::raw::apis::verify_v2_webhook_api;
    /// let hooks = verify_v2_webhook_api::list_webhook(&client.raw(), "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", None, None, None).await;
    /// # }
    /// ```
    pub fn raw(&self) -> Configuration {
        self.inner.raw.clone()
    }

    /// The base URL requests go to, e.g. `https://verify.twilio.com`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The User-Agent sent with every request.
    pub fn user_agent(&self) -> &str {
        self.inner.raw.user_agent.as_deref().unwrap_or_default()
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("username", &self.inner.username)
            .field("password", &"[REDACTED]")
            .field("user_agent", &self.user_agent())
            .field("timeout", &self.inner.settings.timeout)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("deadline", &self.inner.settings.deadline)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("retry", &self.inner.settings.retry)
            .finish()
    }
}

/// Configures a [`Client`].
///
/// Where requests go: [`base_url`](Self::base_url) if set; else
/// `https://verify.{edge}.{region}.twilio.com` if [`region`](Self::region) and
/// [`edge`](Self::edge) are set (both or neither); else `https://verify.twilio.com`.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    base_url: Option<String>,
    region: Option<String>,
    edge: Option<String>,
    from_env: bool,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_response_bytes: Option<usize>,
    retry: Option<RetryPolicy>,
    user_agent_extension: Option<String>,
}

impl ClientBuilder {
    /// A builder pre-filled from the process environment:
    ///
    /// - `TWILIO_ACCOUNT_SID` (required) with `TWILIO_AUTH_TOKEN`, or with `TWILIO_API_KEY` and
    ///   `TWILIO_API_SECRET` (also accepted: `TWILIO_API_KEY_SECRET`). When both an API key and
    ///   an auth token are set, **the API key wins**.
    /// - `TWILIO_REGION` with `TWILIO_EDGE`, both or neither.
    ///
    /// A missing, empty, malformed or non-Unicode variable is an [`Error::Config`] naming it.
    /// Builder calls after this override what the environment set.
    pub fn from_env() -> Result<Self, Error> {
        // `std::env::vars` panics on a variable that is not Unicode. One of ours that is set
        // but not Unicode is an error naming it, never taken as unset; others are skipped.
        let mut vars = Vec::new();
        for (name, value) in std::env::vars_os() {
            let Ok(name) = name.into_string() else {
                continue;
            };
            match value.into_string() {
                Ok(value) => vars.push((name, value)),
                Err(_) if env::TWILIO_ENV_VARS.contains(&name.as_str()) => {
                    return Err(Error::Config(InvalidInput::new(
                        env::TWILIO_ENV_VARS
                            .into_iter()
                            .find(|known| *known == name)
                            .unwrap_or("TWILIO_*"),
                        "is set but is not valid UTF-8",
                    )));
                }
                Err(_) => {}
            }
        }
        Self::from_env_vars(vars)
    }

    /// Like [`from_env`](Self::from_env), reading the given variables instead, so tests need not
    /// touch the process environment.
    ///
    /// ```
    /// use verify_push::Client;
    ///
    /// let client = Client::from_env_vars([
    ///     ("TWILIO_ACCOUNT_SID", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    ///     ("TWILIO_AUTH_TOKEN", "auth token"),
    ///     ("TWILIO_REGION", "ie1"),
    ///     ("TWILIO_EDGE", "dublin"),
    /// ])?;
    /// assert_eq!(client.base_url(), "https://verify.dublin.ie1.twilio.com");
    ///
    /// let err = Client::from_env_vars([("TWILIO_AUTH_TOKEN", "t")]).unwrap_err();
    /// assert!(err.to_string().contains("TWILIO_ACCOUNT_SID"));
    /// # Ok::<(), verify_push::Error>(())
    /// ```
    pub fn from_env_vars<I, K, V>(vars: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let vars: std::collections::HashMap<String, String> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let config = env::read(|name| vars.get(name).cloned()).map_err(Error::Config)?;
        Ok(Self {
            credentials: Some(config.credentials),
            region: config.region,
            edge: config.edge,
            from_env: true,
            ..Self::default()
        })
    }

    /// The credentials (required).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sends requests to this base URL instead of Twilio's, e.g. a local sandbox. `https://`,
    /// or `http://` to a loopback host only. Wins over region and edge.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Twilio region, e.g. `ie1`; needs [`edge`](Self::edge).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Twilio edge location, e.g. `dublin`; needs [`region`](Self::region).
    pub fn edge(mut self, edge: impl Into<String>) -> Self {
        self.edge = Some(edge.into());
        self
    }

    /// Time allowed for a whole request, response body included. Default 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole call: every attempt and every wait between retries. An attempt
    /// still running at the deadline is abandoned (a [`Error::Timeout`]), and a retry that
    /// could not start before it is not made. Default: twice the [`timeout`](Self::timeout),
    /// so [`DEFAULT_DEADLINE`] (60 s) with the default timeout.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The largest response body read, in bytes. The body is read in chunks and the read stops
    /// as soon as it passes the limit (or at once when `Content-Length` says it will), with
    /// [`Error::ResponseTooLarge`]. Default [`DEFAULT_MAX_RESPONSE_BYTES`] (4 MiB). Does not
    /// apply to [`Client::raw`] calls.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = Some(max);
        self
    }

    /// Time allowed to establish a connection. Default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The retry policy. Default: [`RetryPolicy::default`]; [`RetryPolicy::none`] turns
    /// retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Appends `extension` (e.g. `my-app/1.2`) to the User-Agent.
    pub fn user_agent_extension(mut self, extension: impl Into<String>) -> Self {
        self.user_agent_extension = Some(extension.into());
        self
    }

    /// Checks the configuration and builds the client. Makes no request.
    pub fn build(self) -> Result<Client, Error> {
        let credentials = self.credentials.ok_or_else(|| {
            Error::Config(InvalidInput::new(
                "credentials",
                "are required: Credentials::auth_token(account_sid, auth_token) or \
                 Credentials::api_key(account_sid, api_key_sid, api_secret)",
            ))
        })?;
        credentials.validate().map_err(|e| {
            // From the environment, name the variable the value came from.
            let e = match (self.from_env, e.field()) {
                (true, "auth_token") => e.with_field(env::AUTH_TOKEN),
                (true, "api_secret") => e.with_field(env::API_SECRET),
                _ => e,
            };
            Error::Config(e)
        })?;
        let names = if self.from_env {
            (env::REGION, env::EDGE)
        } else {
            ("region", "edge")
        };
        let base_url = base_url::resolve(
            self.base_url.as_deref(),
            self.region.as_deref(),
            self.edge.as_deref(),
            names,
        )
        .map_err(Error::Config)?;
        let timeout = positive(self.timeout.unwrap_or(DEFAULT_TIMEOUT), "timeout")?;
        let connect_timeout = positive(
            self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            "connect_timeout",
        )?;
        let deadline = positive(
            self.deadline.unwrap_or(timeout.saturating_mul(2)),
            "deadline",
        )?;
        let max_response_bytes = self
            .max_response_bytes
            .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        if max_response_bytes == 0 {
            return Err(Error::Config(InvalidInput::new(
                "max_response_bytes",
                "must be greater than zero",
            )));
        }
        if let Some(extension) = &self.user_agent_extension {
            user_agent::check_extension(extension).map_err(Error::Config)?;
        }

        let agent = user_agent::user_agent(self.user_agent_extension.as_deref());
        let password = credentials.password().expose_secret();
        let (authorization, encoded) = http::basic_authorization(credentials.username(), password)?;
        let (wrapper, raw) = http::clients(connect_timeout, timeout, authorization, &agent)?;
        // The wrapper's calls send the credentials and User-Agent as its client's default
        // headers (config/http.rs), so its generated request builders are given none.
        let configuration = Configuration {
            base_path: base_url.clone(),
            user_agent: None,
            client: wrapper,
            basic_auth: None,
            oauth_access_token: None,
            bearer_access_token: None,
            api_key: None,
        };
        let raw = Configuration {
            base_path: base_url.clone(),
            user_agent: Some(agent),
            client: raw,
            basic_auth: Some((
                credentials.username().to_string(),
                Some(password.to_string()),
            )),
            oauth_access_token: None,
            bearer_access_token: None,
            api_key: None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                configuration,
                raw,
                settings: CallSettings {
                    retry: self.retry.unwrap_or_default(),
                    timeout,
                    deadline,
                },
                base_url,
                username: credentials.username().to_string(),
                connect_timeout,
                max_response_bytes,
                secrets: Secrets::new([password.to_string(), encoded]),
            }),
        })
    }
}

fn positive(duration: Duration, field: &'static str) -> Result<Duration, Error> {
    if duration.is_zero() {
        Err(Error::Config(InvalidInput::new(
            field,
            "must be greater than zero",
        )))
    } else {
        Ok(duration)
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("region", &self.region)
            .field("edge", &self.edge)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("user_agent_extension", &self.user_agent_extension)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The base64 credentials the wrapper's client sends are scrubbed like the password: a
    /// proxy may echo them without the `Authorization` key or a run long enough for the
    /// pattern rules (call/scrub.rs) to catch.
    #[test]
    fn the_encoded_credentials_are_a_secret_of_the_client() {
        const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        const TOKEN: &str = "0123456789abcdef0123456789abcdef";
        let client = Client::builder()
            .credentials(Credentials::auth_token(AC, TOKEN))
            .build()
            .unwrap();
        let (_, encoded) = http::basic_authorization(AC, TOKEN).unwrap();
        let shown = client
            .inner()
            .secrets
            .redact(&format!("got {encoded}"), "[X]");
        assert_eq!(shown, "got [X]");
    }
}
