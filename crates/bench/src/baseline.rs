//! The instruction-count regression gate (issue 23): `crates/bench/baseline.json` holds the
//! instructions per request of every line, with the toolchain, valgrind, CPU and dependency
//! versions they were taken with. Callgrind's counts do not move with the machine's load, so
//! `--check` can fail on a growth of more than [`MAX_GROWTH`] over the baseline, which a timing
//! could never tell from noise. Held: each verify-push line's ratio to the generated function
//! and to raw reqwest (both sides counted in the same run, so they hold on any machine), and,
//! when the setup is the baseline's, its raw count too.
//!
//! `--update-baseline` writes the file from this run's counts and prints old → new per line,
//! so the diff is reviewed with the change that caused it.
//!
//! `VERIFY_PUSH_BENCH_SLOWDOWN_PERCENT=N` makes the verify-push path do N% more work per request
//! (a busy loop sized from the baseline, in `--profile` mode): `.ci/bench-budget` runs the gate
//! with 5 and expects it to fail, so a gate that cannot fail is noticed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::clients::{Op, Path};
use crate::count::Count;

/// How much a line may grow over the baseline before `--check` fails (2%).
pub const MAX_GROWTH: f64 = 0.02;

/// The env var that injects a slowdown into the verify-push path (see the module docs).
pub const SLOWDOWN_ENV: &str = "VERIFY_PUSH_BENCH_SLOWDOWN_PERCENT";

/// Where the baseline lives.
pub fn path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("baseline.json")
}

/// The committed counts and what they were taken with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Baseline {
    /// How to update it.
    pub note: String,
    /// `rustc --version` of the run.
    pub toolchain: String,
    /// `valgrind --version` of the run.
    pub valgrind: String,
    /// The CPU model: the C library picks its `memcpy` and friends by CPU, so raw counts are
    /// compared only on the same model (the ratios everywhere).
    pub cpu: String,
    /// Versions from Cargo.lock of the crates on the request path.
    pub dependencies: BTreeMap<String, String>,
    /// Requests counted per line (the quick mode's).
    pub requests: usize,
    /// Instructions per request, by `"<op> / <path>"`.
    pub instructions: BTreeMap<String, f64>,
}

/// The key of one line.
pub fn key(op: Op, path: Path) -> String {
    format!("{} / {}", op.name(), path.name())
}

/// The committed baseline, or why there is none.
pub fn load() -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path())
        .map_err(|e| format!("cannot read {}: {e}", path().display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not a baseline: {e}", path().display()))
}

/// This run's environment and counts as a baseline.
pub fn from_run(counts: &[Count], requests: usize) -> Baseline {
    Baseline {
        note: "Instructions per request of the benchmark's --quick mode, counted by callgrind. \
               Update with: cargo bench -p verify-push-bench --bench verify_push -- --quick \
               --instructions-only --update-baseline (docs/performance.md)."
            .into(),
        toolchain: command_line("rustc", "--version"),
        valgrind: command_line("valgrind", "--version"),
        cpu: cpu_model(),
        dependencies: locked_versions(&["reqwest", "hyper", "tokio", "serde_json", "rustls"]),
        requests,
        instructions: counts
            .iter()
            .map(|c| (key(c.op, c.path), c.per_request.round()))
            .collect(),
    }
}

/// One verify-push line against the baseline: its instructions per request, or its ratio to
/// an anchor (the generated function, raw reqwest) measured in the same run.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    /// `"<op> / verify-push"`, or `"<op>: verify-push ÷ generated"` for a ratio.
    pub key: String,
    /// The baseline's figure.
    pub baseline: f64,
    /// This run's.
    pub now: f64,
    /// Whether the figures are ratios (shown with decimals) rather than counts.
    pub ratio: bool,
}

impl Compared {
    /// now / baseline − 1.
    pub fn growth(&self) -> f64 {
        self.now / self.baseline - 1.0
    }

    /// Whether the line grew past [`MAX_GROWTH`].
    pub fn failed(&self) -> bool {
        self.growth() > MAX_GROWTH
    }
}

