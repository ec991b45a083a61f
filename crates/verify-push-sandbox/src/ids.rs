//! Identifiers and the opaque token: SIDs in Twilio's formats, request ids, secrets and a
//! JWE-shaped access token. All random, from the operating system's generator.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};

/// Protected header of the sandbox's tokens. Shaped like Twilio's (a compact JWE with direct key
/// agreement, as in the spec's example), with a `kid` that says where the token came from, so a
/// sandbox token that ends up in a real request is easy to recognise.
const TOKEN_HEADER: &str =
    r#"{"kid":"verify-push-sandbox","cty":"twilio-fpa;v=1","enc":"A256GCM","alg":"dir"}"#;

/// Bytes of random "ciphertext" in a token: about the size of Twilio's example payload.
const TOKEN_CIPHERTEXT_LEN: usize = 200;

/// Returns `N` random bytes.
///
/// # Panics
///
/// If the operating system's generator fails, which a test fake cannot recover from and which
/// happens only on a broken system.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    fill_random(&mut bytes);
    bytes
}

fn fill_random(bytes: &mut [u8]) {
    getrandom::fill(bytes).expect("the operating system's random number generator failed");
}

/// Lowercase hex, the form Twilio uses in its SIDs.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// A fresh SID: the two-letter `prefix` and 32 lowercase hex digits (34 characters).
pub(crate) fn random_sid(prefix: &str) -> String {
    format!("{prefix}{}", hex(&random_bytes::<16>()))
}

/// Whether `value` is a SID of the given kind: `prefix` then 32 hex digits of either case, the
/// pattern Twilio's spec gives for every SID (`^AC[0-9a-fA-F]{32}$` and the like).
pub(crate) fn is_sid(prefix: &str, value: &str) -> bool {
    value.len() == 34
        && value.starts_with(prefix)
        && value[prefix.len()..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// A random (version 4) UUID in its usual text form, for a webhook delivery's `uuid`.
pub(crate) fn uuid() -> String {
    let mut bytes = random_bytes::<16>();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A `Twilio-Request-Id` value: `RQ` and 32 hex digits, as Twilio sends.
pub(crate) fn request_id() -> String {
    random_sid("RQ")
}

/// A random secret (auth token or API key secret): 32 lowercase hex digits, like Twilio's.
pub(crate) fn secret() -> String {
    hex(&random_bytes::<16>())
}

/// An opaque enrollment token shaped like Twilio's compact JWE: five base64url parts without
/// padding, the second empty because `alg: dir` has no encrypted key; then a 12-byte IV, random
/// "ciphertext" and a 16-byte tag. Nothing in it can be decrypted: the device treats it as opaque.
pub(crate) fn access_token() -> String {
    let mut ciphertext = vec![0u8; TOKEN_CIPHERTEXT_LEN];
    fill_random(&mut ciphertext);
    format!(
        "{}..{}.{}.{}",
        URL_SAFE_NO_PAD.encode(TOKEN_HEADER),
        URL_SAFE_NO_PAD.encode(random_bytes::<12>()),
        URL_SAFE_NO_PAD.encode(ciphertext),
        URL_SAFE_NO_PAD.encode(random_bytes::<16>()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_have_the_prefix_and_32_lowercase_hex_digits() {
        let sid = random_sid("YK");
        assert!(is_sid("YK", &sid), "{sid}");
        assert!(
            sid[2..]
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        assert_ne!(random_sid("YK"), random_sid("YK"));
    }

    #[test]
    fn is_sid_rejects_other_shapes() {
        assert!(is_sid("VA", "VA0123456789ABCDEFabcdef0123456789"));
        assert!(!is_sid("VA", "AC0123456789abcdef0123456789abcdef"));
        assert!(!is_sid("VA", "VA0123456789abcdef0123456789abcde"));
        assert!(!is_sid("VA", "VA0123456789abcdef0123456789abcdeg"));
        assert!(!is_sid("VA", "VA0123456789abcdef0123456789abcd\u{e9}"));
    }

    #[test]
    fn token_has_five_parts_and_the_jwe_header() {
        let token = access_token();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 5);
        assert_eq!(
            URL_SAFE_NO_PAD.decode(parts[0]).unwrap(),
            TOKEN_HEADER.as_bytes()
        );
        assert!(parts[1].is_empty());
        assert_eq!(URL_SAFE_NO_PAD.decode(parts[2]).unwrap().len(), 12);
        assert_eq!(
            URL_SAFE_NO_PAD.decode(parts[3]).unwrap().len(),
            TOKEN_CIPHERTEXT_LEN
        );
        assert_eq!(URL_SAFE_NO_PAD.decode(parts[4]).unwrap().len(), 16);
    }
}
