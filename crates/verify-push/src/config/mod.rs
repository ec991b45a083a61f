//! Where a client's settings come from: credentials, the environment, the base URL, the
//! User-Agent; and the HTTP clients built from them. Each file checks its own part at `ClientBuilder::build()`.

pub(crate) mod base_url;
pub(crate) mod credentials;
pub(crate) mod env;
pub(crate) mod http;
#[cfg(all(
    any(feature = "rustls", feature = "rustls-ring"),
    not(feature = "native-tls")
))]
pub(crate) mod tls;
pub(crate) mod user_agent;
