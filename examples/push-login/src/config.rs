//! Where the example gets its Twilio settings: the environment, or the in-process sandbox.

/// Which Verify the example talks to.
#[derive(Debug, Clone)]
pub enum Mode {
    /// The local sandbox, started in-process.
    Sandbox,
    /// Twilio, with `TWILIO_*` credentials from the environment.
    Twilio {
        /// `TWILIO_VERIFY_SERVICE_SID`.
        service_sid: String,
        /// `TWILIO_WEBHOOK_AUTH_TOKEN`, else `TWILIO_AUTH_TOKEN`: the key of webhook signatures.
        webhook_auth_token: Option<String>,
    },
}

/// The example's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Sandbox or Twilio.
    pub mode: Mode,
    /// The public base URL Twilio calls webhooks at (`PUBLIC_URL`), e.g. behind a tunnel;
    /// default: the listening address.
    pub public_url: Option<String>,
}

impl Config {
    /// Against the in-process sandbox.
    pub fn sandbox() -> Self {
        Self {
            mode: Mode::Sandbox,
            public_url: None,
        }
    }

    /// From the environment: any `TWILIO_*` credential means Twilio (and then
    /// `TWILIO_VERIFY_SERVICE_SID` is required); none means the sandbox.
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let public_url = var("PUBLIC_URL");
        let any_twilio = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY"]
            .iter()
            .any(|name| std::env::var_os(name).is_some());
        if !any_twilio {
            return Ok(Self {
                mode: Mode::Sandbox,
                public_url,
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
        })
    }
}
