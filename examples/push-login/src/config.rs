//! Where the example gets its Twilio settings (the environment, or the in-process sandbox) and
//! its database.

use std::sync::Arc;
use std::time::Duration;

use verify_push_sandbox::Sandbox;

/// Which Verify the example talks to. `Debug` names the kind only (the webhook auth token stays
/// out of logs).
#[derive(Clone)]
pub enum Mode {
    /// The local sandbox, started in-process.
    Sandbox,
    /// A sandbox that is already running (tests share one between two instances); the
    /// instance registers its webhook there when `webhook` is true.
    Existing(Arc<Sandbox>, bool),
    /// Twilio, with `TWILIO_*` credentials from the environment.
    Twilio {
        /// `TWILIO_VERIFY_SERVICE_SID`.
        service_sid: String,
        /// `TWILIO_WEBHOOK_AUTH_TOKEN`, else `TWILIO_AUTH_TOKEN`: the key of webhook signatures.
        webhook_auth_token: Option<String>,
    },
}

/// The example's configuration. `Debug` leaves out the webhook token and the database URL,
/// which may carry a password.
#[derive(Clone)]
pub struct Config {
    /// Sandbox or Twilio.
    pub mode: Mode,
    /// The public base URL Twilio calls webhooks at (`PUBLIC_URL`), e.g. behind a tunnel;
    /// default: the listening address.
    pub public_url: Option<String>,
    /// `sqlite://PATH` or `postgres://…` (`--database`, else `DATABASE_URL`); default: a SQLite
    /// file under the user's data directory.
    pub database: String,
    /// How long a login request waits for the phone (Verify's challenge expiry, and the
    /// login attempt's, by the database's clock).
    pub login_ttl: Duration,
    /// Sign-ins allowed per minute from one IP address.
    pub signins_per_ip: u32,
    /// Sign-ins allowed per minute for one email.
    pub signins_per_user: u32,
}

impl std::fmt::Debug for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Mode::Sandbox => "Sandbox",
            Mode::Existing(..) => "Existing",
            Mode::Twilio { .. } => "Twilio",
        })
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mode = &self.mode;
        let database = self.database.split(':').next().unwrap_or("");
        f.debug_struct("Config")
            .field("mode", &mode)
            .field("public_url", &self.public_url)
            .field("database", &format_args!("{database}:[REDACTED]"))
            .field("login_ttl", &self.login_ttl)
            .finish_non_exhaustive()
    }
}

/// `sqlite://…/push-login/push-login.db` under `$XDG_DATA_HOME` or `~/.local/share`, else
/// the working directory.
pub fn default_database() -> String {
    let dir = std::env::var_os("XDG_DATA_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".local/share")))
        .unwrap_or_else(|| ".".into())
        .join("push-login");
    let _ = std::fs::create_dir_all(&dir);
    format!("sqlite://{}", dir.join("push-login.db").display())
}

impl Config {
    /// Against the in-process sandbox, with the database at `database`.
    pub fn sandbox(database: impl Into<String>) -> Self {
        Self {
            mode: Mode::Sandbox,
            public_url: None,
            database: database.into(),
            login_ttl: Duration::from_secs(300),
            signins_per_ip: 30,
            signins_per_user: 5,
        }
    }

    /// From the environment: any `TWILIO_*` credential means Twilio (and then
    /// `TWILIO_VERIFY_SERVICE_SID` is required); none means the sandbox.
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let public_url = var("PUBLIC_URL");
        let database = var("DATABASE_URL").unwrap_or_else(default_database);
        let any_twilio = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY"]
            .iter()
            .any(|name| std::env::var_os(name).is_some());
        if !any_twilio {
            return Ok(Self {
                mode: Mode::Sandbox,
                public_url,
                ..Self::sandbox(database)
            });
        }
        let service_sid = var("TWILIO_VERIFY_SERVICE_SID")
            .ok_or("TWILIO_VERIFY_SERVICE_SID is required with TWILIO_* credentials")?;
        Ok(Self {
            mode: Mode::Twilio {
                service_sid,
                webhook_auth_token: var("TWILIO_WEBHOOK_AUTH_TOKEN")
                    .or_else(|| var("TWILIO_AUTH_TOKEN")),
            },
            public_url,
            ..Self::sandbox(database)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_secret() {
        let mut config = Config::sandbox("postgres://app:s3cret@db.example.com/push_login");
        config.mode = Mode::Twilio {
            service_sid: "VA1".into(),
            webhook_auth_token: Some("tok3n".into()),
        };
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("tok3n"),
            "{shown}"
        );
        assert!(shown.contains("postgres:[REDACTED]"), "{shown}");
    }
}
