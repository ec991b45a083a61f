//! The access tokens operations `call::execute` runs, each with its idempotency: the
//! handle and its builders import them from here, below all of them.

use crate::call::{Idempotency, Operation};

pub(crate) const CREATE_ACCESS_TOKEN: Operation = Operation {
    name: "create_access_token",
    method: "POST",
    path: "/v2/Services/{ServiceSid}/AccessTokens",
    idempotency: Idempotency::NotIdempotent,
};
pub(crate) const FETCH_ACCESS_TOKEN: Operation = Operation {
    name: "fetch_access_token",
    method: "GET",
    path: "/v2/Services/{ServiceSid}/AccessTokens/{Sid}",
    idempotency: Idempotency::Idempotent,
};
