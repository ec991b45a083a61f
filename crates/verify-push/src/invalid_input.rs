//! The error for input that breaks a rule: which field, which rule.

use std::borrow::Cow;
use std::fmt;

/// A value broke one of the rules checked before any request is sent.
///
/// `field` is the name used in this crate's API (`ttl`, `identity`, `service_sid`, …) or, for
/// configuration read from the environment, the variable (`TWILIO_ACCOUNT_SID`). `rule` says
/// what is expected and, where that is not secret, what was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    field: Cow<'static, str>,
    rule: Cow<'static, str>,
}

impl InvalidInput {
    pub(crate) fn new(
        field: impl Into<Cow<'static, str>>,
        rule: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            field: field.into(),
            rule: rule.into(),
        }
    }

    /// The same rule, reported under the name the caller used for the field (a shared type
    /// such as `FriendlyName` is `friendly_name` on a factor, `factor_friendly_name` on an
    /// access token).
    pub(crate) fn with_field(mut self, field: impl Into<Cow<'static, str>>) -> Self {
        self.field = field.into();
        self
    }

    /// The field or environment variable that is wrong.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The rule it breaks.
    pub fn rule(&self) -> &str {
        &self.rule
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.field, self.rule)
    }
}

impl std::error::Error for InvalidInput {}
