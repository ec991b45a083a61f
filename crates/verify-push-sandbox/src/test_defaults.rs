//! The fixed credentials of `verify-push sandbox --test-defaults` and
//! [`SandboxBuilder::test_defaults`](crate::SandboxBuilder::test_defaults): a test suite in any
//! language can hard-code them instead of reading them from the sandbox's output. They are
//! sandbox values only; Twilio has no such account.

/// The account SID: `AC` and 32 hex digits.
pub const ACCOUNT_SID: &str = "AC00000000000000000000000000000000";
/// The auth token (also the key of the webhook signatures).
pub const AUTH_TOKEN: &str = "00000000000000000000000000000000";
/// The default Verify service's SID.
pub const SERVICE_SID: &str = "VA00000000000000000000000000000000";
