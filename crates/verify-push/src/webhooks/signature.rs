//! Checking `X-Twilio-Signature` on an incoming webhook: pure functions of the request, no HTTP
//! client, no clock (Twilio's signature carries no timestamp).
//!
//! The algorithm is Twilio's (<https://www.twilio.com/docs/usage/webhooks/webhooks-security>)
//! as the official validators implement it (twilio-python `request_validator.py`, twilio-go
//! `client/request_validator.go`, twilio-node `src/webhooks/webhooks.ts`); their published test vectors are
//! the unit tests below.

use std::collections::{BTreeMap, BTreeSet};

use base64::{Engine as _, engine::general_purpose::STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::WebhookError;
use super::event::{BodyKind, WebhookEvent};
use crate::{InvalidInput, SecretString};

type HmacSha1 = Hmac<Sha1>;

/// An HMAC-SHA1 is 20 bytes; anything else in the header cannot match.
const SIGNATURE_LEN: usize = 20;

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

/// The header's bytes: base64 of a 20-byte HMAC-SHA1.
fn decode_signature(signature: Option<&str>) -> Result<Vec<u8>, WebhookError> {
    let signature = signature.map(str::trim).unwrap_or_default();
    if signature.is_empty() {
        return Err(WebhookError::MissingSignature);
    }
    match STANDARD.decode(signature) {
        Ok(bytes) if bytes.len() == SIGNATURE_LEN => Ok(bytes),
        _ => Err(WebhookError::MalformedSignature),
    }
}

/// HMAC-SHA1 keyed with the auth token over the URL followed by the concatenated parameters.
fn signature_mac(token: &SecretString, url: &str, params: &[u8]) -> HmacSha1 {
    // HMAC accepts keys of any length (RFC 2104 hashes long ones), so this cannot fail.
    let mut mac = <HmacSha1 as KeyInit>::new_from_slice(token.expose_secret().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(url.as_bytes());
    mac.update(params);
    mac
}

/// The form parameters as Twilio signs them: sorted by name; a repeated name's values sorted
/// and de-duplicated (twilio-python `sorted(set(values))`, twilio-node
/// `Array.from(new Set(v)).sort()`); each as name then value, no separators.
fn concatenated_params(body: &[u8]) -> Vec<u8> {
    let mut params: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, value) in form_urlencoded::parse(body) {
        params
            .entry(name.into_owned())
            .or_default()
            .insert(value.into_owned());
    }
    let mut out = Vec::with_capacity(body.len());
    for (name, values) in &params {
        for value in values {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(value.as_bytes());
        }
    }
    out
}

/// The non-empty `bodySHA256` query parameter of the URL, if any (the first one, like
/// twilio-go's `Query().Get` and twilio-python's `query["bodySHA256"][0]`).
fn body_hash_param(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "bodySHA256")
        .map(|(_, value)| value.into_owned())
        .filter(|value| !value.is_empty())
}

