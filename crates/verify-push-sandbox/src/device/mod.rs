//! A virtual phone: enrolls push factors and answers challenges over HTTP exactly as the Verify
//! Push mobile SDK does (twilio-verify-android 0.9.0, cited file by file), against the sandbox or
//! any base URL that speaks Verify.
//!
//! # Examples
//!
//! ```
//! use verify_push_sandbox::Sandbox;
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await?;
//! // Normally the backend under test mints this; here the sandbox does it directly.
//! let enrollment = sandbox.enrollment("user-0001")?;
//! let device = sandbox.device();
//! let factor = device.enroll(&enrollment).await?;
//! assert!(factor.sid.starts_with("YF"));
//! assert!(device.pending_challenges().await?.is_empty());
//! # Ok(())
//! # }
//! ```

mod challenge;
mod enrollment;
mod error;
mod factor;
mod key;

use std::fmt;
use std::sync::{Arc, Mutex};

use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Map, Value};

pub use challenge::PendingChallenge;
pub use enrollment::Enrollment;
pub use error::DeviceError;
pub use factor::DeviceFactor;
use key::DeviceKey;

/// The response header naming the challenge fields to sign
/// (`api/ChallengeAPIClient.kt`, `signatureFieldsHeader`).
const SIGNATURE_FIELDS_HEADER: &str = "Twilio-Verify-Signature-Fields";
/// Basic username of every device request (`api/FactorAPIClient.kt`, `AUTHENTICATION_USER`).
const DEVICE_USER: &str = "token";
/// Friendly name of enrolled factors.
const FRIENDLY_NAME: &str = "Virtual device";

/// A virtual device that talks to a Verify base URL. Cheap to clone: clones share the factors.
///
/// `Debug` shows the base URL and factor SIDs, never keys.
#[derive(Clone)]
pub struct VirtualDevice {
    base_url: String,
    http: reqwest::Client,
    factors: Arc<Mutex<Vec<DeviceFactor>>>,
}

impl fmt::Debug for VirtualDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VirtualDevice")
            .field("base_url", &self.base_url)
            .field("factors", &self.factors())
            .finish()
    }
}

/// How a challenge is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Approved,
    Denied,
}

impl Answer {
    fn as_str(self) -> &'static str {
        match self {
            Answer::Approved => "approved",
            Answer::Denied => "denied",
        }
    }
}

impl VirtualDevice {
    /// A device without factors, talking to `base_url` (e.g. `http://127.0.0.1:8080`).
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::device::VirtualDevice;
    /// let device = VirtualDevice::new("http://127.0.0.1:8080/");
    /// assert!(device.factors().is_empty());
    /// ```
    pub fn new(base_url: impl Into<String>) -> Self {
        Self::with_factors(base_url, Vec::new())
    }

