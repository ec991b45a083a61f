//! Compares two flattened specs and classifies each difference by what a Rust caller of the
//! generated `verify-v2` crate would see after regenerating: *breaking* (code that compiled and
//! worked may stop compiling or stop decoding responses), *additive* (new things; existing code
//! keeps working) or *cosmetic* (documentation and constraints the Rust types do not encode).
//!
//! Each rule sits next to the code that applies it, with its reason; the reason travels with the
//! change into the report. docs/regenerating.md has the same rules as a table.

use std::collections::{BTreeMap, BTreeSet};

use crate::spec_model::{Location, Model, ModelKind, OpKey, Operation, Property, Spec, Type};

/// An operation `verify-push` wraps. It matches by `operationId` or by method and path, so a
/// renamed operationId or a moved path still counts as touching `verify-push`.
#[derive(Debug, Clone, Copy)]
pub struct Wrapped {
    pub operation_id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
}

/// What `crates/verify-push` calls in the generated crate.
pub const WRAPPED: [Wrapped; 2] = [
    Wrapped {
        operation_id: "CreateAccessToken",
        method: "POST",
        path: "/v2/Services/{ServiceSid}/AccessTokens",
    },
    Wrapped {
        operation_id: "FetchAccessToken",
        method: "GET",
        path: "/v2/Services/{ServiceSid}/AccessTokens/{Sid}",
    },
];

fn is_wrapped(op: &Operation) -> bool {
    WRAPPED
        .iter()
        .any(|w| w.operation_id == op.operation_id || (w.method == op.method && w.path == op.path))
}

/// Ordered from most to least severe, so sorting puts breaking changes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Breaking,
    Additive,
    Cosmetic,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Additive => "additive",
            Severity::Cosmetic => "cosmetic",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Operations,
    Parameters,
    Responses,
    Models,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Operations,
        Section::Parameters,
        Section::Responses,
        Section::Models,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Section::Operations => "operations",
            Section::Parameters => "parameters",
            Section::Responses => "responses",
            Section::Models => "models",
        }
    }
}

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    Operation {
        path: String,
        method: String,
        operation_id: String,
    },
    Model {
        name: String,
        rust_name: String,
        /// Where the model is used: `responses`, `requests`, `requests and responses`, or
        /// `no operation`, plus its origin when it is an inline body.
        usage: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Added,
    Removed,
    OperationIdChanged,
    TagChanged,
    ArgumentsReordered,
    RequiredChanged,
    TypeChanged,
    NullableChanged,
    EnumValuesAdded,
    EnumValuesRemoved,
    ModelKindChanged,
    ReturnTypeChanged,
    SuccessStatusChanged,
    ErrorResponseAdded,
    ErrorResponseRemoved,
    ErrorResponseChanged,
    ConstraintsChanged,
    DefaultChanged,
    DeprecatedChanged,
    DescriptionChanged,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::OperationIdChanged => "operation_id_changed",
            Kind::TagChanged => "tag_changed",
            Kind::ArgumentsReordered => "arguments_reordered",
            Kind::RequiredChanged => "required_changed",
            Kind::TypeChanged => "type_changed",
            Kind::NullableChanged => "nullable_changed",
            Kind::EnumValuesAdded => "enum_values_added",
            Kind::EnumValuesRemoved => "enum_values_removed",
            Kind::ModelKindChanged => "model_kind_changed",
            Kind::ReturnTypeChanged => "return_type_changed",
            Kind::SuccessStatusChanged => "success_status_changed",
            Kind::ErrorResponseAdded => "error_response_added",
            Kind::ErrorResponseRemoved => "error_response_removed",
            Kind::ErrorResponseChanged => "error_response_changed",
            Kind::ConstraintsChanged => "constraints_changed",
            Kind::DefaultChanged => "default_changed",
            Kind::DeprecatedChanged => "deprecated_changed",
            Kind::DescriptionChanged => "description_changed",
        }
    }
}

/// One classified difference.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub section: Section,
    pub subject: Subject,
    pub severity: Severity,
    /// The part of the subject that changed (`form Ttl`, `field sid`, `response 429`), or empty
    /// for the subject itself.
    pub item: String,
    pub kind: Kind,
    pub old: Option<String>,
    pub new: Option<String>,
    /// The rule's reason, as a Rust caller of the generated crate sees it.
    pub why: &'static str,
    /// The change is in an operation `verify-push` wraps or in a model such an operation reaches.
    pub touches_verify_push: bool,
}

/// How many changes of each severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub breaking: usize,
    pub additive: usize,
    pub cosmetic: usize,
}

impl Counts {
    pub fn of<'c>(changes: impl IntoIterator<Item = &'c Change>) -> Counts {
        let mut counts = Counts::default();
        for change in changes {
            match change.severity {
                Severity::Breaking => counts.breaking += 1,
                Severity::Additive => counts.additive += 1,
                Severity::Cosmetic => counts.cosmetic += 1,
            }
        }
        counts
    }

    /// The most severe change, `None` when there is none.
    pub fn level(self) -> Option<Severity> {
        if self.breaking > 0 {
            Some(Severity::Breaking)
        } else if self.additive > 0 {
            Some(Severity::Additive)
        } else if self.cosmetic > 0 {
            Some(Severity::Cosmetic)
        } else {
            None
        }
    }
}

/// Which part of a version to bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bump {
    Major,
    Minor,
    Patch,
    None,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
            Bump::None => "none",
        }
    }

    /// SemVer for a crate at 1.0 or later: breaking → major, additive → minor, cosmetic → patch.
    pub fn for_level(level: Option<Severity>) -> Bump {
        match level {
            Some(Severity::Breaking) => Bump::Major,
            Some(Severity::Additive) => Bump::Minor,
            Some(Severity::Cosmetic) => Bump::Patch,
            None => Bump::None,
        }
    }

    /// Cargo's rule while the crate is 0.x: `0.x` → `0.(x+1)` is the breaking bump and
    /// `0.x.y` → `0.x.(y+1)` the compatible one, so breaking → minor and the rest → patch.
    pub fn while_zero(self) -> Bump {
        match self {
            Bump::Major => Bump::Minor,
            Bump::Minor | Bump::Patch => Bump::Patch,
            Bump::None => Bump::None,
        }
    }
}

/// The version to release after `current` (`MAJOR.MINOR.PATCH`), applying the 0.x rule when
/// it is 0.x; `None` when `current` is not such a version or nothing changed.
pub fn next_version(current: &str, level: Option<Severity>) -> Option<String> {
    let parts: Vec<u64> = current
        .trim()
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [major, minor, patch] = parts[..] else {
        return None;
    };
    let bump = Bump::for_level(level);
    let bump = if major == 0 { bump.while_zero() } else { bump };
    match bump {
        Bump::Major => Some(format!("{}.0.0", major + 1)),
        Bump::Minor => Some(format!("{major}.{}.0", minor + 1)),
        Bump::Patch => Some(format!("{major}.{minor}.{}", patch + 1)),
        Bump::None => None,
    }
}

