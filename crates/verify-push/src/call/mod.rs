//! One logical call: attempts through the generated function, retries, error mapping, and a
//! `tracing` event per attempt.

use std::future::Future;
use std::time::{Duration, Instant};

pub(crate) mod decode;
pub(crate) mod map_error;
pub(crate) mod observe;
pub(crate) mod operation;
pub(crate) mod page;
pub(crate) mod retry;
pub(crate) mod scrub;

pub(crate) use operation::Operation;
pub(crate) use retry::Idempotency;

use crate::{Client, Error};
use map_error::{decode_error, map_error};
use observe::observed;
use retry::RetryPolicy;

/// Settings a call needs from the client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallSettings {
    pub retry: RetryPolicy,
    pub timeout: Duration,
}

/// Calls `attempt` until it succeeds, fails for good, or the retry policy says stop, then
/// turns the generated model into the wrapper's type with `convert` (a failure there is a
/// decode error: the response lacked something the resource must have).
pub(crate) async fn execute<T, U, E, F, Fut>(
    client: &Client,
    operation: Operation,
    mut attempt: F,
    convert: impl Fn(T) -> Result<U, String>,
) -> Result<U, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, verify_v2::apis::Error<E>>>,
{
    let inner = client.inner();
    let settings = inner.settings;
    let base_url = inner.base_url.as_str();
    let mut number = 0u32;
    loop {
        number += 1;
        let started = Instant::now();
        let (result, meta) = observed(attempt()).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let error = match result {
            Ok(value) => match convert(value) {
                Ok(value) => {
                    tracing::debug!(
                        target: "verify_push",
                        operation = operation.name,
                        method = operation.method,
                        path = operation.path,
                        status = meta.status,
                        attempt = number,
                        elapsed_ms,
                        request_id = meta.request_id.as_deref(),
                        "Twilio request succeeded"
                    );
                    return Ok(value);
                }
                Err(reason) => decode_error(scrub::text(&reason), meta),
            },
            Err(e) => map_error(e, meta, operation, settings, base_url),
        };
        let delay = settings.retry.delay(operation.idempotency, &error, number);
        tracing::debug!(
            target: "verify_push",
            operation = operation.name,
            method = operation.method,
            path = operation.path,
            status = error.status(),
            code = error.code(),
            attempt = number,
            elapsed_ms,
            request_id = error.request_id(),
            retry_in_ms = delay.map(|d| d.as_millis() as u64),
            "Twilio request failed: {error}"
        );
        match delay {
            Some(delay) => tokio::time::sleep(delay).await,
            None => return Err(error),
        }
    }
}
