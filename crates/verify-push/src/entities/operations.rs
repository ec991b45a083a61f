//! The entities operations `call::execute` runs, each with its idempotency: the
//! handle and its builders import them from here, below all of them.

use crate::call::{Idempotency, Operation};

pub(crate) const CREATE_ENTITY: Operation = Operation {
    name: "create_entity",
    method: "POST",
    path: "/v2/Services/{ServiceSid}/Entities",
    idempotency: Idempotency::NotIdempotent,
};
pub(crate) const FETCH_ENTITY: Operation = Operation {
    name: "fetch_entity",
    method: "GET",
    path: "/v2/Services/{ServiceSid}/Entities/{Identity}",
    idempotency: Idempotency::Idempotent,
};
pub(crate) const LIST_ENTITY: Operation = Operation {
    name: "list_entity",
    method: "GET",
    path: "/v2/Services/{ServiceSid}/Entities",
    idempotency: Idempotency::Idempotent,
};
pub(crate) const DELETE_ENTITY: Operation = Operation {
    name: "delete_entity",
    method: "DELETE",
    path: "/v2/Services/{ServiceSid}/Entities/{Identity}",
    idempotency: Idempotency::Idempotent,
};
