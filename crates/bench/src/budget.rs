//! The performance budget (docs/performance.md): each line is a ratio or a time measured in one
//! run, with its limit. CI fails only when a line misses its limit by [`CI_MARGIN`] times, so
//! noise on a shared machine does not fail it but a real regression does.

/// How far past its limit a line must be for `--check` to fail.
pub const CI_MARGIN: f64 = 1.5;

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
    /// The CI threshold: the limit widened by [`CI_MARGIN`].
    pub fn ci_threshold(&self) -> f64 {
        match self.bound {
            Bound::AtMost => self.limit * CI_MARGIN,
            Bound::AtLeast => self.limit / CI_MARGIN,
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
