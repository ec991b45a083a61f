//! One Cargo feature per API of the generated crate, so a consumer compiles only the APIs it
//! calls and the models they reach (issue 23: most users call one to five endpoints of 186
//! files).
//!
//! openapi-generator writes one `src/apis/<name>_api.rs` per tag and one `src/models/<m>.rs`
//! per schema, and cannot emit `#[cfg]`s itself, so this step runs on its output (before the
//! headers, part of what `--check` compares):
//! - feature names come from the API files: `verify_v2_access_token_api.rs` is
//!   `access-token`, `default_api.rs` (the untagged operations) is `default-api`;
//! - each `pub mod x_api;` in `apis/mod.rs` gets `#[cfg(feature = "x")]`;
//! - each model's `pub mod` and `pub use` in `models/mod.rs` gets
//!   `#[cfg(any(feature = "a", …))]` (or one `feature`): the APIs whose functions reach it, directly or through
//!   other models (`models::Name` paths); a model no API reaches is `full` only;
//! - the manifest gets the features, `full` with all of them, and `default = ["full"]`, so
//!   depending on the crate as before still builds everything.

use std::collections::{BTreeMap, BTreeSet};

use crate::tree::Tree;

const APIS_MOD: &str = "src/apis/mod.rs";
const MODELS_MOD: &str = "src/models/mod.rs";
const MANIFEST: &str = "Cargo.toml";
/// The files [`gate`] rewrites.
pub const REWRITTEN: [&str; 3] = [APIS_MOD, MODELS_MOD, MANIFEST];
/// What the generator's manifest says, replaced by the feature list.
const DEFAULT_LINE: &str = "default = []\n";

/// The feature of an API module, `verify_v2_new_factor_api` → `new-factor`.
pub fn feature_of(api_module: &str) -> String {
    let stem = api_module.strip_suffix("_api").unwrap_or(api_module);
    let stem = stem.strip_prefix("verify_v2_").unwrap_or(stem);
    if stem == "default" {
        "default-api".to_string()
    } else {
        stem.replace('_', "-")
    }
}

