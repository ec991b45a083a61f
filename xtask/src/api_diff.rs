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

/// The class of each kind of change and why, in one place (docs/regenerating.md has the same
/// table). Cargo SemVer: <https://doc.rust-lang.org/cargo/reference/semver.html>.
pub fn rule(kind: &str) -> (Severity, &'static str) {
    use Severity::{Additive, Breaking, Cosmetic};
    match kind {
        "added" => (Additive, "a new item; existing code is unaffected"),
        "removed" => (Breaking, "code naming it stops compiling"),
        "moved" => (
            Breaking,
            "the function moves to another `apis::` module: paths break",
        ),
        "argument_added" => (
            Breaking,
            "a new positional argument: every call must pass it",
        ),
        "argument_removed" => (Breaking, "every call passes one argument too many"),
        "argument_type" => (Breaking, "calls passing the old type stop compiling"),
        "arguments_reordered" => (
            Breaking,
            "positional: swapped arguments of one type still compile and send wrong values",
        ),
        "returns" => (Breaking, "callers get another type"),
        "endpoint" => (Breaking, "the same call sends another request"),
        "auth_added" => (
            Additive,
            "also sent when set in Configuration; callers who do not set it send what they sent",
        ),
        "auth_removed" => (
            Breaking,
            "no longer sent: calls relying on it are not authenticated",
        ),
        "field_added" => (
            Breaking,
            "a new pub field: struct literals without `..Default::default()` stop compiling \
             (Cargo SemVer: major); code reading fields is unaffected",
        ),
        "field_type" | "variant_type" | "alias_target" => {
            (Breaking, "code using it sees another type")
        }
        "variant_added" => (
            Breaking,
            "a new variant of an exhaustive enum: `match`es without a wildcard stop compiling \
             (Cargo SemVer: major), and an older crate fails to decode the value",
        ),
        "wire_name" => (
            Additive,
            "another JSON key or value on the wire; the Rust type is the same",
        ),
        "kind" => (Breaking, "another kind of type"),
        _ => (Cosmetic, "doc comment only"),
    }
}

#[derive(Default)]
struct Out {
    changes: Vec<Change>,
}

impl Out {
    fn push(
        &mut self,
        subject: &Subject,
        kind: &'static str,
        item: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) {
        let (severity, why) = rule(kind);
        self.changes.push(Change {
            subject: subject.clone(),
            severity,
            kind,
            item: item.to_string(),
            old: old.map(str::to_string),
            new: new.map(str::to_string),
            why,
        });
    }

    /// `kind` with the values when `old` and `new` differ.
    fn differ(&mut self, subject: &Subject, kind: &'static str, item: &str, old: &str, new: &str) {
        if old != new {
            self.push(subject, kind, item, Some(old), Some(new));
        }
    }
}