/// Every difference between `old` and `new`, classified and sorted by section, subject,
/// severity and item.
pub fn compare(old: &Spec, new: &Spec) -> Vec<Change> {
    let usage = Usage::of(old, new);
    let mut changes = Vec::new();

    let keys: BTreeSet<&OpKey> = old.operations.keys().chain(new.operations.keys()).collect();
    for key in keys {
        match (old.operations.get(key), new.operations.get(key)) {
            (Some(o), None) => {
                let mut out = Out::operation(&mut changes, o, is_wrapped(o));
                // Breaking: the function disappears; every call of it stops compiling.
                out.push(
                    Section::Operations,
                    Severity::Breaking,
                    "",
                    Kind::Removed,
                    None,
                    None,
                    "its function disappears from the crate",
                );
            }
            (None, Some(n)) => {
                let mut out = Out::operation(&mut changes, n, is_wrapped(n));
                // Additive: a new function; nothing existing changes.
                out.push(
                    Section::Operations,
                    Severity::Additive,
                    "",
                    Kind::Added,
                    None,
                    None,
                    "a new function",
                );
            }
            (Some(o), Some(n)) => {
                let mut out = Out::operation(&mut changes, n, is_wrapped(o) || is_wrapped(n));
                compare_operation(&mut out, o, n);
            }
            (None, None) => {}
        }
    }

    let names: BTreeSet<&String> = old.models.keys().chain(new.models.keys()).collect();
    for name in names {
        let used = usage.get(name.as_str()).copied().unwrap_or_default();
        let (o, n) = (old.models.get(name), new.models.get(name));
        let Some(any) = n.or(o) else { continue };
        let mut out = Out::model(&mut changes, name, any, used);
        match (o, n) {
            // Breaking: the type disappears from `verify_v2::models`.
            (Some(_), None) => out.push(
                Section::Models,
                Severity::Breaking,
                "",
                Kind::Removed,
                None,
                None,
                "the type disappears from the crate",
            ),
            // Additive: a new type.
            (None, Some(_)) => out.push(
                Section::Models,
                Severity::Additive,
                "",
                Kind::Added,
                None,
                None,
                "a new type",
            ),
            (Some(o), Some(n)) => compare_model(&mut out, o, n, used.side()),
            (None, None) => {}
        }
    }

    changes.sort_by(|a, b| {
        (a.section, &a.subject, a.severity, &a.item, a.kind)
            .cmp(&(b.section, &b.subject, b.severity, &b.item, b.kind))
    });
    changes
}

/// Which way a property's data flows, which decides how enum and field changes classify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// A function argument.
    Param,
    /// A field of a model only ever sent (an inline JSON request body).
    RequestField,
    /// A field of a model the crate decodes, or of a model no operation uses (the generator
    /// emits it anyway, and callers may decode it): the conservative side.
    ResponseField,
}

/// Where a model is reached from, in either spec.
#[derive(Debug, Clone, Copy, Default)]
struct Used {
    request: bool,
    response: bool,
    wrapped: bool,
}

impl Used {
    fn side(self) -> Side {
        if self.request && !self.response {
            Side::RequestField
        } else {
            Side::ResponseField
        }
    }

    fn label(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => "requests and responses",
            (true, false) => "requests",
            (false, true) => "responses",
            (false, false) => "no operation",
        }
    }
}

struct Usage;

impl Usage {
    /// Follows `$ref`s from every operation through the models, in both specs, so a model is
    /// classified by everything that used it before or uses it now.
    fn of(old: &Spec, new: &Spec) -> BTreeMap<String, Used> {
        let mut usage: BTreeMap<String, Used> = BTreeMap::new();
        for spec in [old, new] {
            for op in spec.operations.values() {
                let wrapped = is_wrapped(op);
                for (roots, is_request) in [(&op.request_refs, true), (&op.response_refs, false)] {
                    for name in reachable(spec, roots) {
                        let used = usage.entry(name).or_default();
                        used.request |= is_request;
                        used.response |= !is_request;
                        used.wrapped |= wrapped;
                    }
                }
            }
        }
        usage
    }
}

/// The models reachable from `roots`; the visited set makes `$ref` cycles harmless.
fn reachable(spec: &Spec, roots: &BTreeSet<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&String> = roots.iter().collect();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(model) = spec.models.get(name) {
            todo.extend(model.refs.iter());
        }
    }
    seen
}

/// Collects the changes of one subject.
struct Out<'c> {
    changes: &'c mut Vec<Change>,
    subject: Subject,
    touches: bool,
}

