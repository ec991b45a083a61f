//! The performance budget (docs/performance.md): each line is a ratio or a time measured in one
//! run, with its limit and the margin CI allows past it. A timing line fails only when it misses
//! its limit by [`CI_MARGIN`] times, so noise on a shared machine does not fail it but a real
//! regression does; an instruction-count line is deterministic and fails when it misses its
//! limit at all ([`EXACT`]).

/// How far past its limit a timing line must be for `--check` to fail.
pub const CI_MARGIN: f64 = 1.5;

/// The margin of a line that is the same in every run (instruction counts): none.
pub const EXACT: f64 = 1.0;

/// Whether the measured value must stay under or over the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// measured ≤ limit.
    AtMost,
    /// measured ≥ limit.
    AtLeast,
}

/// One budget line.
#[derive(Debug, Clone)]
pub struct Line {
    /// What is measured.
    pub name: String,
    /// The figure.
    pub measured: f64,
    /// The budget.
    pub limit: f64,
    /// Which side of the limit is good.
    pub bound: Bound,
    /// Unit shown after the figures ("×" for ratios, "ms").
    pub unit: &'static str,
    /// How far past the limit `--check` lets it be: [`CI_MARGIN`] or [`EXACT`].
    pub margin: f64,
}

/// Where a line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Within budget.
    Met,
    /// Outside the budget, but within the CI margin (noise, or a known miss).
    Over,
    /// Outside the budget by more than the CI margin: `--check` fails.
    Fail,
}

impl Line {
    /// The CI threshold: the limit widened by the line's margin.
    pub fn ci_threshold(&self) -> f64 {
        match self.bound {
            Bound::AtMost => self.limit * self.margin,
            Bound::AtLeast => self.limit / self.margin,
        }
    }

    /// Where the figure stands.
    pub fn verdict(&self) -> Verdict {
        let (within, within_ci) = match self.bound {
            Bound::AtMost => (
                self.measured <= self.limit,
                self.measured <= self.ci_threshold(),
            ),
            Bound::AtLeast => (
                self.measured >= self.limit,
                self.measured >= self.ci_threshold(),
            ),
        };
        match (within, within_ci) {
            (true, _) => Verdict::Met,
            (false, true) => Verdict::Over,
            (false, false) => Verdict::Fail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(measured: f64, margin: f64) -> Line {
        Line {
            name: "token create: verify-push / generated".into(),
            measured,
            limit: 1.05,
            bound: Bound::AtMost,
            unit: "×",
            margin,
        }
    }

    #[test]
    fn an_instruction_line_fails_when_it_misses_its_budget_at_all() {
        assert_eq!(line(1.05, EXACT).verdict(), Verdict::Met);
        assert_eq!(line(1.0501, EXACT).verdict(), Verdict::Fail);
    }

    #[test]
    fn a_timing_line_fails_only_past_the_noise_margin() {
        assert_eq!(line(1.0501, CI_MARGIN).verdict(), Verdict::Over);
        assert_eq!(
            line(1.05 * CI_MARGIN + 0.01, CI_MARGIN).verdict(),
            Verdict::Fail
        );
        let at_least = Line {
            bound: Bound::AtLeast,
            limit: 10.0,
            ..line(7.0, CI_MARGIN)
        };
        assert_eq!(at_least.verdict(), Verdict::Over);
        assert_eq!(
            Line {
                measured: 6.0,
                ..at_least
            }
            .verdict(),
            Verdict::Fail
        );
    }
}
