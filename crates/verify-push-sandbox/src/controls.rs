//! What a test does to a running sandbox beyond HTTP: inject failures, read the request log,
//! move the clock, use the virtual phone, list issued tokens.

use std::io;

use crate::access_token::AccessToken;
use crate::device::{Enrollment, VirtualDevice};
use crate::failure::Failure;
use crate::ids;
use crate::recording::RecordedRequest;
use crate::server::Sandbox;

impl Sandbox {
    /// Queues `failure` for the next request that has no earlier failure queued. It applies to
    /// whatever request comes next, on any route, authenticated or not (see [`Failure`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::{Failure, Sandbox};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.fail_next(Failure::status(503));
    /// let response = reqwest::get(format!("{}/anything", sandbox.base_url())).await?;
    /// assert_eq!(response.status(), 503);
    /// let body: serde_json::Value = response.json().await?;
    /// assert_eq!(body["code"], 20503);
    /// # Ok(())
    /// # }
    /// ```
    pub fn fail_next(&self, failure: Failure) {
        self.state.queue_failures(1, &failure);
    }

    /// Queues `failure` for each of the next `count` requests.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::{Failure, Sandbox};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.fail_next_n(3, Failure::status(500));
    /// assert_eq!(sandbox.pending_failures(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn fail_next_n(&self, count: usize, failure: Failure) {
        self.state.queue_failures(count, &failure);
    }

    /// How many queued failures have not been used yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::{Failure, Sandbox};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.fail_next(Failure::status(500));
    /// reqwest::get(format!("{}/v2/Services", sandbox.base_url())).await?;
    /// assert_eq!(sandbox.pending_failures(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn pending_failures(&self) -> usize {
        self.state.pending_failures()
    }

    /// Drops every queued failure that has not been used yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::{Failure, Sandbox};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.fail_next_n(5, Failure::status(500));
    /// sandbox.clear_failures();
    /// assert_eq!(sandbox.pending_failures(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn clear_failures(&self) {
        self.state.clear_failures();
    }

    /// How many API requests the sandbox has received: all of them, including unauthorized
    /// ones, unknown routes and ones answered by an injected failure (not the phone page's).
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = Sandbox::start().await?;
    /// let response = reqwest::get(format!("{}/v2/Services", sandbox.base_url())).await?; // no credentials
    /// assert_eq!(response.status(), 401);
    /// assert_eq!(sandbox.request_count(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn request_count(&self) -> usize {
        self.state.request_count()
    }

    /// The newest requests (at most 1,000), oldest first (see [`RecordedRequest`]). Requests
    /// rejected for bad credentials are counted by [`request_count`](Sandbox::request_count)
    /// but not kept.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = Sandbox::start().await?;
    /// reqwest::get(format!("{}/v2/Services", sandbox.base_url())).await?; // 401: not kept
    /// reqwest::Client::new()
    ///     .get(format!("{}/v2/Services", sandbox.base_url()))
    ///     .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
    ///     .send()
    ///     .await?;
    /// assert_eq!(sandbox.request_count(), 2);
    /// assert_eq!(sandbox.requests().len(), 1);
    /// assert_eq!(sandbox.requests()[0].path, "/v2/Services");
    /// assert_eq!(sandbox.requests()[0].status, 200); // ListService
    /// # Ok(())
    /// # }
    /// ```
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    /// A [`VirtualDevice`] talking to this sandbox: it enrolls push factors with access tokens
    /// and approves or denies challenges, over HTTP, as the Verify Push mobile SDK does.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sandbox = Sandbox::start().await?;
    /// let device = sandbox.device();
    /// let factor = device.enroll(&sandbox.enrollment("user-0001")?).await?;
    /// assert_eq!(factor.identity, "user-0001");
    /// # Ok(())
    /// # }
    /// ```
    pub fn device(&self) -> VirtualDevice {
        VirtualDevice::new(self.base_url())
    }

    /// The sandbox's own virtual phone, the one its phone page at `GET /` shows and answers
    /// with. A clone shares its factors: enroll it from a test, then approve on the page, or the
    /// other way round.
    pub fn phone(&self) -> VirtualDevice {
        self.state.phone()
    }

    /// The phone page's URL (`GET /` of the sandbox): the virtual phone's devices and pending
    /// challenges, with Approve and Deny buttons. Loopback only, for local development.
    pub fn phone_url(&self) -> String {
        format!("{}/", self.base_url())
    }

    /// Issues an access token for `identity` directly (no HTTP request, not recorded), and
    /// returns the enrollment data an app would get from its backend. The token is also in
    /// [`access_tokens`](Sandbox::access_tokens). TTL: 300 seconds.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] if `identity` breaks Twilio's rule (8 to 64 letters,
    /// digits and single dashes).
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// let enrollment = sandbox.enrollment("user-0001")?;
    /// assert_eq!(enrollment.service_sid, sandbox.service_sid());
    /// assert!(sandbox.enrollment("short").is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn enrollment(&self, identity: &str) -> io::Result<Enrollment> {
        crate::validation::check_identity(identity)
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidInput, error.message))?;
        let sid = ids::random_sid("YK");
        let token = AccessToken {
            url: format!(
                "{}/v2/Services/{}/AccessTokens/{sid}",
                self.state.base_url, self.state.service_sid
            ),
            sid,
            account_sid: self.state.credentials.account_sid.clone(),
            service_sid: self.state.service_sid.clone(),
            entity_identity: identity.to_owned(),
            factor_type: "push".to_owned(),
            factor_friendly_name: None,
            token: ids::access_token(),
            ttl: 300,
            date_created: crate::resources::model::timestamp(self.state.now()),
        };
        let enrollment = Enrollment::new(token.token.clone(), self.service_sid(), identity);
        self.state.insert_token(token);
        Ok(enrollment)
    }

    /// Moves the sandbox's clock forward: challenges expire and access tokens age as if `by` had
    /// passed. (Device request JWTs are still checked against the real time.)
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.advance_clock(Duration::from_secs(301)); // past a challenge's default 5 minutes
    /// # Ok(())
    /// # }
    /// ```
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.state
            .advance_clock(chrono::Duration::from_std(by).unwrap_or(chrono::Duration::MAX));
    }

    /// Every access token issued so far, oldest first (see [`AccessToken`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let sandbox = Sandbox::start().await?;
    /// assert!(sandbox.access_tokens().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn access_tokens(&self) -> Vec<AccessToken> {
        self.state.tokens()
    }
}