/// The verify-push lines of this run against the baseline: for each operation, its ratio to
/// the generated function and to raw reqwest (both measured in the same run, so a machine that
/// counts differently moves both sides), and with `raw_counts` its instructions per request.
/// A line the baseline lacks is an error (the baseline must be updated with a new line).
pub fn compare(
    baseline: &Baseline,
    counts: &[Count],
    raw_counts: bool,
) -> Result<Vec<Compared>, String> {
    let committed = |op: Op, p: Path| {
        let key = key(op, p);
        baseline.instructions.get(&key).copied().ok_or_else(|| {
            format!(
                "{} has no line {key:?}: update the baseline",
                path().display()
            )
        })
    };
    let measured = |op: Op, p: Path| {
        counts
            .iter()
            .find(|c| c.op == op && c.path == p)
            .map(|c| c.per_request)
    };
    let mut out = Vec::new();
    for c in counts.iter().filter(|c| c.path == Path::VerifyPush) {
        let base = committed(c.op, c.path)?;
        if raw_counts {
            out.push(Compared {
                key: key(c.op, c.path),
                baseline: base,
                now: c.per_request,
                ratio: false,
            });
        }
        for anchor in [Path::Generated, Path::Reqwest] {
            if let Some(now_anchor) = measured(c.op, anchor) {
                out.push(Compared {
                    key: format!("{}: verify-push ÷ {}", c.op.name(), anchor.name()),
                    baseline: base / committed(c.op, anchor)?,
                    now: c.per_request / now_anchor,
                    ratio: true,
                });
            }
        }
    }
    Ok(out)
}

/// Why this run's counts may differ from the baseline's for reasons other than the code: a
/// different toolchain, valgrind, dependency or request count. Empty when all match.
pub fn differences(baseline: &Baseline, run: &Baseline) -> Vec<String> {
    let mut out = Vec::new();
    if baseline.toolchain != run.toolchain {
        out.push(format!(
            "toolchain {} → {}",
            baseline.toolchain, run.toolchain
        ));
    }
    if baseline.cpu != run.cpu {
        out.push(format!("CPU {} → {}", baseline.cpu, run.cpu));
    }
    if baseline.valgrind != run.valgrind {
        out.push(format!("valgrind {} → {}", baseline.valgrind, run.valgrind));
    }
    if baseline.dependencies != run.dependencies {
        out.push(format!(
            "dependencies {:?} → {:?}",
            baseline.dependencies, run.dependencies
        ));
    }
    if baseline.requests != run.requests {
        out.push(format!(
            "requests per line {} → {} (the baseline is the --quick mode's)",
            baseline.requests, run.requests
        ));
    }
    out
}

/// Writes `run` as the baseline and returns the old → new table.
pub fn update(run: &Baseline) -> Result<String, String> {
    let old = load().ok();
    let mut table =
        String::from("| line | baseline | new | change |\n| --- | ---: | ---: | ---: |\n");
    for (key, new) in &run.instructions {
        let (before, change) = match old.as_ref().and_then(|b| b.instructions.get(key)) {
            Some(before) => (
                format!("{before:.0}"),
                format!("{:+.2}%", (new / before - 1.0) * 100.0),
            ),
            None => ("(none)".into(), "new".into()),
        };
        table.push_str(&format!("| {key} | {before} | {new:.0} | {change} |\n"));
    }
    if let Some(old) = &old {
        for line in differences(old, run) {
            table.push_str(&format!("\nalso changed: {line}"));
        }
    }
    let json = serde_json::to_string_pretty(run).map_err(|e| e.to_string())?;
    std::fs::write(path(), json + "\n")
        .map_err(|e| format!("cannot write {}: {e}", path().display()))?;
    Ok(table)
}

/// The extra busy-loop iterations per request the slowdown env var asks for on `op`'s
/// verify-push path, sized from the baseline; 0 when unset or without a baseline.
pub fn slowdown_iterations(op: Op) -> u64 {
    let Some(percent) = std::env::var(SLOWDOWN_ENV)
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
    else {
        return 0;
    };
    let Some(base) = load()
        .ok()
        .and_then(|b| b.instructions.get(&key(op, Path::VerifyPush)).copied())
    else {
        return 0;
    };
    // One iteration of `busy_loop` is INSTRUCTIONS_PER_ITERATION instructions in a release
    // build (checked by the gate's own output: the injected growth it prints).
    (base * percent / 100.0 / INSTRUCTIONS_PER_ITERATION) as u64
}

/// Instructions one `busy_loop` iteration takes in a release build.
const INSTRUCTIONS_PER_ITERATION: f64 = 4.0;

/// Work the optimizer cannot remove: `iterations` rounds of an opaque add.
pub fn busy_loop(iterations: u64) {
    let mut sum = 0u64;
    for i in 0..iterations {
        sum = std::hint::black_box(sum.wrapping_add(i));
    }
    std::hint::black_box(sum);
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn command_line(program: &str, arg: &str) -> String {
    std::process::Command::new(program)
        .arg(arg)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| format!("{program}: unknown"))
}

