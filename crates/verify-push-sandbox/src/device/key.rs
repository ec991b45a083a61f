//! The device's P-256 key pair and the two signatures the Verify Push SDK makes with it: a DER
//! ECDSA signature (factor verification) and a compact ES256 JWT (request credential and
//! challenge answer). The device's own encoder, separate from the sandbox's checker.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::EncodePublicKey as _;
use serde_json::Value;

use super::DeviceError;

/// A P-256 signing key.
#[derive(Clone)]
pub(crate) struct DeviceKey(SigningKey);

impl DeviceKey {
    /// A fresh key from the operating system's generator.
    pub(crate) fn generate() -> Self {
        loop {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes)
                .expect("the operating system's random number generator failed");
            // Out of range (zero or ≥ the group order) happens with probability ~2⁻³²: draw again.
            if let Ok(key) = SigningKey::from_slice(&bytes) {
                return Self(key);
            }
        }
    }

    /// The private scalar, base64: what the CLI keeps in its state file.
    pub(crate) fn to_base64(&self) -> String {
        STANDARD.encode(self.0.to_bytes())
    }

    pub(crate) fn from_base64(encoded: &str) -> Result<Self, DeviceError> {
        let bytes = STANDARD
            .decode(encoded)
            .map_err(|_| DeviceError::InvalidState("a factor key is not base64".to_owned()))?;
        SigningKey::from_slice(&bytes)
            .map(Self)
            .map_err(|_| DeviceError::InvalidState("a factor key is not a P-256 key".to_owned()))
    }

    /// `Binding.PublicKey`: base64 (standard, no line breaks) of the DER SubjectPublicKeyInfo,
    /// as Java's `PublicKey.encoded` (twilio-verify-android `data/KeyStoreAdapter.kt`, `create`).
    pub(crate) fn public_key_base64(&self) -> String {
        let der = self
            .0
            .verifying_key()
            .to_public_key_der()
            .expect("a P-256 public key always encodes");
        STANDARD.encode(der.as_bytes())
    }

    /// base64 of the DER ECDSA-SHA256 signature of `message` (`SHA256withECDSA`, then
    /// `KeyStoreAdapter.signAndEncode`).
    pub(crate) fn sign_der_base64(&self, message: &str) -> String {
        let signature: Signature = self.0.sign(message.as_bytes());
        STANDARD.encode(signature.to_der().as_bytes())
    }

    /// A compact JWT: `header` gets `typ: JWT` and `alg: ES256`, the signature is r ‖ s
    /// (twilio-verify-android `data/jwt/JwtGenerator.kt` and `JwtSigner.kt`).
    pub(crate) fn sign_jwt(
        &self,
        mut header: serde_json::Map<String, Value>,
        payload: &serde_json::Map<String, Value>,
    ) -> String {
        header.insert("typ".into(), "JWT".into());
        header.insert("alg".into(), "ES256".into());
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(Value::Object(header).to_string()),
            URL_SAFE_NO_PAD.encode(Value::Object(payload.clone()).to_string())
        );
        let signature: Signature = self.0.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::VerifyingKey;
    use p256::ecdsa::signature::Verifier as _;
    use p256::pkcs8::DecodePublicKey as _;

    #[test]
    fn public_key_and_der_signature_round_trip() {
        let key = DeviceKey::generate();
        let der = STANDARD.decode(key.public_key_base64()).unwrap();
        // SubjectPublicKeyInfo of a P-256 key: 91 bytes, as in the spec's example binding.
        assert_eq!(der.len(), 91);
        let public = VerifyingKey::from_public_key_der(&der).unwrap();
        let signature = STANDARD.decode(key.sign_der_base64("YF123")).unwrap();
        let signature = Signature::from_der(&signature).unwrap();
        assert!(public.verify(b"YF123", &signature).is_ok());
        assert!(public.verify(b"YF124", &signature).is_err());
        let restored = DeviceKey::from_base64(&key.to_base64()).unwrap();
        assert_eq!(restored.public_key_base64(), key.public_key_base64());
    }
}
