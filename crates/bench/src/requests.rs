//! Per-request cost, interleaved: every round runs one batch of every case, in a rotating
//! order, so a slow moment of the machine falls on all cases alike; each case's figure is its
//! best round.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::clients::{Clients, Op, Path};
use crate::cpu;

/// One measured case: an operation, a client path and how many requests are in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case {
    /// The request.
    pub op: Op,
    /// The client code.
    pub path: Path,
    /// Requests in flight on the one client (1: sequential).
    pub in_flight: usize,
}

/// A case's best round, per request.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    /// The case.
    pub case: Case,
    /// Wall time per request (at 256 in flight: batch time / requests, i.e. 1 / throughput).
    pub wall: Duration,
    /// CPU time of the client thread per request.
    pub cpu: Duration,
    /// CPU time of the whole process (stand-in server included) per request.
    pub cpu_process: Duration,
}

/// Every case: token create and fetch, challenge create and wait, through the three paths,
/// sequential and at 256 in flight (issue 23 holds all four operations to the budget at both).
pub fn cases() -> Vec<Case> {
    let paths = [Path::VerifyPush, Path::Generated, Path::Reqwest];
    let mut cases = Vec::new();
    for in_flight in [1, 256] {
        for op in [
            Op::CreateToken,
            Op::FetchToken,
            Op::CreateChallenge,
            Op::WaitChallenge,
        ] {
            for path in paths {
                cases.push(Case {
                    op,
                    path,
                    in_flight,
                });
            }
        }
    }
    cases
}

/// Runs `requests` requests of `case`, `case.in_flight` at a time, on the current runtime.
pub async fn batch(clients: &Arc<Clients>, case: Case, requests: usize) {
    if case.in_flight == 1 {
        for _ in 0..requests {
            clients.one(case.op, case.path).await;
        }
        return;
    }
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..case.in_flight {
        // Spread the requests over the workers, the first ones taking the remainder.
        let share = requests / case.in_flight + usize::from(worker < requests % case.in_flight);
        let clients = Arc::clone(clients);
        tasks.spawn(async move {
            for _ in 0..share {
                clients.one(case.op, case.path).await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a request task panicked");
    }
}

/// The fastest round. On a shared machine noise only ever adds time (another process takes the
/// core, a wake-up is late), so the best round of each case, all measured interleaved, is the
/// closest to what the code itself costs; medians moved by 30 % between runs here.
fn best(values: Vec<Duration>) -> Duration {
    values.into_iter().min().unwrap_or_default()
}

/// Measures every case for `rounds` rounds of `sequential` (1 in flight) or `concurrent`
/// requests per batch, after one warm-up batch each (connections opened, caches filled).
pub fn measure(
    runtime: &tokio::runtime::Runtime,
    clients: &Arc<Clients>,
    rounds: usize,
    sequential: usize,
    concurrent: usize,
) -> Vec<Cost> {
    let cases = cases();
    let size = |case: &Case| {
        if case.in_flight == 1 {
            sequential
        } else {
            concurrent
        }
    };
    for case in &cases {
        runtime.block_on(batch(clients, *case, size(case).min(case.in_flight * 4)));
    }
    let mut samples: Vec<Vec<(Duration, Duration, Duration)>> = vec![Vec::new(); cases.len()];
    for round in 0..rounds {
        for i in 0..cases.len() {
            let index = (i + round) % cases.len();
            let case = cases[index];
            let n = size(&case);
            let (cpu0, proc0, wall0) = (cpu::thread(), cpu::process(), Instant::now());
            runtime.block_on(batch(clients, case, n));
            let wall = wall0.elapsed();
            let (cpu, process) = (cpu::thread() - cpu0, cpu::process() - proc0);
            let n = n as u32;
            samples[index].push((wall / n, cpu / n, process / n));
        }
    }
    cases
        .into_iter()
        .zip(samples)
        .map(|(case, s)| Cost {
            case,
            wall: best(s.iter().map(|x| x.0).collect()),
            cpu: best(s.iter().map(|x| x.1).collect()),
            cpu_process: best(s.iter().map(|x| x.2).collect()),
        })
        .collect()
}
