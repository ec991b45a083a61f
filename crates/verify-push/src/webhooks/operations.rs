//! The webhooks operations `call::execute` runs, each with its idempotency: the
//! handle and its builders import them from here, below all of them.

use crate::call::{Idempotency, Operation};

pub(crate) const CREATE_WEBHOOK: Operation = Operation {
    name: "create_webhook",
    method: "POST",
    path: "/v2/Services/{ServiceSid}/Webhooks",
    // A second create would make a second webhook, and every event would arrive twice.
    idempotency: Idempotency::NotIdempotent,
};
pub(crate) const FETCH_WEBHOOK: Operation = Operation {
    name: "fetch_webhook",
    method: "GET",
    path: "/v2/Services/{ServiceSid}/Webhooks/{Sid}",
    idempotency: Idempotency::Idempotent,
};
pub(crate) const LIST_WEBHOOK: Operation = Operation {
    name: "list_webhook",
    method: "GET",
    path: "/v2/Services/{ServiceSid}/Webhooks",
    idempotency: Idempotency::Idempotent,
};
pub(crate) const UPDATE_WEBHOOK: Operation = Operation {
    name: "update_webhook",
    method: "POST",
    path: "/v2/Services/{ServiceSid}/Webhooks/{Sid}",
    // Setting the same fields twice leaves the same webhook.
    idempotency: Idempotency::Idempotent,
};
pub(crate) const DELETE_WEBHOOK: Operation = Operation {
    name: "delete_webhook",
    method: "DELETE",
    path: "/v2/Services/{ServiceSid}/Webhooks/{Sid}",
    idempotency: Idempotency::Idempotent,
};
