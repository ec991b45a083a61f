//! `-v`: request logs on stderr.
//!
//! Only the library's events (target `verify_push`: method, path template, status, attempt,
//! elapsed time, request id) and this CLI's own (`verify_push_cli`: base URL, which kind of
//! credentials, service SID) are enabled. Both are written without secrets. Lower layers
//! (reqwest, hyper) stay off: what they might print is not this project's to vouch for.

use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Installs the stderr logger when `verbose`; otherwise logging stays off.
pub fn init(verbose: bool) {
    if !verbose {
        return;
    }
    let filter = Targets::new()
        .with_target("verify_push_cli", Level::DEBUG)
        .with_target("verify_push", Level::DEBUG);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(true);
    // Fails only if a logger is already installed, which cannot happen in this binary.
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}
