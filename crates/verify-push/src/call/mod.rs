//! One logical call: attempts (the generated request builder, one exchange, the generated
//! decoder), retries, error mapping, and a `tracing` event per attempt.

use std::time::Instant;

pub(crate) mod decode;
pub(crate) mod exchange;
pub(crate) mod map_error;
pub(crate) mod operation;
pub(crate) mod page;
pub(crate) mod retry;
pub(crate) mod scrub;
pub(crate) mod secrets;
pub(crate) mod settings;

pub(crate) use operation::Operation;
pub(crate) use retry::Idempotency;

use crate::error::TransportError;
use crate::{Client, Error};
use exchange::{Decode, Failure, ResponseMeta, exchange};
use map_error::map_error;
pub(crate) use settings::CallSettings;

/// Sends the request `request` builds (a generated `<op>_request` function) and decodes the
/// answer with `decode` (the matching `<op>_response`), turning the generated model into the
/// wrapper's type with `convert` (a failure there is a decode error: the response lacked
/// something the resource must have), until it succeeds, fails for good, or the retry policy
/// says stop.
pub(crate) async fn execute<T, U, E>(
    client: &Client,
    operation: &'static Operation,
    mut request: impl FnMut() -> Result<reqwest::Request, verify_v2::apis::Error<E>>,
    decode: Decode<T, E>,
    convert: impl Fn(T) -> Result<U, String>,
) -> Result<U, Error> {
    let inner = client.inner();
    let http = &inner.configuration.client;
    let max_body = inner.max_response_bytes;
    let settings = &inner.settings;
    let base_url = inner.base_url.as_str();
    let secrets = &inner.secrets;
    let call_started = Instant::now();
    let mut number = 0u32;
    loop {
        number += 1;
        // The first attempt starts with the call: one clock read fewer on every call.
        let started = if number == 1 {
            call_started
        } else {
            Instant::now()
        };
        // The deadline bounds the attempt too: an attempt may not outlive the call. reqwest's
        // own timeout (`settings.timeout`) covers the whole exchange, body included, so while
        // at least that much of the deadline is left it ends the attempt in time by itself, and
        // the attempt is not wrapped in a second timer (a timer costs on every call).
        let remaining = settings.deadline.saturating_sub(started - call_started);
        // In a block of its own, so the outcome (the decoded model and the response's
        // metadata) is gone before the retry's sleep: a value still in scope at an `.await`
        // is kept in the future, which would grow every call's future by its size.
        let error = {
            // The request is handed to reqwest in a statement of its own: a temporary in a
            // `match` lives to the end of the `match`, so the built request would be kept in
            // the future across the exchange.
            let sending = request().map(|request| http.execute(request));
            let outcome = match sending {
                // Nothing was sent: a request that cannot be built fails the same way every time.
                Err(e) => Ok((Err(Failure::Generated(e)), ResponseMeta::default())),
                Ok(sending) if remaining >= settings.timeout => {
                    Ok(exchange(sending, max_body, decode, &convert).await)
                }
                // Boxed, like the retry's sleep below: both are rare, and a future holds room for
                // every branch it may take, so inline they would make every call's future (moved
                // and, behind `IntoFuture`, boxed on each call) larger.
                Ok(sending) => {
                    let attempt = Box::pin(exchange(sending, max_body, decode, &convert));
                    tokio::time::timeout(remaining, attempt).await
                }
            };
            match outcome {
                Err(_) => deadline_passed(operation, *settings, number),
                Ok((Ok(value), meta)) => {
                    succeeded(operation, &meta, number, started);
                    return Ok(value);
                }
                Ok((Err(e), meta)) => map_error(e, meta, *operation, *settings, base_url, secrets),
            }
        };
        match retry_or_stop(operation, settings, error, number, started, call_started) {
            Ok(delay) => Box::pin(tokio::time::sleep(delay)).await,
            Err(error) => return Err(error),
        }
    }
}

/// The `tracing` event of a call that succeeded. The elapsed time is read inside the event, so
/// the clock is read only when the event is enabled (a disabled event used to cost a clock
/// read on every call).
fn succeeded(operation: &Operation, meta: &ResponseMeta, number: u32, started: Instant) {
    tracing::debug!(
        target: "verify_push",
        operation = operation.name,
        method = operation.method,
        path = operation.path,
        status = meta.status,
        attempt = number,
        elapsed_ms = started.elapsed().as_millis() as u64,
        request_id = meta.request_id(),
        "Twilio request succeeded"
    );
}

/// After a failed attempt: the wait before the next one (`Ok`), or the error the call ends
/// with (`Err`), and the attempt's `tracing` event either way. Not generic, so it is compiled
/// once rather than for every operation, and `cold`: the compiler lays it out of the success
/// path's way (which, measured, did not change the success path's cache misses: that code is
/// long on its own; docs/performance.md).
#[cold]
#[inline(never)]
fn retry_or_stop(
    operation: &Operation,
    settings: &CallSettings,
    error: Error,
    number: u32,
    started: Instant,
    call_started: Instant,
) -> Result<std::time::Duration, Error> {
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let mut delay = settings.retry.delay(operation.idempotency, &error, number);
    // A retry that could not start before the deadline is not made.
    if delay.is_some_and(|d| call_started.elapsed() + d >= settings.deadline) {
        delay = None;
    }
    let error = match delay {
        Some(_) => error,
        None => with_attempts(error, number, call_started),
    };
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
    delay.ok_or(error)
}

/// The call's deadline cut an attempt short.
#[cold]
fn deadline_passed(operation: &Operation, settings: CallSettings, number: u32) -> Error {
    Error::Timeout(TransportError {
        what: format!(
            "{} {} timed out: the call's deadline of {} s passed during attempt {number}",
            operation.method,
            operation.path,
            settings.deadline.as_secs_f64()
        ),
        source: None,
    })
}

/// Says how many attempts the call made and how long it took, on the errors whose message is
/// about time and the network (timeouts, connection failures), so "within 1 s" is never all a
/// caller reads after five seconds of retries.
fn with_attempts(mut error: Error, number: u32, call_started: Instant) -> Error {
    if let Error::Timeout(e) | Error::Connect(e) | Error::Transport(e) = &mut error {
        e.what = format!(
            "{}; gave up after {number} attempt{} in {:.1} s",
            e.what,
            if number == 1 { "" } else { "s" },
            call_started.elapsed().as_secs_f64()
        );
    }
    error
}