impl<'c> Out<'c> {
    fn operation(changes: &'c mut Vec<Change>, op: &Operation, touches: bool) -> Out<'c> {
        Out {
            changes,
            subject: Subject::Operation {
                path: op.path.clone(),
                method: op.method.clone(),
                operation_id: op.operation_id.clone(),
            },
            touches,
        }
    }

    fn model(changes: &'c mut Vec<Change>, name: &str, model: &Model, used: Used) -> Out<'c> {
        let usage = match &model.origin {
            Some(origin) => format!("{}; {origin}", used.label()),
            None => used.label().to_string(),
        };
        Out {
            changes,
            subject: Subject::Model {
                name: name.to_string(),
                rust_name: model.rust_name.clone(),
                usage,
            },
            touches: used.wrapped,
        }
    }

    // Every rule spells out all parts of its change at the call, which reads better than a
    // builder here.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        section: Section,
        severity: Severity,
        item: &str,
        kind: Kind,
        old: Option<String>,
        new: Option<String>,
        why: &'static str,
    ) {
        self.changes.push(Change {
            section,
            subject: self.subject.clone(),
            severity,
            item: item.to_string(),
            kind,
            old,
            new,
            why,
            touches_verify_push: self.touches,
        });
    }

    /// Description, summary and other prose: doc comments in the generated crate.
    fn cosmetic_text(&mut self, section: Section, item: &str, old: &str, new: &str) {
        if old != new {
            // Cosmetic: only doc comments change.
            self.push(
                section,
                Severity::Cosmetic,
                item,
                Kind::DescriptionChanged,
                Some(old.to_string()),
                Some(new.to_string()),
                "only documentation changes",
            );
        }
    }
}

fn compare_operation(out: &mut Out<'_>, o: &Operation, n: &Operation) {
    if o.operation_id != n.operation_id {
        // Breaking: the function is named after the operationId.
        out.push(
            Section::Operations,
            Severity::Breaking,
            "",
            Kind::OperationIdChanged,
            Some(o.operation_id.clone()),
            Some(n.operation_id.clone()),
            "the generated function is renamed",
        );
    }
    let module = |tag: &Option<String>| tag.clone().unwrap_or_else(|| "(none: default_api)".into());
    if o.tag != n.tag {
        // Breaking: the first tag names the module the function lives in.
        out.push(
            Section::Operations,
            Severity::Breaking,
            "tag",
            Kind::TagChanged,
            Some(module(&o.tag)),
            Some(module(&n.tag)),
            "the function moves to another `apis::` module",
        );
    }
    if o.deprecated != n.deprecated {
        // Cosmetic: the generator does not mark deprecated operations in Rust.
        out.push(
            Section::Operations,
            Severity::Cosmetic,
            "deprecated",
            Kind::DeprecatedChanged,
            Some(o.deprecated.to_string()),
            Some(n.deprecated.to_string()),
            "not reflected in the generated Rust",
        );
    }
    out.cosmetic_text(Section::Operations, "summary", &o.summary, &n.summary);
    out.cosmetic_text(
        Section::Operations,
        "description",
        &o.description,
        &n.description,
    );
    compare_params(out, o, n);
    compare_responses(out, o, n);
}

fn param_item(location: Location, name: &str) -> String {
    format!("{} {name}", location.as_str())
}

fn compare_params(out: &mut Out<'_>, o: &Operation, n: &Operation) {
    let index = |op: &Operation| -> BTreeMap<(Location, String), usize> {
        op.params
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.location, p.name.clone()), i))
            .collect()
    };
    let (old_index, new_index) = (index(o), index(n));
    for ((location, name), &i) in &old_index {
        if !new_index.contains_key(&(*location, name.clone())) {
            // Breaking: the argument disappears; every call passes one argument too many.
            out.push(
                Section::Parameters,
                Severity::Breaking,
                &param_item(*location, name),
                Kind::Removed,
                Some(describe(&o.params[i].prop)),
                None,
                "an argument disappears from the function",
            );
        }
    }
    for ((location, name), &i) in &new_index {
        if old_index.contains_key(&(*location, name.clone())) {
            continue;
        }
        let prop = &n.params[i].prop;
        let why = if prop.required {
            // Breaking: a new required argument; every call must pass it.
            "a new required argument of the function"
        } else if *location == Location::Body {
            // Breaking: the whole body is one new argument.
            "a new argument of the function"
        } else {
            // Breaking, although optional: the generator passes one positional argument per
            // parameter (useSingleRequestParameter: false), so every call must add `None`.
            "a new positional `Option` argument (one per parameter): every call must add it"
        };
        out.push(
            Section::Parameters,
            Severity::Breaking,
            &param_item(*location, name),
            Kind::Added,
            None,
            Some(describe(prop)),
            why,
        );
    }
    for ((location, name), &i) in &old_index {
        if let Some(&j) = new_index.get(&(*location, name.clone())) {
            compare_property(
                out,
                Section::Parameters,
                &param_item(*location, name),
                &o.params[i].prop,
                &n.params[j].prop,
                Side::Param,
            );
        }
    }
    let common_order = |op: &Operation, other: &BTreeMap<(Location, String), usize>| {
        op.params
            .iter()
            .filter(|p| other.contains_key(&(p.location, p.name.clone())))
            .map(|p| p.name.clone())
            .collect::<Vec<_>>()
    };
    let (old_order, new_order) = (common_order(o, &new_index), common_order(n, &old_index));
    if old_order != new_order {
        // Breaking: arguments are positional; swapped arguments of one type still compile and
        // send the wrong values.
        out.push(
            Section::Parameters,
            Severity::Breaking,
            "argument",
            Kind::ArgumentsReordered,
            Some(old_order.join(", ")),
            Some(new_order.join(", ")),
            "positional arguments move (required ones come first)",
        );
    }
}

fn return_type(op: &Operation) -> Option<&Type> {
    op.return_code
        .as_ref()
        .and_then(|code| op.responses.get(code))
        .and_then(|r| r.ty.as_ref())
}

/// Non-2xx responses with a body: each is a `StatusNNN(model)` variant of the operation's
/// error enum.
fn error_responses(op: &Operation) -> BTreeMap<&str, &Type> {
    op.responses
        .iter()
        .filter(|(code, _)| !code.starts_with('2'))
        .filter_map(|(code, r)| r.ty.as_ref().map(|ty| (code.as_str(), ty)))
        .collect()
}

fn show_type(ty: Option<&Type>) -> String {
    match ty {
        Some(ty) => format!("{} [{}]", ty.spec, ty.rust),
        None => "no body [()]".into(),
    }
}

fn compare_responses(out: &mut Out<'_>, o: &Operation, n: &Operation) {
    let (old_return, new_return) = (return_type(o), return_type(n));
    if old_return.map(|t| &t.rust) != new_return.map(|t| &t.rust) {
        // Breaking: the function returns another type.
        out.push(
            Section::Responses,
            Severity::Breaking,
            "return type",
            Kind::ReturnTypeChanged,
            Some(show_type(old_return)),
            Some(show_type(new_return)),
            "the function's return type changes",
        );
    } else if old_return.map(|t| &t.spec) != new_return.map(|t| &t.spec) {
        // Cosmetic: the spec spells it differently, the Rust type is the same.
        out.push(
            Section::Responses,
            Severity::Cosmetic,
            "return type",
            Kind::ReturnTypeChanged,
            Some(show_type(old_return)),
            Some(show_type(new_return)),
            "the Rust return type stays the same",
        );
    } else if o.return_code != n.return_code {
        // Cosmetic: the generated code decodes any 2xx body into the return type.
        out.push(
            Section::Responses,
            Severity::Cosmetic,
            "success status",
            Kind::SuccessStatusChanged,
            o.return_code.clone(),
            n.return_code.clone(),
            "any 2xx body decodes into the same return type",
        );
    }

    let (old_errors, new_errors) = (error_responses(o), error_responses(n));
    for (code, ty) in &old_errors {
        match new_errors.get(code) {
            // Breaking: a variant of the public error enum disappears.
            None => out.push(
                Section::Responses,
                Severity::Breaking,
                &format!("response {code}"),
                Kind::ErrorResponseRemoved,
                Some(show_type(Some(ty))),
                None,
                "a `StatusNNN` variant of the error enum disappears",
            ),
            // Breaking: the variant carries another type.
            Some(new_ty) if new_ty.rust != ty.rust => out.push(
                Section::Responses,
                Severity::Breaking,
                &format!("response {code}"),
                Kind::ErrorResponseChanged,
                Some(show_type(Some(ty))),
                Some(show_type(Some(new_ty))),
                "a `StatusNNN` variant of the error enum carries another type",
            ),
            Some(_) => {}
        }
    }
    for (code, ty) in &new_errors {
        if !old_errors.contains_key(code) {
            // Breaking: the error enum is exhaustive, so a new variant breaks `match`es on it.
            out.push(
                Section::Responses,
                Severity::Breaking,
                &format!("response {code}"),
                Kind::ErrorResponseAdded,
                None,
                Some(show_type(Some(ty))),
                "a new `StatusNNN` variant of the (exhaustive) error enum",
            );
        }
    }
}

