//! What a wrapped operation is, for retries and logs.

use crate::call::retry::Idempotency;

/// The operation being called, for retries and logs. The path is the template, so logs carry
/// no identifiers a reader did not expect.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operation {
    pub name: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub idempotency: Idempotency,
}
