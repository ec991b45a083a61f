//! Reading and checking the compact ES256 JWTs a device sends: its request credential and its
//! answer to a challenge. The sandbox's own parser and check, independent of the virtual
//! device's signer, so that a mistake in one does not hide in the other.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use serde_json::{Map, Value};

/// A decoded but not yet verified compact JWS.
#[derive(Debug, Clone)]
pub(crate) struct Jws {
    pub(crate) header: Map<String, Value>,
    pub(crate) payload: Map<String, Value>,
    signing_input: String,
    signature: Vec<u8>,
}

/// Splits and decodes `header.payload.signature` (base64url without padding, as the SDK writes
/// them: twilio-verify-android `verify/src/main/java/com/twilio/verify/data/jwt/JwtGenerator.kt`,
/// `URL_SAFE or NO_PADDING or NO_WRAP`). `None` if it is not one.
pub(crate) fn parse(compact: &str) -> Option<Jws> {
    let mut parts = compact.split('.');
    let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let object = |part: &str| -> Option<Map<String, Value>> {
        let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
        match serde_json::from_slice(&bytes).ok()? {
            Value::Object(map) => Some(map),
            _ => None,
        }
    };
    Some(Jws {
        header: object(header)?,
        payload: object(payload)?,
        signing_input: format!("{header}.{payload}"),
        signature: URL_SAFE_NO_PAD.decode(signature).ok()?,
    })
}

impl Jws {
    /// A header or payload string claim.
    pub(crate) fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// Whether `alg` is ES256 and the signature (JOSE form: r ‖ s, 64 bytes, RFC 7518 §3.4) is
    /// `key`'s over `header.payload`. The SDK transcodes the keystore's DER signature to this
    /// form (twilio-verify-android `verify/src/main/java/com/twilio/verify/data/jwt/JwtSigner.kt`).
    pub(crate) fn verify(&self, key: &VerifyingKey) -> bool {
        if self.header_str("alg") != Some("ES256") {
            return false;
        }
        let Ok(signature) = Signature::from_slice(&self.signature) else {
            return false;
        };
        key.verify(self.signing_input.as_bytes(), &signature)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::SigningKey;
    use p256::ecdsa::signature::Signer as _;

    fn compact(key: &SigningKey, header: &str, payload: &str) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let signature: Signature = key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }

    #[test]
    fn verifies_only_the_right_key_and_alg() {
        let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let other = SigningKey::from_slice(&[9u8; 32]).unwrap();
        let token = compact(
            &key,
            r#"{"alg":"ES256","typ":"JWT"}"#,
            r#"{"status":"approved"}"#,
        );
        let jws = parse(&token).unwrap();
        assert_eq!(jws.payload["status"], "approved");
        assert!(jws.verify(key.verifying_key()));
        assert!(!jws.verify(other.verifying_key()));
        let none = compact(&key, r#"{"alg":"none"}"#, "{}");
        assert!(!parse(&none).unwrap().verify(key.verifying_key()));
        assert!(parse("a.b").is_none());
        assert!(parse(&format!("{token}.x")).is_none());
    }
}
