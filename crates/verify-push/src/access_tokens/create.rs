//! The builder that creates an enrollment access token.

use std::time::Duration;

use verify_v2::apis::verify_v2_access_token_api as api;
use verify_v2::models::AccessTokenEnumFactorTypes;

use super::operations::CREATE_ACCESS_TOKEN;
use crate::call;
use crate::{AccessToken, Client, Error, FriendlyName, Identity, ServiceSid, Ttl};

/// A token being created: set the options, then [`send`](CreateAccessToken::send).
///
/// ```
/// use std::time::Duration;
/// # async fn demo(client: verify_push::Client) -> Result<(), verify_push::Error> {
/// let token = client
///     .access_tokens("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .create("ff483d1ff591898a9942916050d2ca3f")
///     .factor_friendly_name("John Doe iPhone")
///     .ttl(Duration::from_secs(300))
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `send().await`"]
pub struct CreateAccessToken {
    client: Client,
    service_sid: String,
    identity: String,
    factor_friendly_name: Option<String>,
    ttl: Option<Duration>,
}

impl CreateAccessToken {
    pub(crate) fn new(client: Client, service_sid: String, identity: String) -> Self {
        Self {
            client,
            service_sid,
            identity,
            factor_friendly_name: None,
            ttl: None,
        }
    }

    /// The device's name, 1 to 64 characters (see [`FriendlyName`]).
    pub fn factor_friendly_name(mut self, name: impl Into<String>) -> Self {
        self.factor_friendly_name = Some(name.into());
        self
    }

    /// Sets or clears the friendly name.
    pub fn set_factor_friendly_name(mut self, name: Option<String>) -> Self {
        self.factor_friendly_name = name;
        self
    }

    /// How long the token is valid: whole seconds from 60 to 300 (see [`Ttl`]). When not set,
    /// no `Ttl` is sent and Twilio uses its default of 60 s.
    pub fn ttl(mut self, ttl: impl Into<Duration>) -> Self {
        self.ttl = Some(ttl.into());
        self
    }

    /// Sets or clears the TTL.
    pub fn set_ttl(mut self, ttl: Option<Duration>) -> Self {
        self.ttl = ttl;
        self
    }

    /// The identity this token will be created for, as given.
    pub fn get_identity(&self) -> &str {
        &self.identity
    }

    /// Checks every field, then creates the token.
    ///
    /// Bad input fails with [`Error::InvalidInput`] naming the field and the rule, before any
    /// request. A create is retried only when Twilio certainly did not process it (429 with code
    /// 20429, connection refused), never after it may have reached Twilio: a retry could
    /// create a second token.
    pub async fn send(self) -> Result<AccessToken, Error> {
        let service_sid = ServiceSid::new(self.service_sid)?;
        let identity = Identity::new(self.identity)?;
        let friendly_name = self
            .factor_friendly_name
            .map(FriendlyName::new)
            .transpose()
            .map_err(|e| e.with_field("factor_friendly_name"))?;
        let ttl = self.ttl.map(Ttl::try_from).transpose()?;
        // Ttl::MAX is 300, so the conversion to the generated i32 cannot fail.
        let ttl_secs = ttl.map(|t| t.as_secs() as i32);
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &CREATE_ACCESS_TOKEN,
            || {
                api::create_access_token_request(
                    configuration,
                    service_sid.as_str(),
                    identity.as_str(),
                    AccessTokenEnumFactorTypes::Push,
                    friendly_name.as_ref().map(FriendlyName::as_str),
                    ttl_secs,
                )
            },
            api::create_access_token_response,
            AccessToken::from_generated,
        )
        .await
        // The client scrubs this token from any later error that echoes it (call::secrets).
        .inspect(|token| {
            self.client
                .inner()
                .secrets
                .remember(token.token().expose_secret())
        })
    }
}
