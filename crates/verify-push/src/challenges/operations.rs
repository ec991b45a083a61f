//! The challenges operations `call::execute` runs, each with its idempotency: the
//! handle and its builders import them from here, below all of them.

use crate::call::{Idempotency, Operation};

pub(crate) const CREATE_CHALLENGE: Operation = Operation {
    name: "create_challenge",
    method: "POST",
    path: "/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges",
    // A create pushes to the phone, and an answered challenge is billed: never twice.
    idempotency: Idempotency::NotIdempotent,
};
pub(crate) const FETCH_CHALLENGE: Operation = Operation {
    name: "fetch_challenge",
    method: "GET",
    path: "/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}",
    idempotency: Idempotency::Idempotent,
};
pub(crate) const LIST_CHALLENGE: Operation = Operation {
    name: "list_challenge",
    method: "GET",
    path: "/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges",
    idempotency: Idempotency::Idempotent,
};