/// `required string(uri), nullable`: a parameter's or field's shape, for the report.
pub fn describe(prop: &Property) -> String {
    let mut text = format!(
        "{} {}",
        if prop.required {
            "required"
        } else {
            "optional"
        },
        prop.ty.spec
    );
    if prop.nullable {
        text.push_str(", nullable");
    }
    text
}

fn compare_property(
    out: &mut Out<'_>,
    section: Section,
    item: &str,
    o: &Property,
    n: &Property,
    side: Side,
) {
    if o.required != n.required {
        let why = match side {
            // Breaking: the argument flips between `T` and `Option<T>` (and may move, since
            // required arguments come first).
            Side::Param => "the argument changes between `T` and `Option<T>`",
            // Breaking: the field flips between `T` and `Option<T>`, and `new()` takes the
            // required fields.
            Side::RequestField => "the field changes between `T` and `Option<T>`; `new()` changes",
            // Breaking: the field flips between `T` and `Option<T>`.
            Side::ResponseField => "the field changes between `T` and `Option<T>`",
        };
        out.push(
            section,
            Severity::Breaking,
            item,
            Kind::RequiredChanged,
            Some(describe(o)),
            Some(describe(n)),
            why,
        );
    }
    if o.ty.rust != n.ty.rust {
        // Breaking: another Rust type.
        out.push(
            section,
            Severity::Breaking,
            item,
            Kind::TypeChanged,
            Some(show_type(Some(&o.ty))),
            Some(show_type(Some(&n.ty))),
            "the Rust type changes",
        );
    } else if o.ty.spec != n.ty.spec {
        // Cosmetic: e.g. a new `format: uri`; the generator maps both to the same Rust type.
        out.push(
            section,
            Severity::Cosmetic,
            item,
            Kind::TypeChanged,
            Some(show_type(Some(&o.ty))),
            Some(show_type(Some(&n.ty))),
            "the Rust type stays the same",
        );
    }
    if o.nullable != n.nullable {
        let (severity, why) = match side {
            // Cosmetic: an argument's Rust type depends only on `required`.
            Side::Param => (
                Severity::Cosmetic,
                "argument types do not depend on `nullable`",
            ),
            // Breaking: a nullable field is `Option<Option<T>>` (or `Option<T>` when required),
            // a non-nullable one `Option<T>` (or `T`).
            Side::RequestField | Side::ResponseField => (
                Severity::Breaking,
                "the field changes between `Option<Option<T>>` and `Option<T>`",
            ),
        };
        out.push(
            section,
            severity,
            item,
            Kind::NullableChanged,
            Some(o.nullable.to_string()),
            Some(n.nullable.to_string()),
            why,
        );
    }
    // Only when both sides are inline enums: a switch to or from an enum is a type change.
    if let (Some(old_values), Some(new_values)) = (&o.enum_values, &n.enum_values) {
        let (added, removed) = value_changes(old_values, new_values);
        if !added.is_empty() {
            let (severity, why) = match side {
                // Additive: an inline enum argument is a plain string; Twilio accepts more.
                Side::Param => (
                    Severity::Additive,
                    "the argument is a plain string; one more accepted value",
                ),
                // Additive: a new variant callers may send (an exhaustive `match` on a
                // request enum needs an arm, which is rare).
                Side::RequestField => (
                    Severity::Additive,
                    "a new variant callers may send (exhaustive matches need an arm)",
                ),
                // Breaking: the nested enum gains a variant (the template patch makes every
                // enum open: old crates decode the new value as `Unknown(String)`, new ones as
                // the variant, so matches on `Unknown` change meaning), and exhaustive matches
                // break.
                Side::ResponseField => (
                    Severity::Breaking,
                    "a new variant: a value old crates kept as `Unknown` now decodes to it, and exhaustive matches need an arm",
                ),
            };
            out.push(
                section,
                severity,
                item,
                Kind::EnumValuesAdded,
                None,
                Some(added.join(", ")),
                why,
            );
        }
        if !removed.is_empty() {
            // Breaking: callers sending or matching the value break (a removed variant, or a
            // value Twilio now rejects).
            out.push(
                section,
                Severity::Breaking,
                item,
                Kind::EnumValuesRemoved,
                Some(removed.join(", ")),
                None,
                "a value callers may use is gone",
            );
        }
    }
    if o.constraints != n.constraints {
        // Cosmetic for the crate: no Rust type encodes a pattern or a length. Twilio may now
        // reject (or accept) other input, so check the input checks verify-push does.
        let (old_text, new_text) = constraint_changes(&o.constraints, &n.constraints);
        out.push(
            section,
            Severity::Cosmetic,
            item,
            Kind::ConstraintsChanged,
            Some(old_text),
            Some(new_text),
            "not encoded in Rust types; check verify-push's input checks",
        );
    }
    if o.default != n.default {
        // Cosmetic: the generated crate does not apply spec defaults.
        out.push(
            section,
            Severity::Cosmetic,
            item,
            Kind::DefaultChanged,
            o.default.clone(),
            n.default.clone(),
            "the generated crate does not apply defaults",
        );
    }
    if o.deprecated != n.deprecated {
        // Cosmetic: the generator does not mark deprecated parameters or fields.
        out.push(
            section,
            Severity::Cosmetic,
            item,
            Kind::DeprecatedChanged,
            Some(o.deprecated.to_string()),
            Some(n.deprecated.to_string()),
            "not reflected in the generated Rust",
        );
    }
    out.cosmetic_text(section, item, &o.description, &n.description);
}

/// Values only in `new`, values only in `old`, each in its spec's order.
fn value_changes(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let added = new.iter().filter(|v| !old.contains(v)).cloned().collect();
    let removed = old.iter().filter(|v| !new.contains(v)).cloned().collect();
    (added, removed)
}

