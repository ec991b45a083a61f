//! Checking `X-Twilio-Signature` on an incoming webhook: pure functions of the request, no HTTP
//! client, no clock (Twilio's signature carries no timestamp).
//!
//! The algorithm is Twilio's (<https://www.twilio.com/docs/usage/webhooks/webhooks-security>)
//! as the official validators implement it (twilio-python `request_validator.py`, twilio-go
//! `client/request_validator.go`, twilio-node `src/webhooks/webhooks.ts`); their published test vectors are
//! the unit tests (`signature/tests.rs`). The computation itself is `signing.rs`; this file holds
//! the validator: its tokens (rotation) and the checks of one request.

use hmac::Mac;
use subtle::ConstantTimeEq;

use super::WebhookError;
use super::event::{BodyKind, WebhookEvent};
use super::signing::{
    body_hash_param, concatenated_params, decode_signature, port_variants, sha256_hex,
    signature_mac,
};
use crate::{InvalidInput, SecretString};

/// Checks that a webhook request comes from Twilio, and reads the event it carries.
///
/// Holds the auth token(s) Twilio signs with: the account's **primary Auth Token**, even when
/// your backend calls the API with an API key (every official validator takes an auth token;
/// Twilio error 57012: a secondary token is used only once promoted). Several tokens can be
/// accepted at once while you rotate ([`also_accept`](Self::also_accept)).
///
/// Give it exactly what Twilio called and sent: the full public URL (scheme, host, path, query),
/// the `X-Twilio-Signature` and `Content-Type` headers, and the raw body bytes. It is a plain
/// value (`Clone`, `Send`, `Sync`); build it once at start-up. `Debug` shows `[REDACTED]` for
/// each token.
///
/// ```
/// use verify_push::webhooks::{EventType, WebhookValidator};
///
/// # fn demo(url: &str, signature: Option<&str>, content_type: Option<&str>, body: &[u8])
/// #     -> Result<(), Box<dyn std::error::Error>> {
/// let validator = WebhookValidator::new("primary_auth_token")?;
/// let event = validator.verify(url, signature, content_type, body)?;
/// if event.event_type() == &EventType::ChallengeApproved {
///     println!("challenge {:?} approved", event.challenge_sid());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct WebhookValidator {
    tokens: Vec<SecretString>,
}

impl WebhookValidator {
    /// A validator accepting signatures made with `auth_token`.
    ///
    /// Fails (field `auth_token`) when the token is empty: anyone can compute an HMAC with an
    /// empty key, so it would accept forgeries.
    ///
    /// ```
    /// use verify_push::webhooks::WebhookValidator;
    ///
    /// let validator = WebhookValidator::new("your_auth_token").unwrap();
    /// assert_eq!(WebhookValidator::new("").unwrap_err().field(), "auth_token");
    /// ```
    pub fn new(auth_token: impl Into<SecretString>) -> Result<Self, InvalidInput> {
        Ok(Self {
            tokens: vec![non_empty(auth_token.into())?],
        })
    }

    /// Also accept signatures made with `auth_token`: for key rotation, accept the old and the
    /// new token until Twilio signs with the new one only.
    ///
    /// ```
    /// use verify_push::webhooks::WebhookValidator;
    ///
    /// let validator = WebhookValidator::new("new_primary_token")
    ///     .and_then(|v| v.also_accept("old_primary_token"))
    ///     .unwrap();
    /// ```
    pub fn also_accept(
        mut self,
        auth_token: impl Into<SecretString>,
    ) -> Result<Self, InvalidInput> {
        self.tokens.push(non_empty(auth_token.into())?);
        Ok(self)
    }

