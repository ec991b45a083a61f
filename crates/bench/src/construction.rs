//! Client construction, interleaved with plain `reqwest::Client` construction for reference.

use std::time::{Duration, Instant};

use crate::clients;

/// Median time to build one client, per way of building it.
#[derive(Debug, Clone, Copy)]
pub struct Construction {
    /// `Client::builder().credentials(…).base_url(…).build()`.
    pub builder: Duration,
    /// `Client::from_env_vars([…])`.
    pub from_env_vars: Duration,
    /// `reqwest::Client::builder()…build()` with the same settings, for reference: reqwest
    /// builds a TLS configuration (and reads the system's CA bundle) for every client, which
    /// verify-push does once per process.
    pub reqwest: Duration,
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// Builds `rounds` clients of each kind, one of each per round, timing each build alone (the
/// drop is not timed).
pub fn measure(base_url: &str, rounds: usize) -> Construction {
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    // The first client of a process builds the shared TLS configuration (it reads the system's
    // root certificates); a warm-up keeps that out of the median, and the table says so.
    drop(clients::verify_push_client(base_url));
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
        drop((a, b, c));
    }
    let [a, b, c] = times;
    Construction {
        builder: median(a),
        from_env_vars: median(b),
        reqwest: median(c),
    }
}
