//! Compares two generated public Rust APIs and classifies each difference by Cargo's SemVer
//! rules (<https://doc.rust-lang.org/cargo/reference/semver.html>): *breaking* (code that
//! compiled may stop compiling or behave differently), *additive* (new items or new behaviour
//! existing callers do not see), *cosmetic* (doc comments only). The verdict and the next
//! version come from here, never from the spec.

use std::collections::{BTreeMap, BTreeSet};

use crate::rust_api::{Api, Function, TypeDef};

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

/// What changed: an `apis` module, a function (`module::function`) or a type (its path).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    Module(String),
    Function(String),
    Type(String),
}

impl Subject {
    pub fn kind(&self) -> &'static str {
        match self {
            Subject::Module(_) => "module",
            Subject::Function(_) => "function",
            Subject::Type(_) => "type",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Subject::Module(n) | Subject::Function(n) | Subject::Type(n) => n,
        }
    }
}

/// One difference in the public Rust API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub subject: Subject,
    pub severity: Severity,
    /// `added`, `removed`, `moved`, `arguments`, `returns`, `endpoint`, `auth`, `field_added`, …
    pub kind: &'static str,
    /// The part of the subject: `argument ttl`, `field sid`, `variant Push`; empty for all of it.
    pub item: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub why: &'static str,
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

struct Out {
    changes: Vec<Change>,
}

impl Out {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        subject: &Subject,
        severity: Severity,
        kind: &'static str,
        item: impl Into<String>,
        old: Option<String>,
        new: Option<String>,
        why: &'static str,
    ) {
        self.changes.push(Change {
            subject: subject.clone(),
            severity,
            kind,
            item: item.into(),
            old,
            new,
            why,
        });
    }
}

/// Every difference from `old` to `new`, sorted by subject, severity and item.
pub fn compare(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Out {
        changes: Vec::new(),
    };
    for module in old.modules.difference(&new.modules) {
        out.push(
            &Subject::Module(module.clone()),
            Severity::Breaking,
            "removed",
            "",
            None,
            None,
            "callers' `use` of the module stops compiling",
        );
    }
    for module in new.modules.difference(&old.modules) {
        out.push(
            &Subject::Module(module.clone()),
            Severity::Additive,
            "added",
            "",
            None,
            None,
            "a new module",
        );
    }
    compare_functions(&mut out, &old.functions, &new.functions);
    for (name, o) in &old.types {
        let subject = Subject::Type(name.clone());
        match new.types.get(name) {
            None => out.push(
                &subject,
                Severity::Breaking,
                "removed",
                "",
                Some(o.kind().into()),
                None,
                "the type disappears",
            ),
            Some(n) => compare_type(&mut out, &subject, o, n),
        }
    }
    for (name, n) in &new.types {
        if !old.types.contains_key(name) {
            out.push(
                &Subject::Type(name.clone()),
                Severity::Additive,
                "added",
                "",
                None,
                Some(n.kind().into()),
                "a new type",
            );
        }
    }
    let mut changes = out.changes;
    changes
        .sort_by(|a, b| (&a.subject, a.severity, &a.item).cmp(&(&b.subject, b.severity, &b.item)));
    changes
}

fn function_name(key: &str) -> &str {
    key.rsplit("::").next().unwrap_or(key)
}

fn compare_functions(
    out: &mut Out,
    old: &BTreeMap<String, Function>,
    new: &BTreeMap<String, Function>,
) {
    let removed: Vec<&String> = old.keys().filter(|k| !new.contains_key(*k)).collect();
    let added: BTreeSet<&String> = new.keys().filter(|k| !old.contains_key(*k)).collect();
    let mut moved_to = BTreeSet::new();
    for key in removed {
        let subject = Subject::Function(key.clone());
        // A function whose first tag changed moves to another module under the same name.
        let destination = added
            .iter()
            .find(|k| function_name(k) == function_name(key) && !moved_to.contains(*k));
        match destination {
            Some(dest) => {
                moved_to.insert(*dest);
                out.push(
                    &subject,
                    Severity::Breaking,
                    "moved",
                    "",
                    Some(key.clone()),
                    Some((*dest).clone()),
                    "the function moves to another `apis::` module: callers' paths break",
                );
                compare_function(out, &subject, &old[key], &new[*dest]);
            }
            None => out.push(
                &subject,
                Severity::Breaking,
                "removed",
                "",
                Some(old[key].endpoint.clone()),
                None,
                "the function disappears",
            ),
        }
    }
    for key in added.difference(&moved_to) {
        out.push(
            &Subject::Function((*key).clone()),
            Severity::Additive,
            "added",
            "",
            None,
            Some(new[*key].endpoint.clone()),
            "a new function",
        );
    }
    for (key, o) in old {
        if let Some(n) = new.get(key) {
            compare_function(out, &Subject::Function(key.clone()), o, n);
        }
    }
}

