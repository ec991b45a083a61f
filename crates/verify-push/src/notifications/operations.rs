//! The notifications operations `call::execute` runs, each with its idempotency: the
//! handle and its builders import them from here, below all of them.

use crate::call::{Idempotency, Operation};

pub(crate) const CREATE_NOTIFICATION: Operation = Operation {
    name: "create_notification",
    method: "POST",
    path: "/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{ChallengeSid}/Notifications",
    // Each create pushes to the phone again: never twice.
    idempotency: Idempotency::NotIdempotent,
};