/// Every difference from `old` to `new`, sorted by subject, severity and item.
pub fn compare(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Out::default();
    for module in old.modules.difference(&new.modules) {
        out.push(&Subject::Module(module.clone()), "removed", "", None, None);
    }
    for module in new.modules.difference(&old.modules) {
        out.push(&Subject::Module(module.clone()), "added", "", None, None);
    }
    compare_functions(&mut out, &old.functions, &new.functions);
    for (name, o) in &old.types {
        let subject = Subject::Type(name.clone());
        match new.types.get(name) {
            None => out.push(&subject, "removed", "", Some(o.kind()), None),
            Some(n) => compare_type(&mut out, &subject, o, n),
        }
    }
    for (name, n) in &new.types {
        if !old.types.contains_key(name) {
            out.push(
                &Subject::Type(name.clone()),
                "added",
                "",
                None,
                Some(n.kind()),
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
    let added: BTreeSet<&String> = new.keys().filter(|k| !old.contains_key(*k)).collect();
    let mut moved_to = BTreeSet::new();
    for key in old.keys().filter(|k| !new.contains_key(*k)) {
        let subject = Subject::Function(key.clone());
        // A function whose first tag changed moves to another module under the same name.
        let destination = added
            .iter()
            .find(|k| function_name(k) == function_name(key) && !moved_to.contains(*k));
        match destination {
            Some(dest) => {
                moved_to.insert(*dest);
                out.push(&subject, "moved", "", Some(key), Some(dest));
                compare_function(out, &subject, &old[key], &new[*dest]);
            }
            None => out.push(&subject, "removed", "", Some(&old[key].endpoint), None),
        }
    }
    for key in added.difference(&moved_to) {
        let endpoint = Some(new[*key].endpoint.as_str());
        out.push(
            &Subject::Function((*key).clone()),
            "added",
            "",
            None,
            endpoint,
        );
    }
    for (key, o) in old {
        if let Some(n) = new.get(key) {
            compare_function(out, &Subject::Function(key.clone()), o, n);
        }
    }
}

fn compare_function(out: &mut Out, subject: &Subject, o: &Function, n: &Function) {
    compare_args(out, subject, "argument", &o.args, &n.args);
    out.differ(subject, "returns", "return type", &o.returns, &n.returns);
    out.differ(subject, "endpoint", "request", &o.endpoint, &n.endpoint);
    for gained in n.auth.difference(&o.auth) {
        let sent = format!("Configuration::{gained}");
        out.push(subject, "auth_added", "credential", None, Some(&sent));
    }
    for lost in o.auth.difference(&n.auth) {
        let sent = format!("Configuration::{lost}");
        out.push(subject, "auth_removed", "credential", Some(&sent), None);
    }
    out.differ(subject, "doc", "", &o.doc, &n.doc);
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
    let find = |args: &[(String, String)], name: &str| {
        args.iter().find(|(a, _)| a == name).map(|(_, t)| t.clone())
    };
    for (name, ty) in new.iter().filter(|(a, _)| find(old, a).is_none()) {
        out.push(
            subject,
            "argument_added",
            &format!("{what} {name}"),
            None,
            Some(ty),
        );
    }
    for (name, ty) in old {
        let item = format!("{what} {name}");
        match find(new, name) {
            None => out.push(subject, "argument_removed", &item, Some(ty), None),
            Some(new_ty) => out.differ(subject, "argument_type", &item, ty, &new_ty),
        }
    }
    let common = |args: &[(String, String)], other: &[(String, String)]| {
        args.iter()
            .filter(|(a, _)| find(other, a).is_some())
            .map(|(a, t)| format!("{a}: {t}"))
            .collect::<Vec<_>>()
    };
    let names = |args: &[String]| {
        args.iter()
            .map(|a| a.split(':').next().unwrap_or(a).to_string())
            .collect::<Vec<_>>()
    };
    let (old_order, new_order) = (common(old, new), common(new, old));
    if names(&old_order) != names(&new_order) {
        let item = format!("{what}s");
        out.push(
            subject,
            "arguments_reordered",
            &item,
            Some(&old_order.join(", ")),
            Some(&new_order.join(", ")),
        );
    }
}

fn compare_type(out: &mut Out, subject: &Subject, o: &TypeDef, n: &TypeDef) {
    use TypeDef::{Alias, Enum, Struct};
    match (o, n) {
        (
            Struct {
                fields: of,
                new_args: on,
                doc: od,
            },
            Struct {
                fields: nf,
                new_args: nn,
                doc: nd,
            },
        ) => {
            for f in nf.iter().filter(|f| !of.iter().any(|x| x.name == f.name)) {
                out.push(
                    subject,
                    "field_added",
                    &format!("field {}", f.name),
                    None,
                    Some(&f.ty),
                );
            }
            for f in of {
                let item = format!("field {}", f.name);
                let Some(g) = nf.iter().find(|x| x.name == f.name) else {
                    out.push(subject, "removed", &item, Some(&f.ty), None);
                    continue;
                };
                out.differ(subject, "field_type", &item, &f.ty, &g.ty);
                let wire = |w: &Option<String>| w.clone().unwrap_or_default();
                out.differ(subject, "wire_name", &item, &wire(&f.wire), &wire(&g.wire));
                out.differ(subject, "doc", &item, &f.doc, &g.doc);
            }
            match (on, nn) {
                (Some(on), Some(nn)) => compare_args(out, subject, "new() argument", on, nn),
                (Some(_), None) => out.push(subject, "removed", "new()", Some("new()"), None),
                (None, Some(_)) => out.push(subject, "added", "new()", None, Some("new()")),
                (None, None) => {}
            }
            out.differ(subject, "doc", "", od, nd);
        }
        (
            Enum {
                variants: ov,
                doc: od,
            },
            Enum {
                variants: nv,
                doc: nd,
            },
        ) => {
            let ident = |name: &str| name.split('(').next().unwrap_or(name).to_string();
            let shown =
                |v: &crate::rust_api::Variant| v.wire.clone().unwrap_or_else(|| v.name.clone());
            for v in nv
                .iter()
                .filter(|v| !ov.iter().any(|x| ident(&x.name) == ident(&v.name)))
            {
                let item = format!("variant {}", ident(&v.name));
                out.push(subject, "variant_added", &item, None, Some(&shown(v)));
            }
            for v in ov {
                let item = format!("variant {}", ident(&v.name));
                let Some(w) = nv.iter().find(|x| ident(&x.name) == ident(&v.name)) else {
                    out.push(subject, "removed", &item, Some(&shown(v)), None);
                    continue;
                };
                out.differ(subject, "variant_type", &item, &v.name, &w.name);
                let wire = |w: &Option<String>| w.clone().unwrap_or_default();
                out.differ(subject, "wire_name", &item, &wire(&v.wire), &wire(&w.wire));
            }
            out.differ(subject, "doc", "", od, nd);
        }
        (
            Alias {
                target: ot,
                doc: od,
            },
            Alias {
                target: nt,
                doc: nd,
            },
        ) => {
            out.differ(subject, "alias_target", "", ot, nt);
            out.differ(subject, "doc", "", od, nd);
        }
        _ => out.push(subject, "kind", "", Some(o.kind()), Some(n.kind())),
    }
}

#[cfg(test)]
mod tests;