/// The versions Cargo.lock pins for `names` (the first of each name).
fn locked_versions(names: &[&str]) -> BTreeMap<String, String> {
    let lock_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    let lock = std::fs::read_to_string(lock_path).unwrap_or_default();
    let mut versions = BTreeMap::new();
    let mut name = None;
    for line in lock.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_string());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take()) {
            if names.contains(&n.as_str()) && !versions.contains_key(&n) {
                versions.insert(n, v.trim_matches('"').to_string());
            }
        }
    }
    versions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn baseline(vp: f64, generated: f64) -> Baseline {
        Baseline {
            note: String::new(),
            toolchain: "rustc 1".into(),
            valgrind: "valgrind-3".into(),
            cpu: "cpu".into(),
            dependencies: BTreeMap::new(),
            requests: 200,
            instructions: [
                (key(Op::CreateToken, Path::VerifyPush), vp),
                (key(Op::CreateToken, Path::Generated), generated),
                (key(Op::CreateToken, Path::Reqwest), generated),
            ]
            .into(),
        }
    }

    fn counts(vp: f64, generated: f64) -> Vec<Count> {
        [
            (Path::VerifyPush, vp),
            (Path::Generated, generated),
            (Path::Reqwest, generated),
        ]
        .into_iter()
        .map(|(path, per_request)| Count {
            op: Op::CreateToken,
            path,
            per_request,
        })
        .collect()
    }

    fn failed(compared: &[Compared]) -> Vec<&str> {
        compared
            .iter()
            .filter(|c| c.failed())
            .map(|c| c.key.as_str())
            .collect()
    }

    #[test]
    fn growth_past_two_percent_fails_and_within_it_passes() {
        let base = baseline(100_000.0, 90_000.0);
        let within = compare(&base, &counts(101_999.0, 90_000.0), true).unwrap();
        assert!(failed(&within).is_empty(), "{within:?}");
        let past = compare(&base, &counts(102_001.0, 90_000.0), true).unwrap();
        assert_eq!(
            failed(&past),
            [
                "token create / verify-push",
                "token create: verify-push ÷ generated",
                "token create: verify-push ÷ reqwest"
            ]
        );
        let five = compare(&base, &counts(105_000.0, 90_000.0), true).unwrap();
        assert!((five[0].growth() - 0.05).abs() < 1e-9);
    }

    #[test]
    fn on_another_machine_the_ratios_still_hold_the_line() {
        // Everything counts 3% more (another C library memcpy): the raw count is not compared,
        // and the ratios do not move.
        let base = baseline(100_000.0, 90_000.0);
        let elsewhere = compare(&base, &counts(103_000.0, 92_700.0), false).unwrap();
        assert_eq!(elsewhere.len(), 2);
        assert!(failed(&elsewhere).is_empty(), "{elsewhere:?}");
        // A real 5% regression of the wrapper there still fails.
        let slower = compare(&base, &counts(108_150.0, 92_700.0), false).unwrap();
        assert_eq!(failed(&slower).len(), 2, "{slower:?}");
    }

    #[test]
    fn a_line_missing_from_the_baseline_is_an_error() {
        let base = baseline(100.0, 100.0);
        let err = compare(
            &base,
            &[Count {
                op: Op::WaitChallenge,
                path: Path::VerifyPush,
                per_request: 1.0,
            }],
            true,
        )
        .unwrap_err();
        assert!(err.contains("challenge wait / verify-push"), "{err}");
    }

    #[test]
    fn differences_name_what_changed() {
        let a = baseline(1.0, 1.0);
        let mut b = a.clone();
        assert!(differences(&a, &b).is_empty());
        b.toolchain = "rustc 2".into();
        b.cpu = "other".into();
        let d = differences(&a, &b);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].contains("rustc 1 → rustc 2"));
        assert!(d[1].contains("CPU cpu → other"));
    }

    #[test]
    fn the_committed_baseline_has_every_line() {
        let base = load().unwrap();
        for op in [
            Op::CreateToken,
            Op::FetchToken,
            Op::CreateChallenge,
            Op::WaitChallenge,
        ] {
            for p in [Path::VerifyPush, Path::Generated, Path::Reqwest] {
                let n = base.instructions[&key(op, p)];
                assert!(n > 10_000.0, "{op:?} {p:?}: {n}");
            }
        }
    }
}