/// Adds the features to the generated files (see the module docs).
pub fn gate(files: &mut Tree) -> Result<(), String> {
    let apis_mod = text(files, APIS_MOD)?;
    let models_mod = text(files, MODELS_MOD)?;
    let manifest = text(files, MANIFEST)?;

    let apis: Vec<&str> = apis_mod
        .lines()
        .filter_map(declared_module)
        .filter(|m| m.ends_with("_api"))
        .collect();
    if apis.is_empty() {
        return Err(format!("{APIS_MOD} declares no `pub mod …_api;`"));
    }
    // Model type name → its module, from `pub use self::module::Type;`.
    let mut module_of_type = BTreeMap::new();
    for (module, ty) in models_mod.lines().filter_map(reexport) {
        module_of_type.insert(ty.to_string(), module.to_string());
    }
    let models_used_by = |path: &str| -> Result<BTreeSet<String>, String> {
        Ok(model_refs(&text(files, path)?)
            .filter_map(|ty| module_of_type.get(&ty).cloned())
            .collect())
    };
    // Model module → the features that reach it.
    let mut reached_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for api in &apis {
        let feature = feature_of(api);
        let mut todo: Vec<String> = models_used_by(&format!("src/apis/{api}.rs"))?
            .into_iter()
            .collect();
        while let Some(model) = todo.pop() {
            let features = reached_by.entry(model.clone()).or_default();
            if features.insert(feature.clone()) {
                todo.extend(models_used_by(&format!("src/models/{model}.rs"))?);
            }
        }
    }

    let new_apis_mod = with_cfgs(&apis_mod, |line| {
        declared_module(line)
            .filter(|m| m.ends_with("_api"))
            .map(|m| cfg(&[feature_of(m)]))
    });
    let new_models_mod = with_cfgs(&models_mod, |line| {
        declared_module(line)
            .or_else(|| reexport(line).map(|(m, _)| m))
            .map(|m| {
                let features: Vec<String> =
                    reached_by.get(m).into_iter().flatten().cloned().collect();
                cfg(&features)
            })
    });

    if !manifest.contains(DEFAULT_LINE) {
        return Err(format!(
            "{MANIFEST} has no `{}` line to put the API features after",
            DEFAULT_LINE.trim()
        ));
    }
    let features: Vec<String> = apis.iter().map(|api| feature_of(api)).collect();
    let mut block = String::from(
        "# One feature per API (its functions and the models they reach), added by `cargo xtask \
         codegen`\n# (xtask/src/api_features.rs). `full` is every API, and the default.\n\
         default = [\"full\"]\n",
    );
    block.push_str(&format!(
        "full = [{}]\n",
        features
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    for feature in &features {
        block.push_str(&format!("{feature} = []\n"));
    }

    files.insert(APIS_MOD.into(), new_apis_mod.into_bytes());
    files.insert(MODELS_MOD.into(), new_models_mod.into_bytes());
    files.insert(
        MANIFEST.into(),
        manifest.replacen(DEFAULT_LINE, &block, 1).into_bytes(),
    );
    Ok(())
}

fn text(files: &Tree, path: &str) -> Result<String, String> {
    let bytes = files
        .get(path)
        .ok_or_else(|| format!("the generator wrote no {path}"))?;
    String::from_utf8(bytes.clone()).map_err(|_| format!("{path} is not UTF-8"))
}

/// The module a `pub mod x;` line declares.
fn declared_module(line: &str) -> Option<&str> {
    line.strip_prefix("pub mod ")?.strip_suffix(';')
}

/// The module and type of a `pub use self::x::Type;` line.
fn reexport(line: &str) -> Option<(&str, &str)> {
    line.strip_prefix("pub use self::")?
        .strip_suffix(';')?
        .split_once("::")
}

/// `source` with the attribute `cfg_of` gives a line written above it.
fn with_cfgs(source: &str, cfg_of: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(source.len() * 2);
    for line in source.lines() {
        if let Some(attribute) = cfg_of(line) {
            out.push_str(&attribute);
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every `Name` in a `models::Name` path of a source file.
fn model_refs(source: &str) -> impl Iterator<Item = String> + '_ {
    source.match_indices("models::").filter_map(|(at, _)| {
        let rest = &source[at + "models::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        name.starts_with(|c: char| c.is_ascii_uppercase())
            .then_some(name)
    })
}

/// `#[cfg(feature = "a")]`, `#[cfg(any(feature = "a", feature = "b"))]`, or `full` when no
/// feature reaches the item (a model no API uses).
fn cfg(features: &[String]) -> String {
    match features {
        [] => "#[cfg(feature = \"full\")]\n".to_string(),
        [only] => format!("#[cfg(feature = \"{only}\")]\n"),
        many => {
            let list: Vec<String> = many.iter().map(|f| format!("feature = \"{f}\"")).collect();
            format!("#[cfg(any({}))]\n", list.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::tree::from_texts as tree;

    fn get(files: &Tree, path: &str) -> String {
        String::from_utf8(files[path].clone()).unwrap()
    }

    #[test]
    fn feature_names_come_from_the_api_files() {
        assert_eq!(feature_of("verify_v2_access_token_api"), "access-token");
        assert_eq!(feature_of("verify_v2_new_factor_api"), "new-factor");
        assert_eq!(feature_of("default_api"), "default-api");
    }

    #[test]
    fn apis_and_the_models_they_reach_are_gated() {
        let mut files = tree(&[
            (
                "src/apis/mod.rs",
                "pub mod verify_v2_a_api;\npub mod verify_v2_b_api;\n\npub mod configuration;\n",
            ),
            (
                "src/apis/verify_v2_a_api.rs",
                "fn f() -> models::Shared { todo!() }\n",
            ),
            (
                "src/apis/verify_v2_b_api.rs",
                "fn g() -> models::OnlyB { todo!() } // models::lowercase is no type\n",
            ),
            (
                "src/models/mod.rs",
                "pub mod shared;\npub use self::shared::Shared;\npub mod inner;\npub use self::inner::Inner;\npub mod only_b;\npub use self::only_b::OnlyB;\npub mod orphan;\npub use self::orphan::Orphan;\n",
            ),
            ("src/models/shared.rs", "struct Shared(models::Inner);\n"),
            ("src/models/inner.rs", "struct Inner;\n"),
            ("src/models/only_b.rs", "struct OnlyB(models::Shared);\n"),
            ("src/models/orphan.rs", "struct Orphan;\n"),
            (
                "Cargo.toml",
                "[features]\ndefault = []\nrustls = [\"reqwest/rustls\"]\n",
            ),
        ]);
        gate(&mut files).unwrap();
        assert_eq!(
            get(&files, "src/apis/mod.rs"),
            "#[cfg(feature = \"a\")]\npub mod verify_v2_a_api;\n#[cfg(feature = \"b\")]\n\
             pub mod verify_v2_b_api;\n\npub mod configuration;\n"
        );
        let models = get(&files, "src/models/mod.rs");
        let any_ab = "#[cfg(any(feature = \"a\", feature = \"b\"))]\n";
        assert!(models.contains(&format!("{any_ab}pub mod shared;\n{any_ab}pub use")));
        // Reached only through another model, from both APIs.
        assert!(models.contains(&format!("{any_ab}pub mod inner;\n")));
        assert!(models.contains("#[cfg(feature = \"b\")]\npub mod only_b;\n"));
        assert!(models.contains("#[cfg(feature = \"full\")]\npub mod orphan;\n"));
        let manifest = get(&files, "Cargo.toml");
        assert!(manifest.contains("default = [\"full\"]\nfull = [\"a\", \"b\"]\na = []\nb = []\n"));
        assert!(manifest.contains("rustls = [\"reqwest/rustls\"]"));
        assert!(!manifest.contains("default = []"));
    }

    #[test]
    fn a_manifest_without_the_default_line_is_an_error() {
        let mut files = tree(&[
            ("src/apis/mod.rs", "pub mod verify_v2_a_api;\n"),
            ("src/apis/verify_v2_a_api.rs", ""),
            ("src/models/mod.rs", ""),
            ("Cargo.toml", "[features]\n"),
        ]);
        let err = gate(&mut files).unwrap_err();
        assert!(err.contains("default = []"), "{err}");
    }
}