    /// A device that already holds `factors` (for example from a saved state file).
    ///
    /// # Examples
    ///
    /// ```
    /// use verify_push_sandbox::device::VirtualDevice;
    /// let device = VirtualDevice::with_factors("http://127.0.0.1:8080", Vec::new());
    /// assert!(device.factors().is_empty());
    /// ```
    pub fn with_factors(base_url: impl Into<String>, factors: Vec<DeviceFactor>) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
            factors: Arc::new(Mutex::new(factors)),
        }
    }

    /// The factors this device enrolled, oldest first.
    pub fn factors(&self) -> Vec<DeviceFactor> {
        self.factors
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Forgets every factor (the sandbox's reset); the keys go with them.
    pub(crate) fn forget_factors(&self) {
        self.factors
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }

    fn entity_url(&self, service_sid: &str, identity: &str) -> String {
        format!(
            "{}/v2/Services/{}/Entities/{}",
            self.base_url,
            path_segment(service_sid),
            path_segment(identity)
        )
    }

    fn device_request(
        &self,
        method: Method,
        url: &str,
        factor: &DeviceFactor,
    ) -> Result<RequestBuilder, DeviceError> {
        Ok(self
            .http
            .request(method, url)
            .basic_auth(DEVICE_USER, Some(factor.request_jwt()?)))
    }

    /// Enrolls a push factor the way the SDK does: makes a P-256 key pair, creates the factor
    /// with the access token (`domain/factor/PushFactory.kt`, `create`; `api/FactorAPIClient.kt`)
    /// and verifies it with a signature of its SID (`PushFactory.verify`). Returns the verified
    /// factor, which the device keeps.
    ///
    /// # Errors
    ///
    /// [`DeviceError::InvalidEnrollment`] before any request; [`DeviceError::Twilio`] if the
    /// server refuses; [`DeviceError::Http`] / [`DeviceError::UnexpectedResponse`] otherwise.
    pub async fn enroll(&self, enrollment: &Enrollment) -> Result<DeviceFactor, DeviceError> {
        enrollment.check()?;
        let key = DeviceKey::generate();
        let url = format!(
            "{}/Factors",
            self.entity_url(&enrollment.service_sid, &enrollment.identity)
        );
        let form = [
            ("FriendlyName", FRIENDLY_NAME.to_owned()),
            ("FactorType", "push".to_owned()),
            ("Binding.PublicKey", key.public_key_base64()),
            ("Binding.Alg", "ES256".to_owned()),
            (
                "Config.SdkVersion",
                format!("verify-push-sandbox/{}", env!("CARGO_PKG_VERSION")),
            ),
            (
                "Config.AppId",
                "verify-push-sandbox.virtual-device".to_owned(),
            ),
            // No push channel: `none`, as the SDK sends without a push token (PushFactory.kt `config`).
            ("Config.NotificationPlatform", "none".to_owned()),
        ];
        let created = self
            .http
            .post(&url)
            .basic_auth(DEVICE_USER, Some(&enrollment.token))
            .form(&form)
            .send()
            .await?;
        let created = json_body(created).await?;
        let text = |name: &str| {
            created
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| DeviceError::UnexpectedResponse(format!("the factor has no {name}")))
        };
        let factor = DeviceFactor {
            sid: text("sid")?,
            account_sid: text("account_sid")?,
            service_sid: enrollment.service_sid.clone(),
            identity: enrollment.identity.clone(),
            credential_sid: created
                .pointer("/config/credential_sid")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| {
                    DeviceError::UnexpectedResponse(
                        "the factor has no config.credential_sid".into(),
                    )
                })?,
            friendly_name: text("friendly_name")?,
            private_key: key.to_base64(),
        };
        let verify_url = format!("{url}/{}", path_segment(&factor.sid));
        let verified = self
            .device_request(Method::POST, &verify_url, &factor)?
            .form(&[("AuthPayload", key.sign_der_base64(&factor.sid))])
            .send()
            .await?;
        let verified = json_body(verified).await?;
        if verified.get("status").and_then(Value::as_str) != Some("verified") {
            return Err(DeviceError::UnexpectedResponse(
                "the factor is not verified after verification".into(),
            ));
        }
        self.factors
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(factor.clone());
        Ok(factor)
    }

    /// Every pending challenge of every factor, as the SDK lists them
    /// (`api/ChallengeAPIClient.kt`, `getAll`: `FactorSid`, `Status`, `PageSize`, `PageToken`).
    /// Follows `meta.next_page_url` on the same base URL only.
    ///
    /// # Errors
    ///
    /// As [`enroll`](VirtualDevice::enroll).
    pub async fn pending_challenges(&self) -> Result<Vec<PendingChallenge>, DeviceError> {
        let mut pending = Vec::new();
        for factor in self.factors() {
            let mut url = Some(format!(
                "{}/Challenges?FactorSid={}&Status=pending&PageSize=50&Order=asc",
                self.entity_url(&factor.service_sid, &factor.identity),
                path_segment(&factor.sid)
            ));
            while let Some(next) = url.take() {
                let page = self
                    .device_request(Method::GET, &next, &factor)?
                    .send()
                    .await?;
                let page = json_body(page).await?;
                let items = page
                    .get("challenges")
                    .and_then(Value::as_array)
                    .ok_or_else(|| DeviceError::UnexpectedResponse("no challenges list".into()))?;
                for item in items {
                    pending.push(PendingChallenge::from_json(item).ok_or_else(|| {
                        DeviceError::UnexpectedResponse("a challenge lacks sid or details".into())
                    })?);
                }
                url = page
                    .pointer("/meta/next_page_url")
                    .and_then(Value::as_str)
                    // The request JWT goes only to the base URL the device was given.
                    .filter(|next| next.starts_with(&format!("{}/", self.base_url)))
                    .map(str::to_owned);
            }
        }
        Ok(pending)
    }

    /// Approves a pending challenge (see [`deny`](VirtualDevice::deny) for how).
    ///
    /// # Errors
    ///
    /// [`DeviceError::UnknownChallenge`] if no factor of this device sees it,
    /// [`DeviceError::NotPending`] if it expired or was answered, and as
    /// [`enroll`](VirtualDevice::enroll).
    pub async fn approve(&self, challenge_sid: &str) -> Result<(), DeviceError> {
        self.answer(challenge_sid, Answer::Approved).await
    }

    /// Denies a pending challenge: fetches it, reads `Twilio-Verify-Signature-Fields`, signs an
    /// ES256 JWT of those fields' values plus `status`, and posts it as `AuthPayload`
    /// (`domain/challenge/PushChallengeProcessor.kt`, `update` and `generateSignature`).
    ///
    /// # Errors
    ///
    /// As [`approve`](VirtualDevice::approve).
    pub async fn deny(&self, challenge_sid: &str) -> Result<(), DeviceError> {
        self.answer(challenge_sid, Answer::Denied).await
    }

    async fn answer(&self, challenge_sid: &str, answer: Answer) -> Result<(), DeviceError> {
        let factors = self.factors();
        for reader in &factors {
            let url = format!(
                "{}/Challenges/{}",
                self.entity_url(&reader.service_sid, &reader.identity),
                path_segment(challenge_sid)
            );
            let response = self
                .device_request(Method::GET, &url, reader)?
                .send()
                .await?;
            if response.status() == reqwest::StatusCode::NOT_FOUND {
                continue;
            }
            let fields_header = response
                .headers()
                .get(SIGNATURE_FIELDS_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let challenge = json_body(response).await?;
            let factor_sid = challenge.get("factor_sid").and_then(Value::as_str);
            let Some(factor) = factors
                .iter()
                .find(|f| Some(f.sid.as_str()) == factor_sid && f.identity == reader.identity)
            else {
                return Err(DeviceError::UnknownChallenge(challenge_sid.to_owned()));
            };
            let status = challenge
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if status != "pending" {
                return Err(DeviceError::NotPending {
                    sid: challenge_sid.to_owned(),
                    status: status.to_owned(),
                });
            }
            let fields_header = fields_header.filter(|h| !h.is_empty()).ok_or_else(|| {
                DeviceError::UnexpectedResponse(format!(
                    "the challenge came without a {SIGNATURE_FIELDS_HEADER} header"
                ))
            })?;
            let mut payload = Map::new();
            for name in fields_header.split(',') {
                let value = challenge.get(name).cloned().ok_or_else(|| {
                    DeviceError::UnexpectedResponse(format!(
                        "the challenge has no field {name} to sign"
                    ))
                })?;
                payload.insert(name.to_owned(), value);
            }
            payload.insert("status".into(), answer.as_str().into());
            let auth_payload = factor.key()?.sign_jwt(Map::new(), &payload);
            let updated = self
                .device_request(Method::POST, &url, factor)?
                .form(&[("AuthPayload", auth_payload)])
                .send()
                .await?;
            let updated = json_body(updated).await?;
            // The SDK checks the answer took (`NotUpdatedChallengeException`).
            if updated.get("status").and_then(Value::as_str) != Some(answer.as_str()) {
                return Err(DeviceError::UnexpectedResponse(format!(
                    "challenge {challenge_sid} is not {} after the answer",
                    answer.as_str()
                )));
            }
            return Ok(());
        }
        Err(DeviceError::UnknownChallenge(challenge_sid.to_owned()))
    }
}

/// The JSON body of a 2xx response, or the Twilio error of another.
async fn json_body(response: Response) -> Result<Value, DeviceError> {
    let status = response.status();
    let body: Value = response.json().await.map_err(|_| {
        DeviceError::UnexpectedResponse(format!("HTTP {} without a JSON body", status.as_u16()))
    })?;
    if status.is_success() {
        return Ok(body);
    }
    Err(DeviceError::Twilio {
        status: status.as_u16(),
        code: body.get("code").and_then(Value::as_u64).unwrap_or(0),
        message: body
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    })
}

/// Percent-encodes a path segment (everything but RFC 3986 unreserved characters).
fn path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
