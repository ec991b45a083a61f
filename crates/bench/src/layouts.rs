//! The per-request timings measured in several fresh processes, their rounds pooled.
//!
//! Within one process the paired ratios are steady (runs of the same binary agree within about
//! 0.01 at 1 in flight), but between processes the same line moved by up to 0.03: each process
//! lays out its stacks, heap and mappings at other addresses (ASLR), so the code paths meet
//! different cache-set conflicts, and one process's layout can favour one client. A figure
//! taken over several processes averages that luck out instead of reporting one draw of it.
//! Each process starts its own stand-in and runs [`requests::measure`] with the same sizes; its
//! rounds are appended to the others', so a ratio is still the median of same-round pairs, now
//! over every process's rounds.

use std::time::Duration;

use crate::process;
use crate::requests::{self, Measured, Sample};

/// The argument that makes the benchmark binary measure the requests once and print the
/// samples (`ROUNDS SEQUENTIAL CONCURRENT` follow it).
pub const CHILD_FLAG: &str = "--measure-requests";

/// Measures every case in `processes` fresh processes of this binary, one after the other,
/// each with `rounds` rounds, and pools their rounds.
pub fn measure(processes: usize, rounds: usize, sequential: usize, concurrent: usize) -> Measured {
    let sizes = [rounds, sequential, concurrent].map(|n| n.to_string());
    let mut runs = (0..processes).map(|_| {
        parse(&process::own_output(&[
            CHILD_FLAG, &sizes[0], &sizes[1], &sizes[2],
        ]))
    });
    let mut pooled = runs.next().expect("at least one process");
    for more in runs {
        pool(&mut pooled, more);
    }
    pooled
}

/// Appends `more`'s rounds to `all`'s, case by case: round `r` of every case still comes from
/// the same process and the same round of it, so same-round pairs stay pairs.
fn pool(all: &mut Measured, more: Measured) {
    for (all, more) in all.rounds.iter_mut().zip(more.rounds) {
        all.extend(more);
    }
}

/// The child's side: `args` are what follows [`CHILD_FLAG`].
pub fn child_main(args: &[String]) {
    let number = |i: usize| -> usize {
        args.get(i)
            .and_then(|a| a.parse().ok())
            .expect("usage: --measure-requests ROUNDS SEQUENTIAL CONCURRENT")
    };
    let (rounds, sequential, concurrent) = (number(0), number(1), number(2));
    let server = crate::server::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let clients = std::sync::Arc::new(crate::clients::Clients::new(&server.base_url()));
    let measured = requests::measure(&runtime, &clients, rounds, sequential, concurrent);
    print!("{}", format(&measured));
}

/// One line per sample: the case's index in [`requests::cases`], then wall, CPU and process
/// CPU in nanoseconds; a case's samples in round order.
fn format(measured: &Measured) -> String {
    let mut out = String::new();
    for (index, samples) in measured.rounds.iter().enumerate() {
        for s in samples {
            out.push_str(&format!(
                "{index} {} {} {}\n",
                s.wall.as_nanos(),
                s.cpu.as_nanos(),
                s.cpu_process.as_nanos()
            ));
        }
    }
    out
}

fn parse(text: &str) -> Measured {
    let cases = requests::cases();
    let mut rounds = vec![Vec::new(); cases.len()];
    for line in text.lines() {
        let fields: Vec<u64> = line
            .split_whitespace()
            .map(|f| f.parse().expect("a number"))
            .collect();
        let [index, wall, cpu, process] = fields[..] else {
            panic!("a sample line has four numbers: {line:?}");
        };
        rounds[index as usize].push(Sample {
            wall: Duration::from_nanos(wall),
            cpu: Duration::from_nanos(cpu),
            cpu_process: Duration::from_nanos(process),
        });
    }
    assert!(
        rounds.iter().all(|r| r.len() == rounds[0].len()),
        "every case has a sample in every round"
    );
    Measured { cases, rounds }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::Path;
    use crate::requests::Metric;
    use crate::requests::fixtures::{case, us};

    #[test]
    fn pooled_rounds_stay_paired() {
        let process = |vp: [u64; 2], generated: [u64; 2]| Measured {
            cases: vec![case(Path::VerifyPush), case(Path::Generated)],
            rounds: vec![vp.map(us).to_vec(), generated.map(us).to_vec()],
        };
        // A fast process and a slow one: paired, every ratio is 1.02 or 1.04; mixed across
        // processes it would not be.
        let mut all = process([102, 104], [100, 100]);
        pool(&mut all, process([204, 208], [200, 200]));
        assert_eq!(all.rounds[0].len(), 4);
        let r = all.ratio(case(Path::VerifyPush), Path::Generated, Metric::Wall);
        assert!((r - 1.03).abs() < 1e-9, "{r}");
    }

    #[test]
    fn samples_survive_the_trip_through_the_child_output() {
        let cases = requests::cases();
        let rounds = (0..cases.len())
            .map(|i| {
                (0..3)
                    .map(|r| Sample {
                        wall: Duration::from_nanos(1000 + i as u64 * 10 + r),
                        cpu: Duration::from_nanos(900 + r),
                        cpu_process: Duration::from_nanos(1900 + r),
                    })
                    .collect()
            })
            .collect();
        let measured = Measured { cases, rounds };
        let back = parse(&format(&measured));
        for (a, b) in measured.rounds.iter().zip(&back.rounds) {
            let key = |s: &Sample| (s.wall, s.cpu, s.cpu_process);
            assert_eq!(
                a.iter().map(key).collect::<Vec<_>>(),
                b.iter().map(key).collect::<Vec<_>>()
            );
        }
    }
}
