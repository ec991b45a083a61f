//! Per-request cost, interleaved: every round runs one batch of every case, the three paths of
//! an operation back to back, so a slow moment of the machine falls on the cases it compares
//! alike; a ratio is the median of the same-round ratios, an absolute figure a case's best
//! round.

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

/// One batch's cost per request (or a case's best of each, [`Measured::best`]): wall,
/// client-thread CPU, process CPU.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sample {
    /// Wall time per request (at 256 in flight: batch time / requests, i.e. 1 / throughput).
    pub wall: Duration,
    /// CPU time of the client thread per request.
    pub cpu: Duration,
    /// CPU time of the whole process (stand-in server included) per request.
    pub cpu_process: Duration,
}

/// Every round of every case: `rounds[case][round]`, cases in [`cases`]'s order.
#[derive(Debug, Clone)]
pub struct Measured {
    /// The cases.
    pub cases: Vec<Case>,
    /// Per case, one sample per round.
    pub rounds: Vec<Vec<Sample>>,
}

/// The three paths in each of their six orders; round `r` runs a group's paths in order
/// `r % 6`, so over the rounds each path runs first, second and last equally often and no
/// path keeps the advantage (or the cost) of a place in the sequence.
const ORDERS: [[usize; 3]; 6] = [
    [0, 1, 2],
    [1, 2, 0],
    [2, 0, 1],
    [0, 2, 1],
    [2, 1, 0],
    [1, 0, 2],
];

/// Untimed requests run right before each timed batch, so the batch does not pay for the
/// previous batch having run other code (caches, the branch predictor, the server's buffers).
fn warm_up(case: &Case) -> usize {
    if case.in_flight == 1 {
        8
    } else {
        case.in_flight
    }
}

/// Measures every case for `rounds` rounds of `sequential` (1 in flight) or `concurrent`
/// requests per batch, after one warm-up batch each (connections opened, caches filled).
///
/// A round runs, for each operation and in-flight count (a group, in a rotating order), the
/// three paths back to back in one of the six orders of three, each batch after a few untimed
/// requests of its own. The three batches of a group in one round are milliseconds apart, so a
/// ratio of two of them (see [`Measured::ratio`]) is measured under the same conditions of the
/// machine.
pub fn measure(
    runtime: &tokio::runtime::Runtime,
    clients: &Arc<Clients>,
    rounds: usize,
    sequential: usize,
    concurrent: usize,
) -> Measured {
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
    // cases() lists the three paths of a group next to each other.
    let groups = cases.len() / 3;
    let mut samples = vec![Vec::with_capacity(rounds); cases.len()];
    for round in 0..rounds {
        for g in 0..groups {
            let group = (g + round) % groups;
            for place in ORDERS[round % ORDERS.len()] {
                let index = group * 3 + place;
                let case = cases[index];
                runtime.block_on(batch(clients, case, warm_up(&case)));
                let n = size(&case);
                let (cpu0, proc0, wall0) = (cpu::thread(), cpu::process(), Instant::now());
                runtime.block_on(batch(clients, case, n));
                let wall = wall0.elapsed();
                let (cpu, process) = (cpu::thread() - cpu0, cpu::process() - proc0);
                let n = n as u32;
                samples[index].push(Sample {
                    wall: wall / n,
                    cpu: cpu / n,
                    cpu_process: process / n,
                });
            }
        }
    }
    Measured {
        cases,
        rounds: samples,
    }
}

/// Which time a ratio compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Wall time.
    Wall,
    /// The client thread's CPU time.
    Cpu,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

impl Measured {
    fn index(&self, op: Op, path: Path, in_flight: usize) -> usize {
        self.cases
            .iter()
            .position(|c| c.op == op && c.path == path && c.in_flight == in_flight)
            .expect("every case is measured")
    }

    /// A case's best round, per request, each time on its own: the absolute figures.
    /// On a shared machine noise only ever adds time, so the fastest round is the closest to
    /// what the code itself costs.
    pub fn best(&self, case: Case) -> Sample {
        let s = &self.rounds[self.index(case.op, case.path, case.in_flight)];
        let min = |f: fn(&Sample) -> Duration| s.iter().map(f).min().unwrap_or_default();
        Sample {
            wall: min(|x| x.wall),
            cpu: min(|x| x.cpu),
            cpu_process: min(|x| x.cpu_process),
        }
    }

    /// `case` against the same operation and in-flight count through `against`: the median,
    /// over the rounds, of the ratio of the two batches of the same round. A noisy moment
    /// lands on both batches of a pair or moves one pair, not the figure; ratios of
    /// independent best rounds instead moved by 15 % from run to run here.
    pub fn ratio(&self, case: Case, against: Path, metric: Metric) -> f64 {
        let a = &self.rounds[self.index(case.op, case.path, case.in_flight)];
        let b = &self.rounds[self.index(case.op, against, case.in_flight)];
        let pick = |s: &Sample| match metric {
            Metric::Wall => s.wall,
            Metric::Cpu => s.cpu,
        };
        median(
            a.iter()
                .zip(b)
                .map(|(a, b)| pick(a).as_secs_f64() / pick(b).as_secs_f64())
                .collect(),
        )
    }
}

/// Cases and samples for the tests of this module and layouts.rs.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A token create through `path`, 1 in flight.
    pub(crate) fn case(path: Path) -> Case {
        Case {
            op: Op::CreateToken,
            path,
            in_flight: 1,
        }
    }

    /// A sample of `u` µs wall, CPU and process CPU.
    pub(crate) fn us(u: u64) -> Sample {
        let d = Duration::from_micros(u);
        Sample {
            wall: d,
            cpu: d,
            cpu_process: d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_takes_every_place_equally_often() {
        for path in 0..3 {
            for place in 0..3 {
                let n = ORDERS.iter().filter(|o| o[place] == path).count();
                assert_eq!(n, 2, "path {path} at place {place}");
            }
        }
    }

    #[test]
    fn the_ratio_is_the_median_of_same_round_pairs() {
        use fixtures::{case, us};
        // Round 2 is slow for both; round 3 is slow for one only (an outlier the median drops).
        let measured = Measured {
            cases: vec![case(Path::VerifyPush), case(Path::Generated)],
            rounds: vec![
                vec![us(103), us(206), us(300), us(103)],
                vec![us(100), us(200), us(100), us(100)],
            ],
        };
        let r = measured.ratio(case(Path::VerifyPush), Path::Generated, Metric::Wall);
        assert!((r - 1.03).abs() < 1e-9, "{r}");
        assert_eq!(
            measured.best(case(Path::VerifyPush)).wall,
            Duration::from_micros(103)
        );
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(vec![1.0, 9.0, 2.0]), 2.0);
    }
}
