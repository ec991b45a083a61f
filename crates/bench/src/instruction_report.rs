//! The instruction counts in the benchmark's output: the ratio lines of the budget, and the
//! regression gate against `crates/bench/baseline.json` (baseline.rs).

use crate::baseline::{self, Baseline};
use crate::budget::{Bound, Line};
use crate::clients::{Op, Path};
use crate::instructions::{self, Count};

/// Counts every line, prints them with their ratios, and adds the ratio lines to `lines`; the
/// counts, or `None` when callgrind could not run (said in the output).
pub fn print_instructions(counted: usize, lines: &mut Vec<Line>) -> Option<Vec<Count>> {
    println!(
        "\n## Instructions per request (callgrind; {} requests after the first, same on a busy machine)\n",
        counted
    );
    let ops = [
        Op::CreateToken,
        Op::FetchToken,
        Op::CreateChallenge,
        Op::WaitChallenge,
    ];
    let counts = match instructions::measure(&ops, counted) {
        Ok(counts) => counts,
        Err(e) => {
            println!("skipped: {e}");
            return None;
        }
    };
    println!("| request | client | instructions | vs generated | vs reqwest |");
    println!("| --- | --- | ---: | ---: | ---: |");
    for op in ops {
        let of = |path: Path| {
            counts
                .iter()
                .find(|c| c.op == op && c.path == path)
                .map_or(f64::NAN, |c| c.per_request)
        };
        let (generated, reqwest) = (of(Path::Generated), of(Path::Reqwest));
        for path in [Path::VerifyPush, Path::Generated, Path::Reqwest] {
            let n = of(path);
            println!(
                "| {} | {} | {:.0} | {:.3} | {:.3} |",
                op.name(),
                path.name(),
                n,
                n / generated,
                n / reqwest
            );
        }
        let vp = of(Path::VerifyPush);
        for (against, other, limit) in [("generated", generated, 1.05), ("reqwest", reqwest, 1.10)]
        {
            lines.push(Line {
                name: format!("{}, instructions: verify-push / {against}", op.name()),
                measured: vp / other,
                limit,
                bound: Bound::AtMost,
                unit: "×",
                margin: crate::budget::EXACT,
            });
        }
    }
    Some(counts)
}

/// Prints this run against the baseline; with `update`, writes the baseline instead. Returns
/// whether a line grew past the gate (always `false` when updating).
pub fn print_gate(counts: &[Count], counted: usize, update: bool) -> bool {
    println!(
        "\n## Instructions against the baseline (crates/bench/baseline.json; the gate fails past +{:.0}%)\n",
        baseline::MAX_GROWTH * 100.0
    );
    let run = baseline::from_run(counts, counted);
    if update {
        match baseline::update(&run) {
            Ok(table) => println!("Baseline updated:\n\n{table}"),
            Err(e) => {
                println!("cannot update the baseline: {e}");
                return true;
            }
        }
        return false;
    }
    let committed: Baseline = match baseline::load() {
        Ok(b) => b,
        Err(e) => {
            println!("no baseline: {e}");
            return true;
        }
    };
    let differences = baseline::differences(&committed, &run);
    for d in &differences {
        println!("note: the baseline was taken with a different setup ({d}): ratios only");
    }
    // Raw counts only on the baseline's setup; ratios everywhere (baseline.rs).
    let compared = match baseline::compare(&committed, counts, differences.is_empty()) {
        Ok(c) => c,
        Err(e) => {
            println!("{e}");
            return true;
        }
    };
    println!("| line | baseline | this run | change | verdict |");
    println!("| --- | ---: | ---: | ---: | --- |");
    let mut failed = false;
    for c in &compared {
        let verdict = if c.failed() {
            failed = true;
            "**FAIL**"
        } else {
            "ok"
        };
        let digits = if c.ratio { 4 } else { 0 };
        println!(
            "| {} | {:.digits$} | {:.digits$} | {:+.2}% | {verdict} |",
            c.key,
            c.baseline,
            c.now,
            c.growth() * 100.0
        );
    }
    if failed && !differences.is_empty() {
        println!(
            "\nThe setup differs from the baseline's (above): if the growth comes from it, update \
             the baseline (docs/performance.md, \"The regression gate\")."
        );
    }
    failed
}
