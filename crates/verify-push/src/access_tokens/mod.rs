//! Enrollment access tokens: `service.access_tokens().create(identity)…send()` and
//! `.fetch(sid)`, for `/v2/Services/{ServiceSid}/AccessTokens`.

mod create;
mod model;
mod operations;

pub use create::CreateAccessToken;
pub use model::{AccessToken, Enrollment};

use verify_v2::apis::verify_v2_access_token_api as api;

use crate::call;
use crate::{AccessTokenSid, Client, Error, ServiceSid};
use operations::FETCH_ACCESS_TOKEN;

/// Enrollment access tokens of one Verify Service. Get it from
/// [`Service::access_tokens`](crate::Service::access_tokens) or the shortcut
/// [`Client::access_tokens`].
#[derive(Debug, Clone)]
pub struct AccessTokens {
    client: Client,
    service_sid: String,
}

impl AccessTokens {
    pub(crate) fn new(client: Client, service_sid: String) -> Self {
        Self {
            client,
            service_sid,
        }
    }

    /// Starts creating a token for the Entity `identity` (see [`Identity`](crate::Identity) for the rule, and
    /// [`Identity::hashed`](crate::Identity::hashed) to derive one from your user id). Nothing is checked or sent until
    /// [`send`](CreateAccessToken::send).
    pub fn create(&self, identity: impl Into<String>) -> CreateAccessToken {
        CreateAccessToken::new(
            self.client.clone(),
            self.service_sid.clone(),
            identity.into(),
        )
    }

    /// Fetches a token by SID (`YK…`). Accepts `&str`, `String` or `&AccessTokenSid`. The SID
    /// and the service SID are checked before any request; fetches are retried on 5xx,
    /// timeouts and connection errors (see [`RetryPolicy`](crate::RetryPolicy)).
    ///
    /// ```
    /// # async fn demo(client: verify_push::Client) -> Result<(), verify_push::Error> {
    /// let token = client
    ///     .access_tokens("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    ///     .fetch("YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn fetch(&self, sid: impl AsRef<str>) -> Result<AccessToken, Error> {
        let service_sid = ServiceSid::new(self.service_sid.as_str())?;
        let sid = AccessTokenSid::new(sid.as_ref())?;
        let configuration = &self.client.inner().configuration;
        call::execute(
            &self.client,
            &FETCH_ACCESS_TOKEN,
            || api::fetch_access_token_request(configuration, service_sid.as_str(), sid.as_str()),
            api::fetch_access_token_response,
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
