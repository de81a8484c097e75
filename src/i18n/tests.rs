use std::collections::BTreeSet;
use std::path::Path;

use super::*;

/// Message ids defined in one language's files.
fn ids(lang: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
    let mut ids = BTreeSet::new();
    for file in std::fs::read_dir(&dir).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some((id, _)) = line.split_once(" =") {
                if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    assert!(ids.insert(id.to_owned()), "{lang}: {id} is defined twice");
                }
            }
        }
    }
    ids
}

#[test]
fn english_and_arabic_define_the_same_messages() {
    let en = ids("en");
    let ar = ids("ar");
    let only_en: Vec<_> = en.difference(&ar).collect();
    let only_ar: Vec<_> = ar.difference(&en).collect();
    assert!(only_en.is_empty(), "missing in Arabic: {only_en:?}");
    assert!(only_ar.is_empty(), "missing in English: {only_ar:?}");
    assert!(en.len() > 20);
}

/// Every `t("…")` / `t_with("…"` key in the source exists, so a typo cannot reach a page.
#[test]
fn every_key_used_in_the_source_exists() {
    let en = ids("en");
    let mut missing = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for call in ["t(\"", "t_with(\""] {
                for (at, _) in text.match_indices(call) {
                    // Only the helpers themselves, not e.g. `format!("` or `assert(`.
                    let before = text[..at].chars().last();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    let rest = &text[at + call.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    // Prose about the helpers (doc comments) is not a call.
                    let is_id = !key.is_empty()
                        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                    if is_id && !en.contains(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "keys without an English message: {missing:#?}");
}

#[test]
fn arabic_is_right_to_left_and_lookups_use_it() {
    assert_eq!(Lang::Ar.dir(), "rtl");
    assert_eq!(Lang::En.dir(), "ltr");
    assert_ne!(lookup(Lang::Ar, "nav-dashboard", None), lookup(Lang::En, "nav-dashboard", None));
    assert_eq!(lookup(Lang::En, "no-such-key", None), "no-such-key");
}

#[test]
fn accept_language_picks_the_preferred_supported_language() {
    assert_eq!(Lang::from_accept_language("ar-SA,ar;q=0.9,en;q=0.8"), Some(Lang::Ar));
    assert_eq!(Lang::from_accept_language("fr-FR, en;q=0.5, ar;q=0.7"), Some(Lang::Ar));
    assert_eq!(Lang::from_accept_language("en-GB"), Some(Lang::En));
    assert_eq!(Lang::from_accept_language("fr, de"), None);
    assert_eq!(Lang::from_accept_language(""), None);
}

#[test]
fn arabic_plurals_have_their_own_forms() {
    let mut args = HashMap::new();
    args.insert(Cow::Borrowed("count"), FluentValue::from(2));
    let two = lookup(Lang::Ar, "bank-accounts-count", Some(&args));
    args.insert(Cow::Borrowed("count"), FluentValue::from(11));
    let eleven = lookup(Lang::Ar, "bank-accounts-count", Some(&args));
    assert_ne!(two, eleven);
}
