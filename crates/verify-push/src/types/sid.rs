//! Twilio SIDs: a two-letter prefix and 32 hexadecimal digits, 34 characters in all.
//!
//! Source: Twilio's spec patterns, e.g. `ServiceSid` `^VA[0-9a-fA-F]{32}$` and access token
//! `Sid` `^YK[0-9a-fA-F]{32}$`, factor `^YF…`, challenge `^YC…`, webhook `^YW…`, entity `^YE…`,
//! notification `^NT…` (twilio_verify_v2.json), and
//! <https://www.twilio.com/docs/glossary/what-is-a-sid>. Checking them before a request means a
//! SID can never smuggle a path (`../`, `/`, `?`) into the URL.

use crate::InvalidInput;

/// Checks `value` against `prefix` + 32 hex digits.
fn check(value: &str, prefix: &str, field: &'static str) -> Result<(), InvalidInput> {
    // A fixed-size array and `fold` with `&` rather than `all`: the length is known and there
    // is no early exit, so the compiler checks the 32 bytes in a few vector instructions, and
    // the two-byte prefix is compared inline (SIDs are checked in every request and response).
    let bytes = value.as_bytes();
    let valid = bytes.len() == 34
        && bytes[..2] == prefix.as_bytes()[..2]
        && <&[u8; 32]>::try_from(&bytes[2..]).is_ok_and(all_hex);
    if valid {
        Ok(())
    } else {
        Err(InvalidInput::new(
            field,
            format!(
                "must be {prefix} followed by 32 hexadecimal digits (34 characters), got {}",
                describe(value)
            ),
        ))
    }
}

/// Whether all 32 bytes are ASCII hex digits, in byte arithmetic the compiler vectorises: a
/// digit is `b - b'0' < 10`, a letter of either case is `(b | 0x20) - b'a' < 6`.
fn all_hex(hex: &[u8; 32]) -> bool {
    hex.iter().fold(0u8, |bad, &b| {
        let digit = b.wrapping_sub(b'0') < 10;
        let letter = (b | 0x20).wrapping_sub(b'a') < 6;
        bad | u8::from(!(digit | letter))
    }) == 0
}

/// Shows a bad SID for the error message: SIDs are identifiers, not secrets, but a long or
/// odd value (someone passed a token by mistake) is summarised instead of echoed.
fn describe(value: &str) -> String {
    let chars = value.chars().count();
    if chars <= 40 && value.chars().all(|c| c.is_ascii_graphic()) {
        format!("{value:?}")
    } else {
        format!("a {chars}-character value")
    }
}

macro_rules! sid_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $field:literal, $example:literal) => {
        $(#[$doc])*
        ///
        /// Parse with [`FromStr`](std::str::FromStr) or [`TryFrom`]; the error names the field and the rule.
        ///
        /// ```
        #[doc = concat!("use verify_push::", stringify!($name), ";")]
        ///
        #[doc = concat!("let sid: ", stringify!($name), " = \"", $example, "\".parse()?;")]
        #[doc = concat!("assert_eq!(sid.as_str(), \"", $example, "\");")]
        #[doc = concat!("assert!(\"", $prefix, "../../Accounts\".parse::<", stringify!($name), ">().is_err());")]
        /// # Ok::<(), verify_push::InvalidInput>(())
        /// ```
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The two-letter prefix every SID of this kind starts with.
            pub const PREFIX: &'static str = $prefix;

            /// The field an error names when a SID of this kind is malformed.
            const FIELD: &'static str = $field;

            /// Checks and wraps a SID.
            pub fn new(sid: impl Into<String>) -> Result<Self, InvalidInput> {
                let sid = sid.into();
                check(&sid, Self::PREFIX, Self::FIELD)?;
                Ok(Self(sid))
            }

            /// The SID as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Checks a SID in place, for a handle that keeps it as a `String` (or borrows
            /// the caller's `&str`) and hands the generated request function a `&str`: no
            /// copy, no wrapper. (`dead_code` allowed: which kinds are checked this way
            /// depends on the rooms compiled.)
            #[allow(dead_code)]
            pub(crate) fn check_str(sid: &str) -> Result<&str, InvalidInput> {
                check(sid, Self::PREFIX, Self::FIELD)?;
                Ok(sid)
            }
        }

        crate::types::newtype::string_newtype!($name);
    };
}

sid_type!(
    /// A Verify Service SID: `VA` and 32 hex digits.
    ServiceSid, "VA", "service_sid", "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
);

