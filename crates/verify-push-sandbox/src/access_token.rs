//! The access token resource: what a create returns and a fetch finds, in Twilio's JSON shape.

use std::fmt;

use serde::Serialize;

/// An access token the sandbox issued, as returned by
/// [`Sandbox::access_tokens`](crate::Sandbox::access_tokens). It serializes to exactly the JSON the
/// sandbox answers with (Twilio's `verify.v2.service.access_token`).
///
/// Its `Debug` output redacts [`token`](AccessToken::token): it is fake, but code that prints it
/// should be in the habit of not printing real ones.
///
/// # Examples
///
/// ```
/// use verify_push_sandbox::Sandbox;
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sandbox = Sandbox::start().await?;
/// let body: serde_json::Value = reqwest::Client::new()
///     .post(format!("{}/v2/Services/{}/AccessTokens", sandbox.base_url(), sandbox.service_sid()))
///     .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
///     .form(&[("Identity", "user-0001"), ("FactorType", "push")])
///     .send()
///     .await?
///     .json()
///     .await?;
///
/// // A backend test can check that the token its app received is the one the sandbox issued.
/// let issued = &sandbox.access_tokens()[0];
/// assert_eq!(body["token"], issued.token.as_str());
/// assert_eq!(issued.entity_identity, "user-0001");
/// assert_eq!(issued.ttl, 60);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AccessToken {
    /// `YK` and 32 lowercase hex digits.
    pub sid: String,
    /// The sandbox's account SID.
    pub account_sid: String,
    /// The sandbox's service SID.
    pub service_sid: String,
    /// The `Identity` the token was created for.
    pub entity_identity: String,
    /// Always `"push"`.
    pub factor_type: String,
    /// The `FactorFriendlyName`, if one was sent (`null` in the JSON otherwise).
    pub factor_friendly_name: Option<String>,
    /// The opaque, JWE-shaped enrollment token. Twilio does not accept it: see the crate docs.
    pub token: String,
    /// Lifetime in seconds, 60 to 300.
    pub ttl: u32,
    /// Creation time in UTC, `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339).
    pub date_created: String,
    /// The resource's URL on the sandbox.
    pub url: String,
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("sid", &self.sid)
            .field("account_sid", &self.account_sid)
            .field("service_sid", &self.service_sid)
            .field("entity_identity", &self.entity_identity)
            .field("factor_type", &self.factor_type)
            .field("factor_friendly_name", &self.factor_friendly_name)
            .field("token", &"[REDACTED]")
            .field("ttl", &self.ttl)
            .field("date_created", &self.date_created)
            .field("url", &self.url)
            .finish()
    }
}
