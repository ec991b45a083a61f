//! The request log: what each request looked like, so a test can assert on what its client sent.

use axum::http::{HeaderMap, header, request::Parts};

use crate::auth;

/// One request the sandbox received, as returned by [`Sandbox::requests`](crate::Sandbox::requests).
///
/// Every request is recorded, including ones that hit no route and ones that got an injected
/// [`Failure`](crate::Failure), except those rejected for bad credentials (401): nothing of those
/// is kept, they are only counted. The password of a Basic `Authorization` header is never
/// recorded, only the username (`token` for a device). The log keeps the newest 1,000 requests.
///
/// # Examples
///
/// ```
/// use verify_push_sandbox::Sandbox;
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sandbox = Sandbox::start().await?;
/// reqwest::Client::new()
///     .post(format!("{}/v2/Services/{}/AccessTokens", sandbox.base_url(), sandbox.service_sid()))
///     .basic_auth(sandbox.api_key_sid(), Some(sandbox.api_key_secret()))
///     .header("User-Agent", "my-backend/1.0")
///     .form(&[("Identity", "user-0001"), ("FactorType", "push")])
///     .send()
///     .await?;
///
/// let request = &sandbox.requests()[0];
/// assert_eq!(request.method, "POST");
/// assert_eq!(request.form_field("Identity"), Some("user-0001"));
/// assert_eq!(request.username.as_deref(), Some(sandbox.api_key_sid()));
/// assert_eq!(request.user_agent.as_deref(), Some("my-backend/1.0"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `"POST"`.
    pub method: String,
    /// The path as sent (percent-encoding kept), without the query string.
    pub path: String,
    /// The `application/x-www-form-urlencoded` body's fields, decoded, in the order sent and with
    /// repeated keys kept. Empty for any other content type or an unreadable body.
    pub form_fields: Vec<(String, String)>,
    /// The username of a Basic `Authorization` header (an account or API key SID), if any.
    pub username: Option<String>,
    /// The `User-Agent` header, if any and if it is valid UTF-8.
    pub user_agent: Option<String>,
    /// The `Twilio-Request-Id` the sandbox answered this request with.
    pub request_id: String,
    /// The HTTP status the sandbox answered with.
    pub status: u16,
}

impl RecordedRequest {
    pub(crate) fn new(parts: &Parts, body: Option<&[u8]>, request_id: String) -> Self {
        let form_fields = match body {
            Some(body) if is_form(&parts.headers) => form_urlencoded::parse(body)
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect(),
            _ => Vec::new(),
        };
        Self {
            method: parts.method.as_str().to_owned(),
            path: parts.uri.path().to_owned(),
            form_fields,
            username: auth::basic_username(&parts.headers),
            user_agent: parts
                .headers
                .get(header::USER_AGENT)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned),
            request_id,
            status: 0,
        }
    }

    /// The first value of the form field `name`, if sent.
    ///
    /// # Examples
    ///
    /// ```
    /// # use verify_push_sandbox::Sandbox;
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = Sandbox::start().await?;
    /// reqwest::Client::new()
    ///     .post(format!("{}/v2/Services/{}/AccessTokens", sandbox.base_url(), sandbox.service_sid()))
    ///     .basic_auth(sandbox.account_sid(), Some(sandbox.auth_token()))
    ///     .form(&[("Identity", "user-0001"), ("FactorType", "push"), ("Ttl", "120")])
    ///     .send()
    ///     .await?;
    /// assert_eq!(sandbox.requests()[0].form_field("Ttl"), Some("120"));
    /// assert_eq!(sandbox.requests()[0].form_field("FactorFriendlyName"), None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn form_field(&self, name: &str) -> Option<&str> {
        self.form_fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Whether the body is a form, the only body type Twilio's API reads. Parameters such as
/// `; charset=utf-8` are allowed.
fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| {
            media_type
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}