    /// Checks the signature and returns the event the body carries.
    ///
    /// `url` is the full URL Twilio called, `signature` the `X-Twilio-Signature` header,
    /// `content_type` the `Content-Type` header, `body` the raw body (form-encoded or JSON).
    /// The event is read only once the signature (and, for JSON, the body hash) has passed.
    ///
    /// ```
    /// use verify_push::webhooks::{WebhookError, WebhookValidator};
    ///
    /// let validator = WebhookValidator::new("your_auth_token").unwrap();
    /// let forged = validator.verify(
    ///     "https://example.com/twilio/verify",
    ///     Some("RSOYDt4T1cUTdK1PDd93/VVr8B8="),
    ///     Some("application/x-www-form-urlencoded"),
    ///     b"uuid=1&type=challenge.approved",
    /// );
    /// assert_eq!(forged.unwrap_err(), WebhookError::SignatureMismatch);
    /// ```
    pub fn verify(
        &self,
        url: &str,
        signature: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        let kind = self.authenticate(url, signature, content_type, body)?;
        WebhookEvent::parse(kind, body)
    }

    /// Only checks the signature (and, for a JSON body, its hash); reads nothing else. Same
    /// arguments as [`verify`](Self::verify).
    ///
    /// How the body is signed depends on it:
    /// - **Form body** (no `bodySHA256` in the URL): the signature covers the URL followed by
    ///   every parameter, sorted by name, as name and value with no separator (a repeated name:
    ///   its values sorted and de-duplicated).
    /// - **JSON body**: the URL carries `bodySHA256`, the lowercase hex SHA-256 of the body; the
    ///   signature covers the URL only, and the body must match the hash. A JSON body without
    ///   `bodySHA256` is rejected ([`WebhookError::MissingBodyHash`]).
    ///
    /// The URL is tried as given and with the port changed (the default port added when absent,
    /// the port removed when present), because Twilio's signing is inconsistent about ports; all
    /// official validators do the same. Comparisons are constant time.
    ///
    /// ```
    /// use verify_push::webhooks::WebhookValidator;
    ///
    /// // twilio-python's published test vector (token `12345`).
    /// let validator = WebhookValidator::new("12345").unwrap();
    /// let body = b"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234\
    ///              &From=%2B14158675309&To=%2B18005551212";
    /// validator
    ///     .check_signature(
    ///         "https://mycompany.com/myapp.php?foo=1&bar=2",
    ///         Some("RSOYDt4T1cUTdK1PDd93/VVr8B8="),
    ///         Some("application/x-www-form-urlencoded"),
    ///         body,
    ///     )
    ///     .unwrap();
    /// ```
    pub fn check_signature(
        &self,
        url: &str,
        signature: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        self.authenticate(url, signature, content_type, body)
            .map(|_| ())
    }

    /// Every check; returns how to read the authentic body.
    fn authenticate(
        &self,
        url: &str,
        signature: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<BodyKind, WebhookError> {
        let received = decode_signature(signature)?;
        let variants = port_variants(url)?;
        let body_hash = body_hash_param(url);
        let kind = BodyKind::from_content_type(content_type, body_hash.is_some());

        // With `bodySHA256` the URL alone is signed and the hash stands for the body (twilio-go
        // `ValidateBody`, twilio-python `validate` with a string body).
        let signed_params = match (&body_hash, kind) {
            (Some(_), _) => Vec::new(),
            // Twilio signs a JSON body only through `bodySHA256`
            // (https://www.twilio.com/docs/usage/webhooks/webhooks-security): without it nothing
            // covers the body, so accepting it would accept any body.
            (None, BodyKind::Json) => return Err(WebhookError::MissingBodyHash),
            (None, BodyKind::Form) => concatenated_params(body),
        };

        // Every token and URL variant is tried, without stopping at the first match, so the time
        // taken does not depend on which one matched.
        let mut matched = false;
        for token in &self.tokens {
            for variant in &variants {
                let mac = signature_mac(token, variant, &signed_params);
                matched |= mac.verify_slice(&received).is_ok();
            }
        }
        if !matched {
            return Err(WebhookError::SignatureMismatch);
        }

        if let Some(expected) = body_hash {
            let actual = sha256_hex(body);
            if !bool::from(actual.as_bytes().ct_eq(expected.as_bytes())) {
                return Err(WebhookError::BodyHashMismatch);
            }
        }
        Ok(kind)
    }
}

fn non_empty(token: SecretString) -> Result<SecretString, InvalidInput> {
    if token.is_empty() {
        return Err(InvalidInput::new(
            "auth_token",
            "must not be empty (an empty key would accept forged webhooks)",
        ));
    }
    Ok(token)
}

#[cfg(test)]
mod tests;
