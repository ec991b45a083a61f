//! One instruction count: the figure callgrind gives (instructions.rs) and the baseline holds
//! (baseline.rs).

use crate::clients::{Op, Path};

/// Instructions per request of one operation through one path.
#[derive(Debug, Clone, Copy)]
pub struct Count {
    /// The request.
    pub op: Op,
    /// The client code.
    pub path: Path,
    /// Instructions per request.
    pub per_request: f64,
}