/// The constraints that differ, as `key=value` lists (`-` where absent).
fn constraint_changes(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> (String, String) {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let (mut old_parts, mut new_parts) = (Vec::new(), Vec::new());
    for key in keys {
        let (a, b) = (old.get(key), new.get(key));
        if a != b {
            old_parts.push(format!("{key}={}", a.map_or("-", String::as_str)));
            new_parts.push(format!("{key}={}", b.map_or("-", String::as_str)));
        }
    }
    (old_parts.join(", "), new_parts.join(", "))
}

fn kind_name(kind: &ModelKind) -> String {
    match kind {
        ModelKind::Object(_) => "struct".into(),
        ModelKind::Enum(_) => "enum".into(),
        ModelKind::Other(ty) => format!("{} [{}]", ty.spec, ty.rust),
    }
}

fn compare_model(out: &mut Out<'_>, o: &Model, n: &Model, side: Side) {
    out.cosmetic_text(Section::Models, "", &o.description, &n.description);
    match (&o.kind, &n.kind) {
        (ModelKind::Object(old_fields), ModelKind::Object(new_fields)) => {
            for (name, prop) in old_fields {
                let item = format!("field {name}");
                match new_fields.get(name) {
                    // Breaking: the struct loses a public field.
                    None => out.push(
                        Section::Models,
                        Severity::Breaking,
                        &item,
                        Kind::Removed,
                        Some(describe(prop)),
                        None,
                        "the struct loses a field",
                    ),
                    Some(new_prop) => {
                        compare_property(out, Section::Models, &item, prop, new_prop, side)
                    }
                }
            }
            for (name, prop) in new_fields {
                if old_fields.contains_key(name) {
                    continue;
                }
                let (severity, why) = match side {
                    // Breaking: `new()` takes required fields, so it gains an argument.
                    Side::RequestField if prop.required => (
                        Severity::Breaking,
                        "a new required field: `new()` gains an argument",
                    ),
                    // Additive: a new field. Callers read response models; old crates ignore
                    // unknown JSON fields. (A struct literal without `..Default::default()`
                    // would need it: the models are built by the crate, not by callers.)
                    _ => (Severity::Additive, "a new field; old crates ignore it"),
                };
                out.push(
                    Section::Models,
                    severity,
                    &format!("field {name}"),
                    Kind::Added,
                    None,
                    Some(describe(prop)),
                    why,
                );
            }
        }
        (ModelKind::Enum(old_values), ModelKind::Enum(new_values)) => {
            let (added, removed) = value_changes(old_values, new_values);
            if !added.is_empty() {
                let (severity, why) = match side {
                    // Additive: only sent, never decoded; a new variant callers may use.
                    Side::RequestField | Side::Param => (
                        Severity::Additive,
                        "a new variant callers may send (exhaustive matches need an arm)",
                    ),
                    // Breaking: the Rust enum gains a variant; old crates decode the new value
                    // as `Unknown(String)` (template patch), new ones as the variant, and
                    // exhaustive matches need a new arm.
                    Side::ResponseField => (
                        Severity::Breaking,
                        "a new variant: a value old crates kept as `Unknown` now decodes to it, and exhaustive matches need an arm",
                    ),
                };
                out.push(
                    Section::Models,
                    severity,
                    "",
                    Kind::EnumValuesAdded,
                    None,
                    Some(added.join(", ")),
                    why,
                );
            }
            if !removed.is_empty() {
                // Breaking: a variant disappears.
                out.push(
                    Section::Models,
                    Severity::Breaking,
                    "",
                    Kind::EnumValuesRemoved,
                    Some(removed.join(", ")),
                    None,
                    "an enum variant disappears",
                );
            }
        }
        (ModelKind::Other(old_ty), ModelKind::Other(new_ty)) => {
            if old_ty.rust != new_ty.rust {
                // Breaking: another Rust type.
                out.push(
                    Section::Models,
                    Severity::Breaking,
                    "",
                    Kind::TypeChanged,
                    Some(show_type(Some(old_ty))),
                    Some(show_type(Some(new_ty))),
                    "the Rust type changes",
                );
            } else if old_ty.spec != new_ty.spec {
                // Cosmetic: the same Rust type.
                out.push(
                    Section::Models,
                    Severity::Cosmetic,
                    "",
                    Kind::TypeChanged,
                    Some(show_type(Some(old_ty))),
                    Some(show_type(Some(new_ty))),
                    "the Rust type stays the same",
                );
            }
        }
        // Breaking: a struct becomes an enum, or the reverse.
        (old_kind, new_kind) => out.push(
            Section::Models,
            Severity::Breaking,
            "",
            Kind::ModelKindChanged,
            Some(kind_name(old_kind)),
            Some(kind_name(new_kind)),
            "the type becomes another kind of type",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_model;
    use serde_json::{Value, json};

    const TOKENS: &str = "/v2/Services/{ServiceSid}/AccessTokens";
    const SERVICES: &str = "/v2/Services";
    const FORM: &str = "application/x-www-form-urlencoded";

    /// A small spec shaped like Twilio's: a wrapped operation with a form body and a response
    /// model, and an unrelated one with query parameters, a request-only enum and a list body.
    fn base() -> Value {
        json!({
            "openapi": "3.0.1",
            "paths": {
                TOKENS: {"post": {
                    "operationId": "CreateAccessToken",
                    "tags": ["VerifyV2AccessToken"],
                    "summary": "Create a token",
                    "parameters": [{"name": "ServiceSid", "in": "path", "required": true,
                        "schema": {"type": "string", "minLength": 34, "maxLength": 34}}],
                    "requestBody": {"content": {FORM: {"schema": {
                        "type": "object",
                        "properties": {
                            "Identity": {"type": "string", "description": "Who"},
                            "FactorType": {"$ref": "#/components/schemas/access_token_enum_factor_types"},
                            "Ttl": {"type": "integer"}
                        },
                        "required": ["Identity", "FactorType"]
                    }}}},
                    "responses": {
                        "201": {"content": {"application/json": {"schema":
                            {"$ref": "#/components/schemas/verify.v2.service.access_token"}}}}
                    }
                }},
                SERVICES: {"get": {
                    "operationId": "ListService",
                    "tags": ["VerifyV2Service"],
                    "parameters": [
                        {"name": "PageSize", "in": "query", "schema": {"type": "integer", "format": "int64"}},
                        {"name": "Channel", "in": "query", "schema": {"$ref": "#/components/schemas/service_enum_channel"}},
                        {"name": "Order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}}
                    ],
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {
                            "type": "object",
                            "title": "ListServiceResponse",
                            "properties": {
                                "services": {"type": "array", "items": {"$ref": "#/components/schemas/verify.v2.service"}},
                                "meta": {"type": "object", "properties": {
                                    "page_size": {"type": "integer"},
                                    "next_page_url": {"type": "string", "format": "uri", "nullable": true}
                                }}
                            }
                        }}}}
                    }
                }}
            },
            "components": {"schemas": {
                "access_token_enum_factor_types": {"type": "string", "enum": ["push"]},
                "service_enum_channel": {"type": "string", "enum": ["sms", "call"]},
                "verify.v2.service.access_token": {"type": "object", "properties": {
                    "sid": {"type": "string", "nullable": true, "description": "The SID"},
                    "factor_type": {"$ref": "#/components/schemas/access_token_enum_factor_types"},
                    "ttl": {"type": "integer"}
                }},
                "verify.v2.service": {"type": "object", "properties": {
                    "friendly_name": {"type": "string", "nullable": true},
                    "status": {"type": "string", "enum": ["active", "inactive"], "nullable": true}
                }}
            }}
        })
    }

    fn changed(edit: impl FnOnce(&mut Value)) -> Vec<Change> {
        let old = base();
        let mut new = base();
        edit(&mut new);
        compare(
            &spec_model::from_value(&old).unwrap(),
            &spec_model::from_value(&new).unwrap(),
        )
    }

    /// The one change of `kind` on `item`; fails when there is none or more than one.
    fn one<'c>(changes: &'c [Change], kind: Kind, item: &str) -> &'c Change {
        let found: Vec<&Change> = changes
            .iter()
            .filter(|c| c.kind == kind && c.item == item)
            .collect();
        assert_eq!(found.len(), 1, "{kind:?} {item:?} in {changes:#?}");
        found[0]
    }

    fn tokens(v: &mut Value) -> &mut Value {
        &mut v["paths"][TOKENS]["post"]
    }

    fn form_fields(v: &mut Value) -> &mut Value {
        &mut tokens(v)["requestBody"]["content"][FORM]["schema"]
    }

    fn services(v: &mut Value) -> &mut Value {
        &mut v["paths"][SERVICES]["get"]
    }

    fn schema<'v>(v: &'v mut Value, name: &str) -> &'v mut Value {
        &mut v["components"]["schemas"][name]
    }

    #[test]
    fn identical_specs_have_no_changes() {
        assert_eq!(changed(|_| {}), vec![]);
    }

    #[test]
    fn operation_added_is_additive() {
        let changes = changed(|v| {
            v["paths"]["/v2/Forms"] = json!({"get": {"operationId": "FetchForm"}});
        });
        let c = one(&changes, Kind::Added, "");
        assert_eq!(
            (c.section, c.severity),
            (Section::Operations, Severity::Additive)
        );
        assert!(
            matches!(&c.subject, Subject::Operation { operation_id, .. } if operation_id == "FetchForm")
        );
    }

    #[test]
    fn operation_removed_is_breaking_and_touches_verify_push_when_wrapped() {
        let changes = changed(|v| {
            v["paths"].as_object_mut().unwrap().remove(TOKENS);
        });
        let c = changes
            .iter()
            .find(|c| c.section == Section::Operations && c.kind == Kind::Removed)
            .unwrap();
        assert_eq!(c.severity, Severity::Breaking);
        assert!(c.touches_verify_push);
    }

    #[test]
    fn operation_id_and_tag_changes_are_breaking() {
        let changes = changed(|v| {
            services(v)["operationId"] = json!("ListServices");
            services(v)["tags"] = json!(["VerifyV2Services"]);
        });
        assert_eq!(
            one(&changes, Kind::OperationIdChanged, "").severity,
            Severity::Breaking
        );
        let tag = one(&changes, Kind::TagChanged, "tag");
        assert_eq!(tag.severity, Severity::Breaking);
        assert_eq!(tag.new.as_deref(), Some("VerifyV2Services"));
    }

    #[test]
    fn new_required_parameter_is_breaking() {
        let changes = changed(|v| {
            form_fields(v)["properties"]["Locale"] = json!({"type": "string"});
            form_fields(v)["required"] = json!(["Identity", "FactorType", "Locale"]);
        });
        let c = one(&changes, Kind::Added, "form Locale");
        assert_eq!(
            (c.section, c.severity),
            (Section::Parameters, Severity::Breaking)
        );
        assert!(c.why.contains("required"), "{}", c.why);
        assert_eq!(c.new.as_deref(), Some("required string"));
        assert!(c.touches_verify_push);
    }

    #[test]
    fn new_optional_parameter_is_breaking_because_arguments_are_positional() {
        let changes = changed(|v| {
            services(v)["parameters"]
                .as_array_mut()
                .unwrap()
                .push(json!({"name": "PageToken", "in": "query", "schema": {"type": "string"}}));
        });
        let c = one(&changes, Kind::Added, "query PageToken");
        assert_eq!(c.severity, Severity::Breaking);
        assert!(c.why.contains("positional"), "{}", c.why);
        assert!(!c.touches_verify_push);
    }

    #[test]
    fn removed_parameter_is_breaking() {
        let changes = changed(|v| {
            form_fields(v)["properties"]
                .as_object_mut()
                .unwrap()
                .remove("Ttl");
        });
        let c = one(&changes, Kind::Removed, "form Ttl");
        assert_eq!(c.severity, Severity::Breaking);
        assert_eq!(c.old.as_deref(), Some("optional integer"));
    }

    #[test]
    fn required_ness_change_is_breaking() {
        let changes = changed(|v| form_fields(v)["required"] = json!(["FactorType"]));
        let c = one(&changes, Kind::RequiredChanged, "form Identity");
        assert_eq!(c.severity, Severity::Breaking);
        assert_eq!(c.old.as_deref(), Some("required string"));
        assert_eq!(c.new.as_deref(), Some("optional string"));
    }

    #[test]
    fn type_change_is_breaking_only_when_the_rust_type_changes() {
        let changes = changed(|v| {
            form_fields(v)["properties"]["Ttl"] = json!({"type": "string"});
            form_fields(v)["properties"]["Identity"] =
                json!({"type": "string", "format": "uri", "description": "Who"});
            services(v)["parameters"][0]["schema"] = json!({"type": "integer"});
        });
        assert_eq!(
            one(&changes, Kind::TypeChanged, "form Ttl").severity,
            Severity::Breaking
        );
        // int64 → int32 is i64 → i32.
        assert_eq!(
            one(&changes, Kind::TypeChanged, "query PageSize").severity,
            Severity::Breaking
        );
        // A format the generator maps to String anyway.
        let uri = one(&changes, Kind::TypeChanged, "form Identity");
        assert_eq!(uri.severity, Severity::Cosmetic);
        assert_eq!(uri.new.as_deref(), Some("string(uri) [String]"));
    }

    #[test]
    fn enum_values_of_an_inline_request_enum() {
        let changes = changed(|v| {
            services(v)["parameters"][2]["schema"]["enum"] = json!(["asc", "random"]);
        });
        let added = one(&changes, Kind::EnumValuesAdded, "query Order");
        assert_eq!(added.severity, Severity::Additive);
        assert_eq!(added.new.as_deref(), Some("random"));
        let removed = one(&changes, Kind::EnumValuesRemoved, "query Order");
        assert_eq!(removed.severity, Severity::Breaking);
        assert_eq!(removed.old.as_deref(), Some("desc"));
    }

    #[test]
    fn enum_values_of_a_request_only_enum_model() {
        let changes =
            changed(|v| schema(v, "service_enum_channel")["enum"] = json!(["sms", "whatsapp"]));
        let added = one(&changes, Kind::EnumValuesAdded, "");
        assert_eq!(
            (added.section, added.severity),
            (Section::Models, Severity::Additive)
        );
        assert!(matches!(&added.subject, Subject::Model { usage, .. } if usage == "requests"));
        assert_eq!(
            one(&changes, Kind::EnumValuesRemoved, "").severity,
            Severity::Breaking
        );
    }

    #[test]
    fn new_value_of_a_response_enum_is_breaking() {
        // Used by the response model too, so the enum is decoded.
        let changes = changed(|v| {
            schema(v, "access_token_enum_factor_types")["enum"] = json!(["push", "totp"])
        });
        let c = one(&changes, Kind::EnumValuesAdded, "");
        assert_eq!(c.severity, Severity::Breaking);
        assert!(c.why.contains("decode"), "{}", c.why);
        assert!(c.touches_verify_push);
        // An inline enum of a response field: a nested enum.
        let changes = changed(|v| {
            schema(v, "verify.v2.service")["properties"]["status"]["enum"] =
                json!(["active", "inactive", "paused"]);
        });
        assert_eq!(
            one(&changes, Kind::EnumValuesAdded, "field status").severity,
            Severity::Breaking
        );
    }

    #[test]
    fn constraint_change_is_cosmetic_and_names_the_constraint() {
        let changes = changed(|v| {
            tokens(v)["parameters"][0]["schema"]["maxLength"] = json!(64);
            tokens(v)["parameters"][0]["schema"]["pattern"] = json!("^VA");
        });
        let c = one(&changes, Kind::ConstraintsChanged, "path ServiceSid");
        assert_eq!(c.severity, Severity::Cosmetic);
        assert_eq!(c.old.as_deref(), Some("maxLength=34, pattern=-"));
        assert_eq!(c.new.as_deref(), Some("maxLength=64, pattern=^VA"));
        assert!(c.why.contains("verify-push"));
        assert!(c.touches_verify_push);
    }

    #[test]
    fn response_field_changes() {
        let changes = changed(|v| {
            let fields = &mut schema(v, "verify.v2.service.access_token")["properties"];
            fields["token"] = json!({"type": "string", "nullable": true});
            fields.as_object_mut().unwrap().remove("sid");
            fields["ttl"] = json!({"type": "string"});
            fields["factor_type"] =
                json!({"$ref": "#/components/schemas/access_token_enum_factor_types"});
            schema(v, "verify.v2.service")["properties"]["friendly_name"] =
                json!({"type": "string"});
            schema(v, "verify.v2.service")["required"] = json!(["status"]);
        });
        let added = one(&changes, Kind::Added, "field token");
        assert_eq!(
            (added.section, added.severity),
            (Section::Models, Severity::Additive)
        );
        assert!(added.touches_verify_push);
        assert_eq!(
            one(&changes, Kind::Removed, "field sid").severity,
            Severity::Breaking
        );
        assert_eq!(
            one(&changes, Kind::TypeChanged, "field ttl").severity,
            Severity::Breaking
        );
        let nullable = one(&changes, Kind::NullableChanged, "field friendly_name");
        assert_eq!(nullable.severity, Severity::Breaking);
        assert!(!nullable.touches_verify_push);
        assert_eq!(
            one(&changes, Kind::RequiredChanged, "field status").severity,
            Severity::Breaking
        );
    }

    #[test]
    fn nested_inline_response_fields_are_compared_by_dotted_name() {
        let changes = changed(|v| {
            services(v)["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
                ["meta"]["properties"]["next_page_url"]["nullable"] = json!(false);
        });
        let c = one(&changes, Kind::NullableChanged, "field meta.next_page_url");
        assert_eq!(c.severity, Severity::Breaking);
        assert!(matches!(&c.subject, Subject::Model { name, .. } if name == "ListServiceResponse"));
    }

    #[test]
    fn sibling_keywords_of_a_ref_are_ignored_like_the_generator_does() {
        let changes = changed(|v| {
            schema(v, "verify.v2.service.access_token")["properties"]["factor_type"] = json!({
                "$ref": "#/components/schemas/access_token_enum_factor_types",
                "type": "string",
                "nullable": true,
                "description": "The type"
            });
        });
        assert_eq!(changes.len(), 1, "{changes:#?}");
        assert_eq!(
            one(&changes, Kind::DescriptionChanged, "field factor_type").severity,
            Severity::Cosmetic
        );
    }

    #[test]
    fn parameter_nullability_is_cosmetic() {
        let changes = changed(|v| form_fields(v)["properties"]["Ttl"]["nullable"] = json!(true));
        assert_eq!(
            one(&changes, Kind::NullableChanged, "form Ttl").severity,
            Severity::Cosmetic
        );
    }

    #[test]
    fn description_only_changes_are_cosmetic() {
        let changes = changed(|v| {
            tokens(v)["summary"] = json!("Create an access token");
            form_fields(v)["properties"]["Identity"]["description"] = json!("The entity");
            schema(v, "verify.v2.service.access_token")["properties"]["sid"]["description"] =
                json!("SID");
            schema(v, "service_enum_channel")["description"] = json!("Channels");
        });
        assert_eq!(changes.len(), 4, "{changes:#?}");
        assert!(
            changes
                .iter()
                .all(|c| c.severity == Severity::Cosmetic && c.kind == Kind::DescriptionChanged)
        );
        assert_eq!(
            one(&changes, Kind::DescriptionChanged, "summary")
                .new
                .as_deref(),
            Some("Create an access token")
        );
    }

    #[test]
    fn reordered_arguments_are_breaking() {
        // Moving Identity after FactorType swaps two required positional arguments.
        let changes = changed(|v| {
            let fields = form_fields(v)["properties"].as_object_mut().unwrap();
            let identity = fields.shift_remove("Identity").unwrap();
            fields.insert("Identity".into(), identity);
        });
        let c = one(&changes, Kind::ArgumentsReordered, "argument");
        assert_eq!(c.severity, Severity::Breaking);
        assert_eq!(
            c.old.as_deref(),
            Some("ServiceSid, Identity, FactorType, Ttl")
        );
        assert_eq!(
            c.new.as_deref(),
            Some("ServiceSid, FactorType, Identity, Ttl")
        );
    }

    #[test]
    fn return_type_and_error_responses() {
        let changes = changed(|v| {
            tokens(v)["responses"]["201"]["content"]["application/json"]["schema"] =
                json!({"$ref": "#/components/schemas/verify.v2.service"});
            tokens(v)["responses"]["429"] = json!({"content": {"application/json": {"schema": {"type": "object", "properties": {"code": {"type": "integer"}}}}}});
            services(v)["responses"]["201"] = services(v)["responses"]["200"].take();
            services(v)["responses"]
                .as_object_mut()
                .unwrap()
                .shift_remove("200");
        });
        let ret = one(&changes, Kind::ReturnTypeChanged, "return type");
        assert_eq!(ret.severity, Severity::Breaking);
        assert_eq!(
            ret.new.as_deref(),
            Some("verify.v2.service [models::VerifyV2Service]")
        );
        assert_eq!(
            one(&changes, Kind::ErrorResponseAdded, "response 429").severity,
            Severity::Breaking
        );
        // The same body under another 2xx status (titled, so the model keeps its name).
        assert_eq!(
            one(&changes, Kind::SuccessStatusChanged, "success status").severity,
            Severity::Cosmetic
        );
    }

    #[test]
    fn json_request_body_fields_are_request_model_fields() {
        let body = |required: Value| {
            json!({"required": true, "content": {"application/json": {"schema": {
                "type": "object", "title": "CreatePasskeysRequest",
                "properties": {"identity": {"type": "string"}, "friendly_name": {"type": "string"}},
                "required": required
            }}}})
        };
        let old_body = body(json!(["identity"]));
        let new_body = |extra: &str, required: Value| {
            let mut b = body(required);
            b["content"]["application/json"]["schema"]["properties"][extra] =
                json!({"type": "string"});
            b
        };
        let with_body = |b: Value| {
            let mut v = base();
            v["paths"]["/v2/Passkeys"] =
                json!({"post": {"operationId": "CreatePasskeys", "requestBody": b}});
            spec_model::from_value(&v).unwrap()
        };
        let optional = compare(
            &with_body(old_body.clone()),
            &with_body(new_body("rp", json!(["identity"]))),
        );
        let c = one(&optional, Kind::Added, "field rp");
        assert_eq!(c.severity, Severity::Additive);
        assert!(
            matches!(&c.subject, Subject::Model { name, usage, .. } if name == "CreatePasskeysRequest" && usage.starts_with("requests"))
        );
        let required = compare(
            &with_body(old_body),
            &with_body(new_body("rp", json!(["identity", "rp"]))),
        );
        assert_eq!(
            one(&required, Kind::Added, "field rp").severity,
            Severity::Breaking
        );
    }

    #[test]
    fn models_added_removed_and_changing_kind() {
        let changes = changed(|v| {
            let schemas = v["components"]["schemas"].as_object_mut().unwrap();
            schemas.insert(
                "verify.v2.form".into(),
                json!({"type": "object", "properties": {}}),
            );
            schemas.insert(
                "service_enum_channel".into(),
                json!({"type": "object", "properties": {"x": {"type": "string"}}}),
            );
            v["paths"][SERVICES]["get"]["parameters"][1]["schema"] = json!({"type": "string"});
        });
        let added = changes
            .iter()
            .find(|c| {
                c.kind == Kind::Added
                    && matches!(&c.subject, Subject::Model { name, .. } if name == "verify.v2.form")
            })
            .unwrap();
        assert_eq!(added.severity, Severity::Additive);
        assert_eq!(
            one(&changes, Kind::ModelKindChanged, "").severity,
            Severity::Breaking
        );
        let removed = changed(|v| {
            v["components"]["schemas"]
                .as_object_mut()
                .unwrap()
                .shift_remove("service_enum_channel");
            v["paths"][SERVICES]["get"]["parameters"][1]["schema"] = json!({"type": "string"});
        });
        let c = removed
            .iter()
            .find(|c| c.section == Section::Models && c.kind == Kind::Removed)
            .unwrap();
        assert_eq!(c.severity, Severity::Breaking);
    }

    #[test]
    fn models_reached_through_other_models_touch_verify_push() {
        let changes = changed(|v| {
            schema(v, "verify.v2.service.access_token")["properties"]["links"] =
                json!({"$ref": "#/components/schemas/links"});
            v["components"]["schemas"]["links"] = json!({"type": "object", "properties": {
                "self": {"$ref": "#/components/schemas/links"}
            }});
        });
        let links = changes
            .iter()
            .find(|c| matches!(&c.subject, Subject::Model { name, .. } if name == "links"))
            .unwrap();
        assert!(links.touches_verify_push, "{links:?}");
        let unrelated = changed(|v| schema(v, "verify.v2.service")["description"] = json!("x"));
        assert!(unrelated.iter().all(|c| !c.touches_verify_push));
    }

    #[test]
    fn the_vendored_spec_has_both_wrapped_operations_and_their_models() {
        let bytes = std::fs::read(crate::workspace::spec_path()).unwrap();
        let spec = spec_model::parse(&bytes).unwrap();
        let wrapped: Vec<&str> = spec
            .operations
            .values()
            .filter(|op| is_wrapped(op))
            .map(|op| op.operation_id.as_str())
            .collect();
        assert_eq!(wrapped, vec!["CreateAccessToken", "FetchAccessToken"]);
        let usage = Usage::of(&spec, &spec);
        for model in [
            "verify.v2.service.access_token",
            "access_token_enum_factor_types",
        ] {
            assert!(usage[model].wrapped, "{model}");
        }
        assert!(!usage["verify.v2.service"].wrapped);
    }

    #[test]
    fn changes_sort_by_section_then_subject_then_severity() {
        let changes = changed(|v| {
            form_fields(v)["properties"]["Identity"]["description"] = json!("new");
            form_fields(v)["properties"]
                .as_object_mut()
                .unwrap()
                .shift_remove("Ttl");
            v["paths"]["/v2/Forms"] = json!({"get": {"operationId": "FetchForm"}});
        });
        let order: Vec<(Section, Severity)> =
            changes.iter().map(|c| (c.section, c.severity)).collect();
        assert_eq!(
            order,
            vec![
                (Section::Operations, Severity::Additive),
                (Section::Parameters, Severity::Breaking),
                (Section::Parameters, Severity::Cosmetic),
            ]
        );
    }

    #[test]
    fn verdict_and_next_version() {
        let changes = changed(|v| {
            form_fields(v)["properties"]["Identity"]["description"] = json!("new");
        });
        let counts = Counts::of(&changes);
        assert_eq!(
            (counts.breaking, counts.additive, counts.cosmetic),
            (0, 0, 1)
        );
        assert_eq!(counts.level(), Some(Severity::Cosmetic));
        assert_eq!(Counts::default().level(), None);

        assert_eq!(
            next_version("0.1.0", Some(Severity::Breaking)).as_deref(),
            Some("0.2.0")
        );
        assert_eq!(
            next_version("0.1.0", Some(Severity::Additive)).as_deref(),
            Some("0.1.1")
        );
        assert_eq!(
            next_version("0.1.3", Some(Severity::Cosmetic)).as_deref(),
            Some("0.1.4")
        );
        assert_eq!(
            next_version("1.4.2", Some(Severity::Breaking)).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(
            next_version("1.4.2", Some(Severity::Additive)).as_deref(),
            Some("1.5.0")
        );
        assert_eq!(next_version("1.4.2", None), None);
        assert_eq!(next_version("1.4", Some(Severity::Breaking)), None);
        assert_eq!(Bump::Major.while_zero(), Bump::Minor);
    }
}
