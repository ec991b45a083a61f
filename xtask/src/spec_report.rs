//! The spec diff report: the Rust API changes that decide the verdict, what of them touches
//! `verify-push`, and the spec changes that explain them. Rendered for people
//! (`report_text`) and programs (`report_json`, its shape documented in docs/regenerating.md).

use crate::api_diff::{self, Bump, Counts, Severity, Subject};
use crate::rust_api::Api;
use crate::spec_explain::{self, name_key, path_key};
use crate::tree::Tree;
use crate::wrapper_calls::Wrapper;

/// One side of the comparison.
#[derive(Debug, Clone)]
pub struct SideInfo {
    /// Where the spec came from, as the maintainer named it (or the vendored file).
    pub label: String,
    pub sha256: String,
    /// Operations in the spec.
    pub operations: usize,
    /// Public functions and types of the crate generated from it.
    pub functions: usize,
    pub types: usize,
}

/// Everything the report shows. `level`, `bump`, `current_version` and `next_version` are the
/// verdict; they come from the Rust API comparison only.
#[derive(Debug, Clone)]
pub struct Report {
    pub old: SideInfo,
    pub new: SideInfo,
    /// Public Rust API changes, sorted by subject, severity and item.
    pub rust: Vec<api_diff::Change>,
    /// Spec changes, sorted by subject and item.
    pub spec: Vec<spec_explain::Change>,
    /// For each Rust change, the indices into `spec` of the spec changes behind it.
    pub causes: Vec<Vec<usize>>,
    /// `GET /v2/…` of each function (old or new side), for display.
    pub endpoints: std::collections::BTreeMap<String, String>,
    pub wrapper: Wrapper,
    /// The most severe Rust change; `None` when the generated API is identical.
    pub level: Option<Severity>,
    /// The bump for a crate at 1.0 or later; `bump.while_zero()` applies while 0.x.
    pub bump: Bump,
    /// The `verify-v2` version now (`packageVersion` in generator-config.yaml), when known.
    pub current_version: Option<String>,
    /// The version to release after the regeneration (`None`: nothing changed or unknown).
    pub next_version: Option<String>,
    /// The crate generated from the new spec (unformatted), for the build check.
    pub new_crate: Tree,
}

impl Report {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        old: SideInfo,
        new: SideInfo,
        rust: Vec<api_diff::Change>,
        spec: Vec<spec_explain::Change>,
        old_api: &Api,
        new_api: &Api,
        wrapper: Wrapper,
        current_version: Option<String>,
        new_crate: Tree,
    ) -> Report {
        let mut endpoints = std::collections::BTreeMap::new();
        for api in [new_api, old_api] {
            for (key, f) in &api.functions {
                endpoints
                    .entry(key.clone())
                    .or_insert_with(|| f.endpoint.clone());
            }
        }
        let causes = rust
            .iter()
            .map(|c| causes_of(c, &spec, &endpoints, old_api, new_api))
            .collect();
        let level = Counts::of(&rust).level();
        let next_version = current_version
            .as_deref()
            .and_then(|v| api_diff::next_version(v, level));
        Report {
            old,
            new,
            rust,
            spec,
            causes,
            endpoints,
            wrapper,
            level,
            bump: Bump::for_level(level),
            current_version,
            next_version,
            new_crate,
        }
    }

    /// Whether a change to what the wrapper uses may stop it compiling.
    pub fn wrapper_may_break(&self) -> bool {
        self.wrapper
            .touching
            .iter()
            .any(|&i| self.rust[i].severity == Severity::Breaking)
    }
}

/// Spec changes behind a Rust change: the operation sending the same request as the changed
/// function (or whose error enum or inline model it is), or the schema the type is named after.
fn causes_of(
    change: &api_diff::Change,
    spec: &[spec_explain::Change],
    endpoints: &std::collections::BTreeMap<String, String>,
    old_api: &Api,
    new_api: &Api,
) -> Vec<usize> {
    let endpoint_of = |function: &str| endpoints.get(function).cloned();
    let endpoint = match &change.subject {
        Subject::Function(f) => endpoint_of(f),
        Subject::Module(_) => None,
        Subject::Type(t) => {
            let name = t.rsplit("::").next().unwrap_or(t);
            // `apis::m::CreateXError` belongs to `m::create_x`; `CreateX201Response` to it too.
            let key = name_key(name);
            [old_api, new_api]
                .iter()
                .flat_map(|api| api.functions.keys())
                .map(|f| (f, f.rsplit("::").next().unwrap_or(f)))
                .filter(|(_, name)| key.starts_with(&name_key(name)))
                .max_by_key(|(_, name)| name.len())
                .map(|(f, _)| f)
                .and_then(|f| endpoint_of(f))
        }
    };
    let keep = |s: &spec_explain::Change| s.kind != "description" || change.kind == "doc";
    if let Subject::Type(t) = &change.subject {
        let key = name_key(t.rsplit("::").next().unwrap_or(t));
        let by_schema: Vec<usize> = spec
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                matches!(&s.subject, spec_explain::Subject::Schema(n) if name_key(n) == key)
                    && keep(s)
            })
            .map(|(i, _)| i)
            .collect();
        if !by_schema.is_empty() {
            return by_schema;
        }
    }
    let of_operation: Vec<usize> = spec
        .iter()
        .enumerate()
        .filter(|(_, s)| match &s.subject {
            spec_explain::Subject::Operation { method, path, .. } => {
                endpoint.as_deref() == Some(format!("{method} {}", path_key(path)).as_str())
            }
            spec_explain::Subject::Schema(_) => false,
        })
        .filter(|(_, s)| keep(s))
        .map(|(i, _)| i)
        .collect();
    // A type of an operation (error enum, inline body) comes from its bodies or responses.
    let bodies: Vec<usize> = of_operation
        .iter()
        .copied()
        .filter(|&i| {
            let item = &spec[i].item;
            item.starts_with("response") || item.starts_with("request") || spec[i].kind == "added"
        })
        .collect();
    match &change.subject {
        Subject::Type(_) if !bodies.is_empty() => bodies,
        _ => of_operation,
    }
}
