//! Peak RSS of N creates, each measurement in its own child process (this benchmark's binary
//! run again with `--child-rss`), so the peaks of different measurements never mix.

use std::sync::Arc;

use crate::clients::{Clients, Op, Path};
use crate::requests::{self, Case};

/// The argument that makes the benchmark binary a memory child.
pub const CHILD_FLAG: &str = "--child-rss";

/// Runs one child: `requests` token creates through `path`, `in_flight` at a time, against
/// the stand-in at `base_url` (served by the parent, so its memory is not counted).
pub fn measure(base_url: &str, path: Path, in_flight: usize, requests: usize) -> u64 {
    crate::process::own_output(&[
        CHILD_FLAG,
        path.name(),
        &in_flight.to_string(),
        &requests.to_string(),
        base_url,
    ])
    .trim()
    .parse()
    .expect("the child prints its VmHWM")
}

/// The child's side: `args` are what follows [`CHILD_FLAG`].
pub fn child_main(args: &[String]) {
    let [path, in_flight, requests, base_url] = args else {
        panic!("usage: {CHILD_FLAG} PATH IN_FLIGHT REQUESTS BASE_URL");
    };
    let path = Path::parse(path).expect("a path name");
    let in_flight: usize = in_flight.parse().expect("a number");
    let requests: usize = requests.parse().expect("a number");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let clients = Arc::new(Clients::only(base_url, path));
    let case = Case {
        op: Op::CreateToken,
        path,
        in_flight,
    };
    runtime.block_on(requests::batch(&clients, case, requests));
    // VmHWM is this address space's own peak. wait4's ru_maxrss is not: Linux carries the
    // parent's peak across fork and exec, so every child would report the benchmark's size.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    println!("{hwm}");
}
