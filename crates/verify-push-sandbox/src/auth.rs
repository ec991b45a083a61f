//! HTTP Basic authentication against the sandbox's account: account SID + auth token, or API
//! key SID + API key secret, as Twilio accepts.

use std::fmt;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::{Engine as _, engine::general_purpose::STANDARD};

use crate::twilio_error::{AUTHENTICATE, TwilioError};

/// The credentials the sandbox accepts.
#[derive(Clone)]
pub(crate) struct Credentials {
    pub(crate) account_sid: String,
    pub(crate) auth_token: String,
    pub(crate) api_key_sid: String,
    pub(crate) api_key_secret: String,
}

/// Redacts both secrets: Debug output ends up in test logs and CI output.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"[REDACTED]")
            .field("api_key_sid", &self.api_key_sid)
            .field("api_key_secret", &"[REDACTED]")
            .finish()
    }
}

impl Credentials {
    /// Whether the request's `Authorization` header carries one of the accepted pairs.
    pub(crate) fn accepts(&self, headers: &HeaderMap) -> bool {
        let Some((username, password)) = basic_credentials(headers) else {
            return false;
        };
        // Usernames are not secret; passwords are compared without an early exit so the time
        // taken does not tell how much of a guess was right.
        if username == self.account_sid {
            constant_time_eq(&password, self.auth_token.as_bytes())
        } else if username == self.api_key_sid {
            constant_time_eq(&password, self.api_key_secret.as_bytes())
        } else {
            false
        }
    }
}

/// Who made a request, once [`intake`](crate::intake) let it through.
#[derive(Clone)]
pub(crate) enum Caller {
    /// The account: its auth token or its API key.
    Account,
    /// A device: Basic username `token`, password an access token (to create a factor) or a JWT
    /// signed by a factor's key (everything else the device does). Which one is valid depends on
    /// the route, so the route checks it (`resources::device_auth`).
    Device(String),
}

/// The password is a bearer credential.
impl fmt::Debug for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Caller::Account => f.write_str("Account"),
            Caller::Device(_) => f.write_str("Device([REDACTED])"),
        }
    }
}

/// The Basic username the Verify Push SDK sends on every device call (twilio-verify-android
/// `verify/src/main/java/com/twilio/verify/api/FactorAPIClient.kt`, `AUTHENTICATION_USER = "token"`).
pub(crate) const DEVICE_USER: &str = "token";

impl Credentials {
    /// The caller, or `None` when neither the account's credentials nor a device's are present.
    pub(crate) fn caller(&self, headers: &HeaderMap) -> Option<Caller> {
        if self.accepts(headers) {
            return Some(Caller::Account);
        }
        match basic_credentials(headers) {
            Some((username, password)) if username == DEVICE_USER => {
                String::from_utf8(password).ok().map(Caller::Device)
            }
            _ => None,
        }
    }
}

/// Marks a 401 for bad credentials, so the request log keeps nothing of it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AuthRejected;

/// The 401 Twilio sends for missing or wrong credentials, with its Basic challenge.
pub(crate) fn challenge() -> Response {
    let mut response = (
        [(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Basic realm="Twilio API""#),
        )],
        TwilioError::new(StatusCode::UNAUTHORIZED, AUTHENTICATE, "Authenticate"),
    )
        .into_response();
    response.extensions_mut().insert(AuthRejected);
    response
}

/// The username of a Basic `Authorization` header, for the request log (never the password).
pub(crate) fn basic_username(headers: &HeaderMap) -> Option<String> {
    basic_credentials(headers).map(|(username, _)| username)
}

/// Decodes `Authorization: Basic base64(username:password)`. The scheme name is
/// case-insensitive (RFC 7617); the password may contain colons, the username may not.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, Vec<u8>)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let colon = decoded.iter().position(|&b| b == b':')?;
    let username = String::from_utf8(decoded[..colon].to_vec()).ok()?;
    Some((username, decoded[colon + 1..].to_vec()))
}

/// Equality whose running time depends only on the lengths, not on where the bytes differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials() -> Credentials {
        Credentials {
            account_sid: "AC00000000000000000000000000000000".into(),
            auth_token: "token".into(),
            api_key_sid: "SK00000000000000000000000000000000".into(),
            api_key_secret: "sec:ret".into(),
        }
    }

    fn basic(user_pass: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!("Basic {}", STANDARD.encode(user_pass));
        headers.insert(header::AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn accepts_both_pairs_and_nothing_else() {
        let c = credentials();
        assert!(c.accepts(&basic("AC00000000000000000000000000000000:token")));
        assert!(c.accepts(&basic("SK00000000000000000000000000000000:sec:ret")));
        assert!(!c.accepts(&basic("AC00000000000000000000000000000000:sec:ret")));
        assert!(!c.accepts(&basic("SK00000000000000000000000000000000:token")));
        assert!(!c.accepts(&basic("AC00000000000000000000000000000000:toke")));
        assert!(!c.accepts(&basic("AC00000000000000000000000000000000")));
        assert!(!c.accepts(&HeaderMap::new()));
    }

    #[test]
    fn scheme_is_case_insensitive() {
        let mut headers = HeaderMap::new();
        let value = format!(
            "basic {}",
            STANDARD.encode("AC00000000000000000000000000000000:token")
        );
        headers.insert(header::AUTHORIZATION, value.parse().unwrap());
        assert!(credentials().accepts(&headers));
    }

    #[test]
    fn debug_redacts_secrets() {
        let debug = format!("{:?}", credentials());
        assert!(!debug.contains("token\""), "{debug}");
        assert!(!debug.contains("sec:ret"), "{debug}");
        assert!(debug.contains("[REDACTED]"));
    }
}