fn sha256_hex(body: &[u8]) -> String {
    use std::fmt::Write as _;
    let digest = Sha256::digest(body);
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest.iter() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The URL with the port and without it: as given plus the default port (`:443`, `:80`) when it
/// has none, as given plus without its port when it has one (twilio-python `add_port` /
/// `remove_port`, twilio-go `addPort` / `removePort`). Edited as a string, never re-serialized:
/// the signature covers the exact characters Twilio used.
fn port_variants(url: &str) -> Result<[String; 2], WebhookError> {
    let invalid = |reason| WebhookError::InvalidUrl { reason };
    let (scheme, rest) = url
        .split_once("://")
        .ok_or(invalid("not an absolute URL (no scheme://)"))?;
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        "443"
    } else if scheme.eq_ignore_ascii_case("http") {
        "80"
    } else {
        return Err(invalid("the scheme is not http or https"));
    };
    let authority_start = scheme.len() + "://".len();
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    // Skip any user info; the port follows the host (after the `]` of an IPv6 literal).
    let host_start = authority.rfind('@').map_or(0, |at| at + 1);
    let host_and_port = &authority[host_start..];
    let search_from = if host_and_port.starts_with('[') {
        host_and_port
            .find(']')
            .ok_or(invalid("an IPv6 host has no closing bracket"))?
    } else {
        0
    };
    let colon = host_and_port[search_from..]
        .find(':')
        .map(|i| search_from + i);
    let host_len = colon.unwrap_or(host_and_port.len());
    if host_len == 0 {
        return Err(invalid("the URL has no host"));
    }

    let authority_end = authority_start + authority_len;
    match colon {
        None => {
            let with_port = format!(
                "{}:{default_port}{}",
                &url[..authority_end],
                &url[authority_end..]
            );
            Ok([url.to_owned(), with_port])
        }
        Some(colon) => {
            let port = &host_and_port[colon + 1..];
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid("the port is not a number"));
            }
            let port_start = authority_start + host_start + colon;
            let without_port = format!("{}{}", &url[..port_start], &url[authority_end..]);
            Ok([url.to_owned(), without_port])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const FORM: &str = "application/x-www-form-urlencoded";
    const JSON: &str = "application/json";
    /// twilio-python `test_request_validator.py` params, form-encoded.
    const PARAMS: &[(&str, &str)] = &[
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+14158675309"),
        ("Digits", "1234"),
        ("From", "+14158675309"),
        ("To", "+18005551212"),
    ];
    const JSON_BODY: &str = r#"{"property": "value", "boolean": true}"#;
    const JSON_BODY_HASH: &str = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

    fn validator() -> WebhookValidator {
        WebhookValidator::new(TOKEN).unwrap()
    }

    /// Form-encodes params in the given (deliberately unsorted, in some tests) order.
    fn form(params: &[(&str, &str)]) -> Vec<u8> {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish()
            .into_bytes()
    }

    /// The signature this module computes for a form body at exactly `url` (no port variants).
    fn computed(url: &str, body: &[u8]) -> String {
        let mac = signature_mac(&SecretString::from(TOKEN), url, &concatenated_params(body));
        STANDARD.encode(mac.finalize().into_bytes())
    }

    fn check(
        url: &str,
        signature: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        validator().check_signature(url, Some(signature), Some(content_type), body)
    }

    // --- twilio-python tests/unit/test_request_validator.py ---

    #[test]
    fn python_compute_signature() {
        let body = form(PARAMS);
        assert_eq!(computed(URL, &body), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        check(URL, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &body).unwrap();
    }

    #[test]
    fn python_params_are_sorted_whatever_order_they_arrive_in() {
        let mut reversed = PARAMS.to_vec();
        reversed.reverse();
        let body = form(&reversed);
        assert_eq!(computed(URL, &body), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        check(URL, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &body).unwrap();
    }

    #[test]
    fn python_compute_hash() {
        assert_eq!(sha256_hex(JSON_BODY.as_bytes()), JSON_BODY_HASH);
    }

    #[test]
    fn python_repeated_names_sort_and_deduplicate_their_values() {
        let expected = "IK+Dwps556ElfBT0I3Rgjkr1wJU=";
        let body = form(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
        ]);
        assert_eq!(computed(URL, &body), expected);
        check(URL, expected, FORM, &body).unwrap();
        // A value sent twice counts once.
        let duplicated = form(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
            ("Digits", "1234"),
        ]);
        assert_eq!(computed(URL, &duplicated), expected);
        check(URL, expected, FORM, &duplicated).unwrap();
    }

    #[test]
    fn python_validation_removes_port_on_https() {
        let url = URL.replace(".com", ".com:1234");
        check(&url, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &form(PARAMS)).unwrap();
    }

    #[test]
    fn python_validation_removes_port_on_http() {
        let url = URL.replace(".com", ".com:1234").replace("https", "http");
        let body = form(PARAMS);
        assert_eq!(computed(&url, &body), "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=");
        check(&url, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", FORM, &body).unwrap();
    }

    #[test]
    fn python_validation_adds_port_on_https() {
        let body = form(PARAMS);
        let with_443 = URL.replace(".com", ".com:443");
        assert_eq!(computed(&with_443, &body), "kvajT1Ptam85bY51eRf/AJRuM3w=");
        // Signed with :443, called without it, and the other way round.
        check(URL, "kvajT1Ptam85bY51eRf/AJRuM3w=", FORM, &body).unwrap();
        check(&with_443, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &body).unwrap();
    }

    #[test]
    fn python_validation_adds_port_on_http() {
        let body = form(PARAMS);
        let http = URL.replace("https", "http");
        let with_80 = http.replace(".com", ".com:80");
        assert_eq!(computed(&with_80, &body), "0ZXoZLH/DfblKGATFgpif+LLRf4=");
        check(&http, "0ZXoZLH/DfblKGATFgpif+LLRf4=", FORM, &body).unwrap();
    }

    #[test]
    fn python_validation_of_body_succeeds() {
        let url = format!("{URL}&bodySHA256={JSON_BODY_HASH}");
        assert_eq!(computed(&url, b""), "a9nBmqA0ju/hNViExpshrM61xv4=");
        check(
            &url,
            "a9nBmqA0ju/hNViExpshrM61xv4=",
            JSON,
            JSON_BODY.as_bytes(),
        )
        .unwrap();
    }

    // --- twilio-go client/request_validator_test.go ---

    /// twilio-go's params: the python ones plus two names where one is a prefix of the other.
    fn go_params() -> Vec<u8> {
        let mut params = PARAMS.to_vec();
        params.push(("ReasonConferenceEnded", "test"));
        params.push(("Reason", "Participant"));
        form(&params)
    }

    #[test]
    fn go_validate_sorts_by_name_not_by_name_and_value() {
        let body = go_params();
        assert_eq!(computed(URL, &body), "vOEb5UThFn24KEfnOFLQY2AE5FY=");
        check(URL, "vOEb5UThFn24KEfnOFLQY2AE5FY=", FORM, &body).unwrap();
        // The signature of `ReasonConferenceEnded…` sorted before `Reason…` must not pass.
        assert_eq!(
            check(URL, "95+Bu0JVPi0r/SsESZCVf0dWAjw=", FORM, &body),
            Err(WebhookError::SignatureMismatch)
        );
    }

    #[test]
    fn go_validate_wrong_signature_fails() {
        let body = go_params();
        // Not even base64: reported as malformed, and rejected all the same.
        let err = validator()
            .check_signature(URL, Some("WRONG SIGNATURE"), Some(FORM), &body)
            .unwrap_err();
        assert_eq!(err, WebhookError::MalformedSignature);
        assert!(err.is_unauthenticated());
    }

    #[test]
    fn go_validate_https_with_port_signed_without_it() {
        let url = URL.replace(".com", ".com:1234");
        check(&url, "vOEb5UThFn24KEfnOFLQY2AE5FY=", FORM, &go_params()).unwrap();
    }

    #[test]
    fn go_validate_http_without_port() {
        let http = URL.replace("https", "http");
        let body = go_params();
        assert_eq!(computed(&http, &body), "n2xBNyzSW7rfYStDtOFiFMv7qNo=");
        check(&http, "n2xBNyzSW7rfYStDtOFiFMv7qNo=", FORM, &body).unwrap();
    }

    #[test]
    fn go_validate_http_with_port_signed_without_it() {
        let url = URL.replace(".com", ".com:1234").replace("https", "http");
        check(&url, "n2xBNyzSW7rfYStDtOFiFMv7qNo=", FORM, &go_params()).unwrap();
    }

    #[test]
    fn go_validate_body_json() {
        let url = format!("{URL}&bodySHA256={JSON_BODY_HASH}");
        check(
            &url,
            "a9nBmqA0ju/hNViExpshrM61xv4=",
            JSON,
            JSON_BODY.as_bytes(),
        )
        .unwrap();
    }

    #[test]
    fn go_validate_body_form() {
        let body = b"property=value&boolean=true";
        assert_eq!(computed(URL, body), "NBdBDr/T/lgjI+tlgpXjKZQZs/k=");
        check(URL, "NBdBDr/T/lgjI+tlgpXjKZQZs/k=", FORM, body).unwrap();
        // No Content-Type and no bodySHA256: read as a form too.
        validator()
            .check_signature(URL, Some("NBdBDr/T/lgjI+tlgpXjKZQZs/k="), None, body)
            .unwrap();
    }

    #[test]
    fn go_validate_body_json_without_hash_fails() {
        // twilio-go returns false here; this crate says why.
        assert_eq!(
            check(
                URL,
                "vOEb5UThFn24KEfnOFLQY2AE5FY=",
                JSON,
                JSON_BODY.as_bytes()
            ),
            Err(WebhookError::MissingBodyHash)
        );
    }

    #[test]
    fn go_validate_body_with_no_other_query_parameters() {
        let url = format!("https://mycompany.com/myapp.php?bodySHA256={JSON_BODY_HASH}");
        assert_eq!(computed(&url, b""), "y77kIzt2vzLz71DgmJGsen2scGs=");
        check(
            &url,
            "y77kIzt2vzLz71DgmJGsen2scGs=",
            JSON,
            JSON_BODY.as_bytes(),
        )
        .unwrap();
    }

    // --- this crate's rules ---

    #[test]
    fn a_wrong_token_is_rejected() {
        let other = WebhookValidator::new("54321").unwrap();
        assert_eq!(
            other.check_signature(
                URL,
                Some("RSOYDt4T1cUTdK1PDd93/VVr8B8="),
                Some(FORM),
                &form(PARAMS)
            ),
            Err(WebhookError::SignatureMismatch)
        );
    }

    #[test]
    fn rotation_accepts_either_token() {
        let body = form(PARAMS);
        let rotating = WebhookValidator::new("new-token")
            .unwrap()
            .also_accept(TOKEN)
            .unwrap();
        rotating
            .check_signature(URL, Some("RSOYDt4T1cUTdK1PDd93/VVr8B8="), Some(FORM), &body)
            .unwrap();
        // And a signature by the first token.
        let by_new = {
            let mac = signature_mac(
                &SecretString::from("new-token"),
                URL,
                &concatenated_params(&body),
            );
            STANDARD.encode(mac.finalize().into_bytes())
        };
        rotating
            .check_signature(URL, Some(&by_new), Some(FORM), &body)
            .unwrap();
        assert_eq!(
            validator().check_signature(URL, Some(&by_new), Some(FORM), &body),
            Err(WebhookError::SignatureMismatch)
        );
    }

    #[test]
    fn an_empty_token_is_refused() {
        let err = WebhookValidator::new("").unwrap_err();
        assert_eq!(
            (err.field(), err.rule().starts_with("must not be empty")),
            ("auth_token", true)
        );
        assert_eq!(
            validator().also_accept("").unwrap_err().field(),
            "auth_token"
        );
    }

    #[test]
    fn a_tampered_form_body_is_rejected() {
        let tampered = form(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "9999"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ]);
        assert_eq!(
            check(URL, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &tampered),
            Err(WebhookError::SignatureMismatch)
        );
        // An added parameter is covered too.
        let mut added = PARAMS.to_vec();
        added.push(("type", "challenge.approved"));
        assert_eq!(
            check(URL, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &form(&added)),
            Err(WebhookError::SignatureMismatch)
        );
    }

    #[test]
    fn a_json_body_that_does_not_match_its_hash_is_rejected() {
        let url = format!("{URL}&bodySHA256={JSON_BODY_HASH}");
        let forged = br#"{"property": "value", "boolean": false}"#;
        assert_eq!(
            check(&url, "a9nBmqA0ju/hNViExpshrM61xv4=", JSON, forged),
            Err(WebhookError::BodyHashMismatch)
        );
        // Upper-case hex is not what Twilio sends; the hash must match exactly.
        let upper = format!("{URL}&bodySHA256={}", JSON_BODY_HASH.to_uppercase());
        let signed_upper = computed(&upper, b"");
        assert_eq!(
            check(&upper, &signed_upper, JSON, JSON_BODY.as_bytes()),
            Err(WebhookError::BodyHashMismatch)
        );
    }

    #[test]
    fn a_changed_body_hash_in_the_url_breaks_the_signature() {
        let forged_body = br#"{"forged": true}"#;
        let url = format!("{URL}&bodySHA256={}", sha256_hex(forged_body));
        assert_eq!(
            check(&url, "a9nBmqA0ju/hNViExpshrM61xv4=", JSON, forged_body),
            Err(WebhookError::SignatureMismatch)
        );
    }

    #[test]
    fn a_json_body_without_body_hash_has_its_own_error() {
        let signed_url_only = computed(URL, b"");
        for content_type in ["application/json", "Application/JSON; charset=utf-8"] {
            let err = validator()
                .check_signature(
                    URL,
                    Some(&signed_url_only),
                    Some(content_type),
                    JSON_BODY.as_bytes(),
                )
                .unwrap_err();
            assert_eq!(err, WebhookError::MissingBodyHash);
            assert!(err.is_unauthenticated());
        }
        // An empty bodySHA256 is no hash either.
        let empty = format!("{URL}&bodySHA256=");
        assert_eq!(
            check(&empty, &computed(&empty, b""), JSON, JSON_BODY.as_bytes()),
            Err(WebhookError::MissingBodyHash)
        );
    }

    #[test]
    fn a_missing_or_empty_header_is_reported_as_missing() {
        let body = form(PARAMS);
        for header in [None, Some(""), Some("  ")] {
            assert_eq!(
                validator().check_signature(URL, header, Some(FORM), &body),
                Err(WebhookError::MissingSignature)
            );
        }
    }

    #[test]
    fn a_header_of_the_wrong_length_is_malformed() {
        // Valid base64, of 3 bytes and of 36 bytes.
        for header in ["AAAA", "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf"] {
            assert_eq!(
                check(URL, header, FORM, &form(PARAMS)),
                Err(WebhookError::MalformedSignature)
            );
        }
    }

    #[test]
    fn port_variants_edit_only_the_port() {
        let cases = [
            ("https://a.example/x?y=1", "https://a.example:443/x?y=1"),
            ("http://a.example", "http://a.example:80"),
            ("https://a.example:8443/x", "https://a.example/x"),
            ("https://u:p@a.example/x", "https://u:p@a.example:443/x"),
            ("https://u:p@a.example:443?q", "https://u:p@a.example?q"),
            ("https://[::1]:8443/x", "https://[::1]/x"),
            ("http://[::1]/x", "http://[::1]:80/x"),
            ("HTTPS://A.example/x", "HTTPS://A.example:443/x"),
        ];
        for (url, other) in cases {
            assert_eq!(
                port_variants(url).unwrap(),
                [url.to_owned(), other.to_owned()],
                "{url}"
            );
        }
    }

    #[test]
    fn a_url_that_is_not_absolute_http_is_rejected() {
        for url in [
            "/twilio/verify",
            "ftp://a.example/x",
            "https:///x",
            "https://a.example:x/",
            "https://[::1/x",
        ] {
            assert!(
                matches!(port_variants(url), Err(WebhookError::InvalidUrl { .. })),
                "{url}"
            );
        }
        assert!(matches!(
            check(
                "/twilio/verify",
                "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
                FORM,
                &form(PARAMS)
            ),
            Err(WebhookError::InvalidUrl { .. })
        ));
    }

    #[test]
    fn the_query_string_is_part_of_what_is_signed() {
        let url = URL.replace("foo=1", "foo=2");
        assert_eq!(
            check(&url, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", FORM, &form(PARAMS)),
            Err(WebhookError::SignatureMismatch)
        );
    }

    #[test]
    fn debug_and_errors_never_show_a_token_or_the_signature() {
        let rotating = WebhookValidator::new("token-one-secret")
            .unwrap()
            .also_accept("token-two-secret")
            .unwrap();
        let debug = format!("{rotating:?}");
        assert!(!debug.contains("secret"), "{debug}");
        assert!(debug.contains("[REDACTED]"), "{debug}");
        let err = rotating
            .check_signature(
                URL,
                Some("RSOYDt4T1cUTdK1PDd93/VVr8B8="),
                Some(FORM),
                &form(PARAMS),
            )
            .unwrap_err();
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(
                !text.contains("secret") && !text.contains("RSOYDt4T1cU"),
                "{text}"
            );
        }
    }
}
