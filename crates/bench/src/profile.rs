//! Modes for profiling one path at a time, so a profiler counts the client's code alone:
//! `--serve` runs the stand-in in its own process, `--profile OP PATH N URL` makes N sequential
//! requests against it. docs/performance.md shows how to read the two paths side by side with
//! `valgrind --tool=callgrind`, whose instruction counts do not depend on the machine's load.

use std::io::Write;
use std::sync::Arc;

use crate::baseline;
use crate::clients::{Clients, Op, Path};
use crate::requests::{self, Case};
use crate::server;

/// The argument that makes the benchmark binary serve the stand-in until stdin closes.
pub const SERVE_FLAG: &str = "--serve";
/// The argument that makes the benchmark binary run one path for a profiler.
pub const PROFILE_FLAG: &str = "--profile";

/// Serves the stand-in, prints its base URL on one line, and exits when stdin closes (or on
/// any input), so a script can start it with `exec 3< <(…)` and stop it by closing the pipe.
pub fn serve_main() {
    let server = server::start();
    println!("{}", server.base_url());
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

/// `args` are what follows [`PROFILE_FLAG`]: `OP PATH N URL [IN_FLIGHT]`, e.g.
/// `token-create verify-push 2000 http://127.0.0.1:41234` (IN_FLIGHT defaults to 1).
pub fn profile_main(args: &[String]) {
    let (op, path, n, base_url, in_flight) = match args {
        [op, path, n, url] => (op, path, n, url, "1"),
        [op, path, n, url, in_flight] => (op, path, n, url, in_flight.as_str()),
        _ => {
            eprintln!(
                "usage: {PROFILE_FLAG} OP PATH N URL [IN_FLIGHT] (OP: token-create, \
                 token-fetch, challenge-create, challenge-wait; PATH: verify-push, generated, \
                 reqwest)"
            );
            std::process::exit(2);
        }
    };
    let (Some(op), Some(path), Ok(n), Ok(in_flight)) = (
        Op::parse(op),
        Path::parse(path),
        n.parse::<usize>(),
        in_flight.parse::<usize>(),
    ) else {
        eprintln!("{PROFILE_FLAG}: unknown OP or PATH, or N or IN_FLIGHT is not a number");
        std::process::exit(2);
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let clients = Arc::new(Clients::only(base_url, path));
    let case = Case {
        op,
        path,
        in_flight: in_flight.max(1),
    };
    runtime.block_on(requests::batch(&clients, case, n));
    // The gate's own test: extra work per request on the verify-push path (baseline.rs).
    if path == Path::VerifyPush {
        baseline::busy_loop(baseline::slowdown_iterations(op) * n as u64);
    }
}
