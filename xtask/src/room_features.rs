//! Holds `crates/verify-push`'s room features to what each room calls: a room's feature turns on
//! exactly the generated APIs its files call (read with `syn` by `wrapper_calls`), and the
//! generated APIs the always-compiled code calls (entities, `call/`) are the dependency's own
//! features. A missing one fails the build with only that room on (`.ci/run` lints each room
//! alone); an extra one only costs every consumer of the room compile time, which no build
//! notices, so this test does.

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use crate::api_features::feature_of;
    use crate::workspace;
    use crate::wrapper_calls;

    /// The generated features a set of wrapper files calls: the API module of each function.
    fn called(dir: &Path) -> BTreeSet<String> {
        let uses = wrapper_calls::read(dir).unwrap();
        uses.functions
            .iter()
            .filter_map(|f| f.split_once("::"))
            // API modules only: `apis::ContentType::from` is a type's function, not an API.
            .filter(|(module, _)| module.ends_with("_api"))
            .map(|(module, _)| feature_of(module))
            .collect()
    }

    /// `name = ["a", "b"]` → the quoted items.
    fn list(line: &str) -> Vec<String> {
        let inner = &line[line.find('[').unwrap() + 1..line.rfind(']').unwrap()];
        inner
            .split(',')
            .map(|item| item.trim().trim_matches('"').to_string())
            .filter(|item| !item.is_empty())
            .collect()
    }

    #[test]
    fn each_room_feature_turns_on_exactly_the_generated_apis_it_calls() {
        let crate_dir = workspace::root().join("crates/verify-push");
        let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
        let mut in_features = false;
        let mut features: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut always = BTreeSet::new();
        for line in manifest.lines() {
            if line.starts_with('[') {
                in_features = line == "[features]";
                continue;
            }
            if in_features && let Some((name, _)) = line.split_once(" = [") {
                let generated = list(line)
                    .iter()
                    .filter_map(|f| f.strip_prefix("verify-v2/").map(str::to_owned))
                    .collect();
                features.insert(name.to_string(), generated);
            } else if line.starts_with("verify-v2 = ") {
                always = list(&line[line.find("features").unwrap()..])
                    .into_iter()
                    .collect();
            }
        }
        let src = crate_dir.join("src");
        let rooms = [
            "access_tokens",
            "factors",
            "challenges",
            "notifications",
            "webhooks",
        ];
        let mut in_rooms = BTreeSet::new();
        for room in rooms {
            let calls = called(&src.join(room));
            assert!(
                !calls.is_empty(),
                "{room}/ calls no generated API: is the reader broken?"
            );
            let feature = room.replace('_', "-");
            // The TLS features name verify-v2 too; a room feature names only generated APIs.
            assert_eq!(
                features.get(&feature),
                Some(&calls),
                "Cargo.toml feature `{feature}` must turn on the generated APIs {room}/ calls"
            );
            in_rooms.extend(calls);
        }
        let everything = called(&src);
        let outside: BTreeSet<String> = everything.difference(&in_rooms).cloned().collect();
        assert_eq!(
            always, outside,
            "the verify-v2 dependency's own features must be the APIs called outside the rooms"
        );
        assert!(always.contains("entity"), "entities/ is always compiled");
    }
}
