//! The Entity identity an access token is issued for.

use sha2::{Digest, Sha256};

use crate::InvalidInput;

/// The identity of the Verify Entity (your user) a token enrolls a device for.
///
/// Rule, from Twilio's Entity resource (<https://www.twilio.com/docs/verify/api/entity>): 8 to 64
/// characters, alphanumerics separated by single dashes (`^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$`), e.g.
/// a UUID or a hex hash. It is immutable and must not be PII: Twilio recommends a hash of your
/// internal user id, which [`Identity::hashed`] gives.
///
/// ```
/// use verify_push::Identity;
///
/// let identity: Identity = "ff483d1ff591898a9942916050d2ca3f".parse()?;
/// assert!("john@example.com".parse::<Identity>().is_err());
///
/// let hashed = Identity::hashed("user-42");
/// assert_eq!(hashed.as_str().len(), 64);
/// # Ok::<(), verify_push::InvalidInput>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity(String);

impl Identity {
    /// Checks an identity in place, for a request builder that takes it as `&str`.
    pub(crate) fn check_str(identity: &str) -> Result<&str, InvalidInput> {
        check(identity)?;
        Ok(identity)
    }

    /// Checks and wraps an identity.
    pub fn new(identity: impl Into<String>) -> Result<Self, InvalidInput> {
        let identity = identity.into();
        check(&identity)?;
        Ok(Self(identity))
    }

    /// The lower-case hex SHA-256 of `user_id`: a stable identity that keeps your internal id
    /// (an email, a database key) out of Twilio, as Twilio's own sample backend does.
    pub fn hashed(user_id: impl AsRef<[u8]>) -> Self {
        let digest = Sha256::digest(user_id.as_ref());
        let mut hex = String::with_capacity(64);
        for byte in digest {
            hex.push(char::from_digit(u32::from(byte >> 4), 16).expect("nibble"));
            hex.push(char::from_digit(u32::from(byte & 0xf), 16).expect("nibble"));
        }
        Self(hex)
    }

    /// The identity as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 8 to 64 characters of dash-separated ASCII alphanumerics.
fn check(identity: &str) -> Result<(), InvalidInput> {
    const RULE: &str = "must be 8 to 64 characters of letters and digits, optionally separated by \
                        single dashes (e.g. a UUID or a SHA-256 hex of your user id)";
    // The common case, a well-formed identity, in one pass over the bytes; anything else is
    // checked below for a precise message.
    let bytes = identity.as_bytes();
    if (8..=64).contains(&bytes.len())
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
        && bytes.iter().fold(true, |ok, b| {
            ok & (b.is_ascii_alphanumeric() | (*b == b'-'))
        })
        && !identity.contains("--")
    {
        return Ok(());
    }
    let len = identity.chars().count();
    if !(8..=64).contains(&len) {
        return Err(InvalidInput::new(
            "identity",
            format!("{RULE}; got {len} characters"),
        ));
    }
    let well_formed = identity
        .split('-')
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()));
    if !well_formed {
        return Err(InvalidInput::new(
            "identity",
            format!("{RULE}; got other characters or a leading, trailing or double dash"),
        ));
    }
    Ok(())
}

crate::types::newtype::string_newtype!(Identity);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_hex_uuid_and_dashed_forms() {
        for ok in [
            "ff483d1ff591898a9942916050d2ca3f",
            "123e4567-e89b-12d3-a456-426614174000",
            "abcdefgh",
            &"a".repeat(64),
        ] {
            assert!(Identity::new(ok).is_ok(), "{ok} rejected");
        }
    }

    #[test]
    fn length_outside_8_to_64_is_rejected() {
        let err = Identity::new("abc1234").unwrap_err();
        assert_eq!(err.field(), "identity");
        assert!(err.rule().contains("8 to 64"), "{err}");
        assert!(err.rule().contains("got 7 characters"), "{err}");
        assert!(Identity::new("a".repeat(65)).is_err());
    }

    #[test]
    fn bad_characters_and_dashes_are_rejected() {
        for bad in [
            "john@example.com",
            "-abcdefgh",
            "abcdefgh-",
            "abcd--efgh",
            "abcd efgh",
            "abcd_efgh",
            "abcdéfghi",
            "../../../etc",
        ] {
            let err = Identity::new(bad).unwrap_err();
            assert_eq!(err.field(), "identity", "{bad}");
        }
    }

    #[test]
    fn hashed_is_the_sha256_hex_and_valid() {
        let identity = Identity::hashed("abc");
        assert_eq!(
            identity.as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(Identity::new(identity.as_str()).is_ok());
    }
}
