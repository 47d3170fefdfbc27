//! Every text exists in English and in Spanish: a missing translation fails
//! the build's tests, not a Spanish-speaking parent.

use serde_json::Value;
use std::collections::BTreeSet;

/// Every key path in a translation file, e.g. `home.title`.
fn key_paths(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    if let Value::Object(map) = value {
        for (key, child) in map {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match child {
                Value::Object(_) => key_paths(child, &path, out),
                _ => {
                    out.insert(path);
                }
            }
        }
    }
}

fn keys_of(json: &str) -> BTreeSet<String> {
    let value: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    assert!(value.is_object(), "a locale file is not a JSON object");
    let mut keys = BTreeSet::new();
    key_paths(&value, "", &mut keys);
    keys
}

#[test]
fn spanish_translates_every_english_key_and_nothing_else() {
    let en = keys_of(include_str!("../locales/en.json"));
    let es = keys_of(include_str!("../locales/es.json"));
    let missing_in_es: Vec<_> = en.difference(&es).collect();
    let missing_in_en: Vec<_> = es.difference(&en).collect();
    assert!(
        missing_in_es.is_empty(),
        "keys without a Spanish translation: {missing_in_es:?}"
    );
    assert!(
        missing_in_en.is_empty(),
        "keys without an English text: {missing_in_en:?}"
    );
}

#[test]
fn no_translation_is_empty() {
    for (name, json) in [
        ("en", include_str!("../locales/en.json")),
        ("es", include_str!("../locales/es.json")),
    ] {
        let text = json.replace(char::is_whitespace, "");
        assert!(!text.contains(":\"\""), "{name}.json has an empty text");
    }
}
