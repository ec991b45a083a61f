//! Client construction, interleaved with plain `reqwest::Client` construction for reference.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crate::clients;

/// Median time to build one client, per way of building it.
#[derive(Debug, Clone, Copy)]
pub struct Construction {
    /// `Client::builder().credentials(…).base_url(…).build()`.
    pub builder: Duration,
    /// `Client::from_env_vars([…])`.
    pub from_env_vars: Duration,
    /// `reqwest::Client::builder()…build()` with the same settings, for reference.
    pub reqwest: Duration,
    /// The same, given a rustls configuration built once per process (the proposed fix).
    pub reqwest_shared_tls: Duration,
}

/// What reqwest builds for every client (rustls with aws-lc-rs, the platform verifier, which
/// reads and parses the system's CA bundle, HTTP/1.1 ALPN), built once per process.
fn shared_tls() -> rustls::ClientConfig {
    static CONFIG: OnceLock<rustls::ClientConfig> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
            let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
                .expect("the system's CA certificates");
            let mut config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .expect("default TLS versions")
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
                .with_no_client_auth();
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            config
        })
        .clone()
}

/// A reqwest client configured as verify-push's, with the shared TLS configuration.
pub fn reqwest_client_shared_tls() -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_preconfigured(shared_tls())
        .connect_timeout(verify_push::DEFAULT_CONNECT_TIMEOUT)
        .timeout(verify_push::DEFAULT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client")
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// Builds `rounds` clients of each kind, one of each per round, timing each build alone (the
/// drop is not timed).
pub fn measure(base_url: &str, rounds: usize) -> Construction {
    let mut times = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    // The first build of a process loads things once (e.g. the system's root certificates);
    // a warm-up keeps that out of the median, and the table says so.
    drop(clients::verify_push_client(base_url));
    drop(reqwest_client_shared_tls());
    for _ in 0..rounds {
        let started = Instant::now();
        let a = clients::verify_push_client(base_url);
        times[0].push(started.elapsed());
        let started = Instant::now();
        let b = clients::verify_push_client_from_env();
        times[1].push(started.elapsed());
        let started = Instant::now();
        let c = clients::reqwest_client();
        times[2].push(started.elapsed());
        let started = Instant::now();
        let d = reqwest_client_shared_tls();
        times[3].push(started.elapsed());
        drop((a, b, c, d));
    }
    let [a, b, c, d] = times;
    Construction {
        builder: median(a),
        from_env_vars: median(b),
        reqwest: median(c),
        reqwest_shared_tls: median(d),
    }
}
