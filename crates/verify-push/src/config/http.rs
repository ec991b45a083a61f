//! The two reqwest clients a `Client` sends on, built once at `ClientBuilder::build()`.
//!
//! The wrapper's own calls go through a client that carries the credentials and the
//! User-Agent as default headers, built here once: the generated request builders would
//! otherwise base64-encode the credentials and copy and check the User-Agent again on every
//! request (together 3,600 instructions of a token create's 103,300; docs/performance.md). Those
//! headers never leave this client: its requests go to the base URL only, and redirects are not
//! followed.
//!
//! [`Client::raw`](crate::Client::raw) hands out a second client, without default headers: its
//! `Configuration` carries the credentials for the generated functions to send, as the
//! generated crate expects, and a caller who reuses that reqwest client for another host sends
//! no Twilio credentials there.

use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};

use crate::{Error, InvalidInput};

/// The value of the `Authorization` header for HTTP Basic authentication (RFC 7617), marked
/// sensitive so reqwest's and http's `Debug` print `Sensitive` instead of it.
/// Also returns the base64 part, a secret of its own for the scrubber (call/secrets.rs).
pub(crate) fn basic_authorization(
    username: &str,
    password: &str,
) -> Result<(HeaderValue, String), Error> {
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
    // Base64 and "Basic " are visible ASCII, which a header value accepts, so this error is
    // not expected; it is reported rather than unwrapped all the same.
    let mut value = HeaderValue::try_from(format!("Basic {encoded}")).map_err(|_| {
        Error::Config(InvalidInput::new(
            "credentials",
            "cannot be sent as an HTTP header",
        ))
    })?;
    value.set_sensitive(true);
    Ok((value, encoded))
}

/// The wrapper's client (credentials and User-Agent as default headers) and the plain one
/// [`Client::raw`](crate::Client::raw) hands out, with the same timeouts, TLS and redirect
/// policy.
pub(crate) fn clients(
    connect_timeout: Duration,
    timeout: Duration,
    authorization: HeaderValue,
    user_agent: &str,
) -> Result<(reqwest::Client, reqwest::Client), Error> {
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, authorization);
    let agent = HeaderValue::try_from(user_agent).map_err(|_| {
        Error::Config(InvalidInput::new(
            "user_agent_extension",
            "must be visible ASCII (a header value)",
        ))
    })?;
    headers.insert(USER_AGENT, agent);
    let wrapper = client(connect_timeout, timeout, headers)?;
    let raw = client(connect_timeout, timeout, HeaderMap::new())?;
    Ok((wrapper, raw))
}

fn client(
    connect_timeout: Duration,
    timeout: Duration,
    headers: HeaderMap,
) -> Result<reqwest::Client, Error> {
    let http = reqwest::Client::builder();
    // One TLS configuration per process instead of one per client (config/tls.rs).
    #[cfg(all(
        any(feature = "rustls", feature = "rustls-ring"),
        not(feature = "native-tls")
    ))]
    let http = match crate::config::tls::shared_config() {
        Some(tls) => http.tls_backend_preconfigured(tls),
        // With aws-lc-rs reqwest builds its own and reports what is wrong; with ring alone
        // it has no provider to build one with and would panic, so say it here.
        #[cfg(not(feature = "rustls"))]
        None => {
            return Err(Error::Config(InvalidInput::new(
                "http_client",
                "cannot be initialised: no TLS configuration (no usable CA certificates?)",
            )));
        }
        #[cfg(feature = "rustls")]
        None => http,
    };
    http.connect_timeout(connect_timeout)
        .timeout(timeout)
        .default_headers(headers)
        // Twilio never redirects API calls; following one could send credentials elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| {
            Error::Config(InvalidInput::new(
                "http_client",
                format!("cannot be initialised: {}", e.without_url()),
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_authorization_is_rfc_7617_and_sensitive() {
        // RFC 7617 section 2's example.
        let (value, encoded) = basic_authorization("Aladdin", "open sesame").unwrap();
        assert_eq!(
            value.to_str().unwrap(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(encoded, "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(value.is_sensitive());
        assert!(!format!("{value:?}").contains("QWxh"));
    }

    /// The wrapper's reqwest client carries the credentials; its `Debug` (reqwest prints the
    /// default headers) must not show them. The raw client has none to show.
    #[test]
    fn neither_client_prints_the_credentials() {
        let (value, encoded) = basic_authorization("ACxxxxxxxx", "a-secret-auth-token").unwrap();
        let timeout = Duration::from_secs(1);
        let (wrapper, raw) = clients(timeout, timeout, value, "verify-push/test").unwrap();
        let printed = format!("{wrapper:?} {raw:?}");
        assert!(!printed.contains(&encoded), "{printed}");
        assert!(!printed.contains("a-secret-auth-token"), "{printed}");
    }
}
