//! The TLS configuration every client of a process shares.
//!
//! reqwest builds a new rustls configuration for every `reqwest::Client`, and with it a
//! `rustls_platform_verifier::Verifier`, which on Linux reads and parses the whole system CA
//! bundle: about 5 ms and 18 million instructions per client, nearly all of `build()`
//! (docs/performance.md). The configuration does not depend on anything a
//! [`ClientBuilder`](crate::ClientBuilder) sets, so it is built once per process, as reqwest
//! would build it, and each client gets a clone (a few reference counts). The verifier still
//! checks every server against the system's roots; only the reading of the bundle is shared.

use std::sync::{Arc, OnceLock};

/// A clone of the process's configuration, or `None` when it cannot be built (no usable CA
/// certificates): the caller then lets reqwest build its own, which reports the problem as it
/// always has.
pub(crate) fn shared_config() -> Option<rustls::ClientConfig> {
    static CONFIG: OnceLock<Option<rustls::ClientConfig>> = OnceLock::new();
    CONFIG.get_or_init(build).clone()
}

/// What reqwest 0.13 builds for a client with default TLS settings (its
/// `async_impl/client.rs`): the process's default crypto provider if one is installed, else
/// aws-lc-rs (feature `rustls`) or ring (feature `rustls-ring` alone); every protocol version rustls supports (TLS 1.2 and 1.3); the platform verifier;
/// no client certificate; SNI on; ALPN `http/1.1` (reqwest is built without HTTP/2 here).
fn build() -> Option<rustls::ClientConfig> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(default_provider()));
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone()).ok()?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .ok()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Some(config)
}

/// The crypto provider of the enabled feature; aws-lc-rs when both are on, as reqwest does.
#[cfg(feature = "rustls")]
fn default_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::aws_lc_rs::default_provider()
}

/// The crypto provider of the enabled feature; aws-lc-rs when both are on, as reqwest does.
#[cfg(not(feature = "rustls"))]
fn default_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_is_built_once_and_verifies_servers() {
        let first = shared_config().expect("the machine has CA certificates");
        let second = shared_config().expect("the machine has CA certificates");
        // Built once: both clones hold the provider of one build (a second build would have
        // made a new one, unless a process default is installed, which no test here does).
        assert!(Arc::ptr_eq(
            &first.crypto_provider().clone(),
            &second.crypto_provider().clone()
        ));
        assert_eq!(first.alpn_protocols, vec![b"http/1.1".to_vec()]);
        assert!(first.enable_sni);
    }

    /// The provider is the enabled feature's: a ring-only build (this workspace's binaries)
    /// must not silently need aws-lc-rs, and a default build keeps reqwest's aws-lc-rs.
    #[test]
    fn the_provider_is_the_enabled_features() {
        let config = shared_config().expect("the machine has CA certificates");
        let expected = default_provider();
        let names = |p: &rustls::crypto::CryptoProvider| {
            p.kx_groups
                .iter()
                .map(|g| format!("{:?}", g.name()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(config.crypto_provider()), names(&expected));
        #[cfg(feature = "rustls")]
        assert!(format!("{:?}", config.crypto_provider().kx_groups).contains("X25519MLKEM768"));
    }
}