sid_type!(
    /// An enrollment access token SID: `YK` and 32 hex digits.
    AccessTokenSid, "YK", "access_token_sid", "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
);
sid_type!(
    /// A Twilio account SID: `AC` and 32 hex digits.
    AccountSid, "AC", "account_sid", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
);
sid_type!(
    /// A Twilio API key SID: `SK` and 32 hex digits.
    ApiKeySid, "SK", "api_key_sid", "SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
);

sid_type!(
    /// An Entity SID: `YE` and 32 hex digits.
    EntitySid, "YE", "entity_sid", "YEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
);
sid_type!(
    /// A Factor SID: `YF` and 32 hex digits.
    FactorSid, "YF", "factor_sid", "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
);
sid_type!(
    /// A Challenge SID: `YC` and 32 hex digits.
    ChallengeSid, "YC", "challenge_sid", "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
);
sid_type!(
    /// A Notification SID: `NT` and 32 hex digits.
    NotificationSid, "NT", "notification_sid", "NTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
);
sid_type!(
    /// A Webhook SID: `YW` and 32 hex digits.
    WebhookSid, "YW", "webhook_sid", "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_hex_agrees_with_the_standard_library_for_every_byte() {
        for b in 0..=255u8 {
            let mut hex = [b'a'; 32];
            hex[31] = b;
            assert_eq!(all_hex(&hex), b.is_ascii_hexdigit(), "byte {b:#04x}");
            let mut hex = [b'0'; 32];
            hex[0] = b;
            assert_eq!(all_hex(&hex), b.is_ascii_hexdigit(), "byte {b:#04x}");
        }
    }

    const HEX32: &str = "0123456789abcdefABCDEF0123456789";

    #[test]
    fn each_kind_accepts_its_prefix_and_32_hex_digits() {
        assert!(ServiceSid::new(format!("VA{HEX32}")).is_ok());
        assert!(AccessTokenSid::new(format!("YK{HEX32}")).is_ok());
        assert!(AccountSid::new(format!("AC{HEX32}")).is_ok());
        assert!(ApiKeySid::new(format!("SK{HEX32}")).is_ok());
        assert!(EntitySid::new(format!("YE{HEX32}")).is_ok());
        assert!(FactorSid::new(format!("YF{HEX32}")).is_ok());
        assert!(ChallengeSid::new(format!("YC{HEX32}")).is_ok());
        assert!(NotificationSid::new(format!("NT{HEX32}")).is_ok());
        assert!(WebhookSid::new(format!("YW{HEX32}")).is_ok());
        assert_eq!(
            FactorSid::new(format!("YC{HEX32}")).unwrap_err().field(),
            "factor_sid"
        );
    }

    #[test]
    fn wrong_prefix_is_rejected_naming_the_field() {
        let err = ServiceSid::new(format!("YK{HEX32}")).unwrap_err();
        assert_eq!(err.field(), "service_sid");
        assert!(
            err.rule().contains("VA followed by 32 hexadecimal digits"),
            "{err}"
        );
        assert!(AccessTokenSid::new(format!("VA{HEX32}")).is_err());
        assert!(
            AccountSid::new(format!("ac{HEX32}")).is_err(),
            "prefix is case-sensitive"
        );
    }

    #[test]
    fn wrong_length_or_non_hex_is_rejected() {
        assert!(ServiceSid::new(format!("VA{}", &HEX32[..31])).is_err());
        assert!(ServiceSid::new(format!("VA{HEX32}0")).is_err());
        assert!(ServiceSid::new(format!("VA{}g", &HEX32[..31])).is_err());
        assert!(ServiceSid::new("").is_err());
    }

    #[test]
    fn path_tricks_are_rejected() {
        for bad in [
            "VA../../../../Accounts/ACxxxxxxxxxxxxx",
            "VA0123456789abcdef0123456789abc/..",
            "VA0123456789abcdef0123456789ab?x=1",
            "VA0123456789abcdef0123456789ab%2F",
        ] {
            assert!(ServiceSid::new(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn multibyte_input_does_not_panic() {
        // 34 bytes but not ASCII: slicing at byte 2 must not split a character.
        let value = format!("VA{}é", &HEX32[..30]);
        assert_eq!(value.len(), 34);
        assert!(ServiceSid::new(value).is_err());
        assert!(ServiceSid::new("ééééééééééééééééé").is_err());
    }

    #[test]
    fn long_values_are_summarised_not_echoed() {
        let err = AccessTokenSid::new("eyJ".repeat(40)).unwrap_err();
        assert!(err.rule().contains("120-character value"), "{err}");
        assert!(!err.rule().contains("eyJeyJ"));
    }
}
