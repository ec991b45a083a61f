//! The factors operations `call::execute` runs, each with its idempotency: the
//! handle and its builders import them from here, below all of them.

use crate::call::{Idempotency, Operation};

pub(crate) const LIST_FACTOR: Operation = Operation {
    name: "list_factor",
    method: "GET",
    path: "/v2/Services/{ServiceSid}/Entities/{Identity}/Factors",
    idempotency: Idempotency::Idempotent,
};
pub(crate) const FETCH_FACTOR: Operation = Operation {
    name: "fetch_factor",
    method: "GET",
    path: "/v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}",
    idempotency: Idempotency::Idempotent,
};
pub(crate) const UPDATE_FACTOR: Operation = Operation {
    name: "update_factor",
    method: "POST",
    path: "/v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}",
    // Setting a name twice leaves the same name: safe to send again after a 5xx.
    idempotency: Idempotency::Idempotent,
};
pub(crate) const DELETE_FACTOR: Operation = Operation {
    name: "delete_factor",
    method: "DELETE",
    path: "/v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}",
    idempotency: Idempotency::Idempotent,
};
