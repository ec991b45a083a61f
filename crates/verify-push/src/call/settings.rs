//! What a call needs from the client, below both `call` and `client`.

use std::time::Duration;

use crate::call::retry::RetryPolicy;

/// Settings a call needs from the client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallSettings {
    pub retry: RetryPolicy,
    /// Per attempt (reqwest's own timeout).
    pub timeout: Duration,
    /// For the whole call: every attempt and every wait between them.
    pub deadline: Duration,
}
