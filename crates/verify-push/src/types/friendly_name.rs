//! A factor's (device's) friendly name: on an access token, a factor rename, a webhook.

use crate::InvalidInput;

/// The name of the device being enrolled, e.g. "John Doe iPhone": 1 to 64 characters (Unicode
/// characters, not bytes), no control characters.
///
/// Source: `FactorFriendlyName`, "The factor friendly name. Up to 64 characters."
/// (<https://www.twilio.com/docs/verify/api/access-token>). Control characters are refused
/// because the name is shown back to users in apps and consoles.
///
/// ```
/// use verify_push::FriendlyName;
///
/// assert!("John Doe iPhone".parse::<FriendlyName>().is_ok());
/// assert!("Ça va 📱".parse::<FriendlyName>().is_ok());
/// assert!("".parse::<FriendlyName>().is_err());
/// assert!("x".repeat(65).parse::<FriendlyName>().is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct FriendlyName(String);

impl FriendlyName {
    /// The most characters Twilio accepts.
    pub const MAX_CHARS: usize = 64;

    /// Checks and wraps a friendly name.
    pub fn new(name: impl Into<String>) -> Result<Self, InvalidInput> {
        let name = name.into();
        // Printable ASCII (most names) in one pass over the bytes; anything else is checked
        // character by character below.
        if (1..=Self::MAX_CHARS).contains(&name.len())
            && name
                .bytes()
                .fold(true, |ok, b| ok & (b' '..=b'~').contains(&b))
        {
            return Ok(Self(name));
        }
        let chars = name.chars().count();
        if chars == 0 {
            return Err(InvalidInput::new(
                "friendly_name",
                "must be 1 to 64 characters, got an empty string",
            ));
        }
        if chars > Self::MAX_CHARS {
            return Err(InvalidInput::new(
                "friendly_name",
                format!("must be 1 to 64 characters, got {chars}"),
            ));
        }
        if name
            .chars()
            .any(|c| c.is_control() || is_invisible_or_bidi(c))
        {
            return Err(InvalidInput::new(
                "friendly_name",
                "must not contain control characters (newlines, tabs, escapes) or invisible and \
                 bidirectional formatting characters (U+200B to U+200F, U+2028 to U+202E, \
                 U+2066 to U+2069, U+FEFF)",
            ));
        }
        Ok(Self(name))
    }

    /// The name as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Characters that change how a name is displayed without being seen: zero-width spaces and
/// joiners, direction marks and overrides (U+202E turns "gnp.exe" around), line and paragraph
/// separators. The name is shown to the user on their phone when a challenge arrives.
fn is_invisible_or_bidi(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

crate::types::newtype::string_newtype!(FriendlyName);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        // 64 two-byte characters: 128 bytes, still within the limit.
        assert!(FriendlyName::new("é".repeat(64)).is_ok());
        let err = FriendlyName::new("é".repeat(65)).unwrap_err();
        assert_eq!(err.field(), "friendly_name");
        assert!(err.rule().contains("got 65"), "{err}");
    }

    #[test]
    fn empty_is_rejected() {
        assert!(FriendlyName::new("").is_err());
    }

    #[test]
    fn control_characters_are_rejected() {
        for bad in [
            "line\nbreak",
            "tab\there",
            "esc\u{1b}[31m",
            "nul\0",
            "evil\u{202E}gnp.exe",
            "line\u{2028}separator",
            "zero\u{200B}width",
        ] {
            let err = FriendlyName::new(bad).unwrap_err();
            assert!(err.rule().contains("control characters"), "{bad:?}: {err}");
        }
    }
}