fn show_args(args: &[(String, String)]) -> String {
    args.iter()
        .map(|(name, ty)| format!("{name}: {ty}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn compare_function(out: &mut Out, subject: &Subject, o: &Function, n: &Function) {
    compare_args(out, subject, "argument", &o.args, &n.args);
    if o.returns != n.returns {
        out.push(
            subject,
            Severity::Breaking,
            "returns",
            "return type",
            Some(o.returns.clone()),
            Some(n.returns.clone()),
            "callers get another type",
        );
    }
    if o.endpoint != n.endpoint {
        out.push(
            subject,
            Severity::Breaking,
            "endpoint",
            "request",
            Some(o.endpoint.clone()),
            Some(n.endpoint.clone()),
            "the same call sends another request",
        );
    }
    for gained in n.auth.difference(&o.auth) {
        out.push(
            subject,
            Severity::Additive,
            "auth",
            format!("credential {gained}"),
            None,
            Some(format!("sent when Configuration::{gained} is set")),
            "the function also sends this credential; callers who do not set it send the same request as before",
        );
    }
    for lost in o.auth.difference(&n.auth) {
        out.push(
            subject,
            Severity::Breaking,
            "auth",
            format!("credential {lost}"),
            Some(format!("sent when Configuration::{lost} is set")),
            None,
            "the function no longer sends this credential: calls that relied on it are no longer authenticated",
        );
    }
    if o.doc != n.doc {
        doc_changed(out, subject, "", &o.doc, &n.doc);
    }
}

fn doc_changed(out: &mut Out, subject: &Subject, item: &str, old: &str, new: &str) {
    out.push(
        subject,
        Severity::Cosmetic,
        "doc",
        item,
        Some(old.into()),
        Some(new.into()),
        "doc comment only",
    );
}

/// Positional arguments (of a function or `new()`): any difference breaks calls. Says which
/// arguments came, went, changed type or moved.
fn compare_args(
    out: &mut Out,
    subject: &Subject,
    what: &str,
    old: &[(String, String)],
    new: &[(String, String)],
) {
    if old == new {
        return;
    }
    let old_map: BTreeMap<&str, &str> = old.iter().map(|(a, t)| (a.as_str(), t.as_str())).collect();
    let new_map: BTreeMap<&str, &str> = new.iter().map(|(a, t)| (a.as_str(), t.as_str())).collect();
    for (name, ty) in new {
        if !old_map.contains_key(name.as_str()) {
            out.push(
                subject,
                Severity::Breaking,
                "argument_added",
                format!("{what} {name}"),
                None,
                Some(ty.clone()),
                "a new positional argument: every call must pass it",
            );
        }
    }
    for (name, ty) in old {
        match new_map.get(name.as_str()) {
            None => out.push(
                subject,
                Severity::Breaking,
                "argument_removed",
                format!("{what} {name}"),
                Some(ty.clone()),
                None,
                "every call passes one argument too many",
            ),
            Some(new_ty) if *new_ty != ty => out.push(
                subject,
                Severity::Breaking,
                "argument_type",
                format!("{what} {name}"),
                Some(ty.clone()),
                Some((*new_ty).to_string()),
                "calls passing the old type stop compiling",
            ),
            Some(_) => {}
        }
    }
    let common = |args: &[(String, String)], other: &BTreeMap<&str, &str>| {
        args.iter()
            .filter(|(a, _)| other.contains_key(a.as_str()))
            .map(|(a, _)| a.clone())
            .collect::<Vec<_>>()
    };
    let (old_order, new_order) = (common(old, &new_map), common(new, &old_map));
    if old_order != new_order {
        out.push(
            subject,
            Severity::Breaking,
            "arguments_reordered",
            format!("{what}s"),
            Some(show_args(old)),
            Some(show_args(new)),
            "positional: swapped arguments of one type still compile and send wrong values",
        );
    }
}

fn compare_type(out: &mut Out, subject: &Subject, o: &TypeDef, n: &TypeDef) {
    match (o, n) {
        (
            TypeDef::Struct {
                fields: of,
                new_args: on,
                doc: od,
            },
            TypeDef::Struct {
                fields: nf,
                new_args: nn,
                doc: nd,
            },
        ) => {
            for f in nf {
                if !of.iter().any(|x| x.name == f.name) {
                    out.push(
                        subject,
                        Severity::Breaking,
                        "field_added",
                        format!("field {}", f.name),
                        None,
                        Some(f.ty.clone()),
                        "a new pub field: struct literals without `..Default::default()` stop compiling \
                         (Cargo SemVer: major); code reading fields is unaffected",
                    );
                }
            }
            for f in of {
                let Some(g) = nf.iter().find(|x| x.name == f.name) else {
                    out.push(
                        subject,
                        Severity::Breaking,
                        "field_removed",
                        format!("field {}", f.name),
                        Some(f.ty.clone()),
                        None,
                        "code using the field stops compiling",
                    );
                    continue;
                };
                let item = format!("field {}", f.name);
                if f.ty != g.ty {
                    out.push(
                        subject,
                        Severity::Breaking,
                        "field_type",
                        &item,
                        Some(f.ty.clone()),
                        Some(g.ty.clone()),
                        "code reading or building the field sees another type",
                    );
                }
                if f.wire != g.wire {
                    out.push(
                        subject,
                        Severity::Additive,
                        "wire_name",
                        &item,
                        f.wire.clone(),
                        g.wire.clone(),
                        "the field is read from and written to another JSON key; its Rust type is unchanged",
                    );
                }
                if f.doc != g.doc {
                    doc_changed(out, subject, &item, &f.doc, &g.doc);
                }
            }
            match (on, nn) {
                (Some(on), Some(nn)) => compare_args(out, subject, "new() argument", on, nn),
                (Some(_), None) => out.push(
                    subject,
                    Severity::Breaking,
                    "removed",
                    "new()",
                    Some("new()".into()),
                    None,
                    "calls to new() stop compiling",
                ),
                (None, Some(_)) => out.push(
                    subject,
                    Severity::Additive,
                    "added",
                    "new()",
                    None,
                    Some("new()".into()),
                    "a new constructor",
                ),
                (None, None) => {}
            }
            if od != nd {
                doc_changed(out, subject, "", od, nd);
            }
        }
        (
            TypeDef::Enum {
                variants: ov,
                doc: od,
            },
            TypeDef::Enum {
                variants: nv,
                doc: nd,
            },
        ) => {
            let ident = |name: &str| name.split('(').next().unwrap_or(name).to_string();
            for v in nv {
                if !ov.iter().any(|x| ident(&x.name) == ident(&v.name)) {
                    out.push(
                        subject,
                        Severity::Breaking,
                        "variant_added",
                        format!("variant {}", ident(&v.name)),
                        None,
                        Some(v.wire.clone().unwrap_or_else(|| v.name.clone())),
                        "a new variant of an exhaustive enum: `match`es without a wildcard stop compiling \
                         (Cargo SemVer: major), and an older crate fails to decode the value",
                    );
                }
            }
            for v in ov {
                let Some(w) = nv.iter().find(|x| ident(&x.name) == ident(&v.name)) else {
                    out.push(
                        subject,
                        Severity::Breaking,
                        "variant_removed",
                        format!("variant {}", ident(&v.name)),
                        Some(v.wire.clone().unwrap_or_else(|| v.name.clone())),
                        None,
                        "code naming the variant stops compiling",
                    );
                    continue;
                };
                let item = format!("variant {}", ident(&v.name));
                if v.name != w.name {
                    out.push(
                        subject,
                        Severity::Breaking,
                        "variant_type",
                        &item,
                        Some(v.name.clone()),
                        Some(w.name.clone()),
                        "the variant carries another type",
                    );
                }
                if v.wire != w.wire {
                    out.push(
                        subject,
                        Severity::Additive,
                        "wire_name",
                        &item,
                        v.wire.clone(),
                        w.wire.clone(),
                        "the variant is read from and written as another JSON value",
                    );
                }
            }
            if od != nd {
                doc_changed(out, subject, "", od, nd);
            }
        }
        (
            TypeDef::Alias {
                target: ot,
                doc: od,
            },
            TypeDef::Alias {
                target: nt,
                doc: nd,
            },
        ) => {
            if ot != nt {
                out.push(
                    subject,
                    Severity::Breaking,
                    "alias_target",
                    "",
                    Some(ot.clone()),
                    Some(nt.clone()),
                    "the alias names another type",
                );
            }
            if od != nd {
                doc_changed(out, subject, "", od, nd);
            }
        }
        _ => out.push(
            subject,
            Severity::Breaking,
            "kind",
            "",
            Some(o.kind().into()),
            Some(n.kind().into()),
            "another kind of type",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rust_api::{Field, Variant};

    fn function(args: &[(&str, &str)], returns: &str) -> Function {
        Function {
            args: args
                .iter()
                .map(|(a, t)| (a.to_string(), t.to_string()))
                .collect(),
            returns: returns.into(),
            endpoint: "POST /v2/X".into(),
            auth: ["basic_auth".to_string()].into(),
            doc: String::new(),
        }
    }

    fn api(functions: &[(&str, Function)], types: &[(&str, TypeDef)]) -> Api {
        Api {
            modules: functions
                .iter()
                .map(|(k, _)| k.split("::").next().unwrap().to_string())
                .collect(),
            functions: functions
                .iter()
                .map(|(k, f)| (k.to_string(), f.clone()))
                .collect(),
            types: types
                .iter()
                .map(|(k, t)| (k.to_string(), t.clone()))
                .collect(),
            module_of: BTreeMap::new(),
        }
    }

    fn kinds(changes: &[Change]) -> Vec<(&str, &str, Severity)> {
        changes
            .iter()
            .map(|c| (c.kind, c.item.as_str(), c.severity))
            .collect()
    }

    #[test]
    fn swapped_arguments_of_one_type_are_breaking() {
        let old = api(
            &[("a_api::f", function(&[("x", "&str"), ("y", "&str")], "()"))],
            &[],
        );
        let new = api(
            &[("a_api::f", function(&[("y", "&str"), ("x", "&str")], "()"))],
            &[],
        );
        assert_eq!(
            kinds(&compare(&old, &new)),
            [("arguments_reordered", "arguments", Severity::Breaking)]
        );
    }

    #[test]
    fn a_function_changing_module_is_one_move() {
        let old = api(&[("a_api::f", function(&[], "()"))], &[]);
        let new = api(&[("b_api::f", function(&[], "()"))], &[]);
        let changes = compare(&old, &new);
        assert_eq!(
            kinds(&changes),
            [
                ("removed", "", Severity::Breaking),
                ("added", "", Severity::Additive),
                ("moved", "", Severity::Breaking)
            ]
        );
        assert_eq!(changes[2].new.as_deref(), Some("b_api::f"));
        assert_eq!(changes[0].subject, Subject::Module("a_api".into()));
    }

    #[test]
    fn new_fields_and_variants_are_major_under_cargo_semver() {
        let strukt = |fields: &[&str], new_args: &[(&str, &str)]| TypeDef::Struct {
            fields: fields
                .iter()
                .map(|f| Field {
                    name: f.to_string(),
                    ty: "Option<String>".into(),
                    wire: Some(f.to_string()),
                    doc: String::new(),
                })
                .collect(),
            new_args: Some(
                new_args
                    .iter()
                    .map(|(a, t)| (a.to_string(), t.to_string()))
                    .collect(),
            ),
            doc: String::new(),
        };
        let enumeration = |variants: &[&str]| TypeDef::Enum {
            variants: variants
                .iter()
                .map(|v| Variant {
                    name: v.to_string(),
                    wire: Some(v.to_lowercase()),
                })
                .collect(),
            doc: String::new(),
        };
        let old = api(
            &[("a_api::f", function(&[], "()"))],
            &[
                ("models::M", strukt(&["sid"], &[])),
                ("models::E", enumeration(&["Push"])),
            ],
        );
        let new = api(
            &[("a_api::f", function(&[], "()"))],
            &[
                ("models::M", strukt(&["sid", "ttl"], &[("ttl", "i32")])),
                ("models::E", enumeration(&["Push", "Passkeys"])),
            ],
        );
        assert_eq!(
            kinds(&compare(&old, &new)),
            [
                ("variant_added", "variant Passkeys", Severity::Breaking),
                ("field_added", "field ttl", Severity::Breaking),
                ("argument_added", "new() argument ttl", Severity::Breaking),
            ]
        );
    }

    #[test]
    fn gained_credentials_are_additive_and_lost_ones_breaking() {
        let mut bearer = function(&[], "()");
        bearer.auth.insert("bearer_access_token".into());
        let old = api(&[("a_api::f", function(&[], "()"))], &[]);
        let new = api(&[("a_api::f", bearer)], &[]);
        assert_eq!(
            kinds(&compare(&old, &new)),
            [("auth", "credential bearer_access_token", Severity::Additive)]
        );
        assert_eq!(
            kinds(&compare(&new, &old)),
            [("auth", "credential bearer_access_token", Severity::Breaking)]
        );
    }

    #[test]
    fn next_version_follows_the_0x_rule() {
        assert_eq!(
            next_version("0.1.0", Some(Severity::Breaking)).as_deref(),
            Some("0.2.0")
        );
        assert_eq!(
            next_version("0.1.0", Some(Severity::Additive)).as_deref(),
            Some("0.1.1")
        );
        assert_eq!(
            next_version("1.2.3", Some(Severity::Breaking)).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(
            next_version("1.2.3", Some(Severity::Additive)).as_deref(),
            Some("1.3.0")
        );
        assert_eq!(next_version("1.2.3", None), None);
        assert_eq!(next_version("x", Some(Severity::Cosmetic)), None);
    }
}
