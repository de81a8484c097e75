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
    assert_ne!(lookup(Lang::Ar, "nav-dashboard", &[]), lookup(Lang::En, "nav-dashboard", &[]));
    assert_eq!(lookup(Lang::En, "no-such-key", &[]), "no-such-key");
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
    let two = lookup(Lang::Ar, "bank-accounts-count", &[("count", num(2))]);
    let eleven = lookup(Lang::Ar, "bank-accounts-count", &[("count", num(11))]);
    assert_ne!(two, eleven);
}

/// The plural category Fluent gives `n`, for the catalogue's side of the comparison (the browser asks
/// `Intl.PluralRules`, which follows the same CLDR rules).
fn cldr_category(lang: Lang, n: i64) -> String {
    use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
    let rules = PluralRules::create(lang.id().clone(), PluralRuleType::CARDINAL).unwrap();
    match rules.select(n).unwrap() {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
    .into()
}

/// Every variable a pattern uses, and whether it is selected on.
fn variables(pattern: &[catalogue::Part], found: &mut BTreeSet<(String, bool)>) {
    for part in pattern {
        match part {
            catalogue::Part::Text(_) => {}
            catalogue::Part::Var(name) => {
                found.insert((name.clone(), false));
            }
            catalogue::Part::Select(select) => {
                found.insert((select.on.clone(), true));
                for (_, case) in &select.cases {
                    variables(case, found);
                }
            }
        }
    }
}

/// The browser's catalogue says exactly what Fluent says, for every message of both languages, with
/// numbers that reach each Arabic plural form and exact-number variant.
#[test]
fn the_browser_catalogue_matches_fluent_for_every_message() {
    for lang in Lang::ALL {
        let catalogue = catalogue::compile(lang).unwrap();
        let defined = ids(lang.code());
        let compiled: BTreeSet<String> = catalogue.keys().cloned().collect();
        assert_eq!(compiled, defined, "{lang:?}: the catalogue holds every message");
        let mut checked = 0;
        for (id, pattern) in &catalogue {
            let mut found = BTreeSet::new();
            variables(pattern, &mut found);
            // A variable that is selected on somewhere is a number everywhere.
            let vars: BTreeSet<(String, bool)> =
                found.iter().map(|(name, _)| (name.clone(), found.contains(&(name.clone(), true)))).collect();
            let numbers = [0, 1, 2, 3, 7, 11, 99, 100, 101, 102, 1000];
            let mut cases: Vec<Vec<(&str, Arg)>> = Vec::new();
            for n in numbers {
                cases.push(
                    vars.iter()
                        .map(|(name, selected)| {
                            let value = if *selected { num(n) } else { arg(format!("«{name}»")) };
                            (name.as_str(), value)
                        })
                        .collect(),
                );
            }
            // Numbers in plain placeables too.
            cases.push(vars.iter().map(|(name, _)| (name.as_str(), num(42))).collect());
            for args in cases {
                let mut ours = String::new();
                catalogue::format(pattern, &args, &|n| cldr_category(lang, n), &mut ours);
                assert_eq!(ours, lookup(lang, id, &args), "{lang:?} {id} with {args:?}");
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked}");
    }
}

/// Selections on a word, an exact number and a missing variable behave as Fluent's do.
#[test]
fn catalogue_selection_rules() {
    use catalogue::{format, Part, Select};
    let pattern = vec![Part::Select(Select {
        on: "n".into(),
        cases: vec![
            ("0".into(), vec![Part::Text("none".into())]),
            ("one".into(), vec![Part::Text("one ".into()), Part::Var("n".into())]),
            ("card".into(), vec![Part::Text("a card".into())]),
            ("other".into(), vec![Part::Var("n".into()), Part::Text(" things".into())]),
        ],
        default: 3,
    })];
    let say = |args: &[(&str, Arg)]| {
        let mut out = String::new();
        format(&pattern, args, &|n| cldr_category(Lang::En, n), &mut out);
        out
    };
    assert_eq!(say(&[("n", num(0))]), "none");
    assert_eq!(say(&[("n", num(1))]), "one 1");
    assert_eq!(say(&[("n", num(5))]), "5 things");
    assert_eq!(say(&[("n", arg("card"))]), "a card");
    assert_eq!(say(&[("n", arg("cash"))]), "cash things");
    assert_eq!(say(&[]), "{$n} things");
}

/// `catalogue::SOURCES` lists every `.ftl` file, so the browser's catalogue cannot fall behind.
#[test]
fn the_catalogue_sources_are_every_locale_file() {
    let mut on_disk = BTreeSet::new();
    for lang in Lang::ALL {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang.code());
        for file in std::fs::read_dir(dir).unwrap() {
            let name = file.unwrap().file_name().into_string().unwrap();
            on_disk.insert(format!("{}/{}", lang.code(), name));
        }
    }
    let listed: BTreeSet<String> =
        catalogue::SOURCES.iter().map(|(lang, area, _)| format!("{}/{area}.ftl", lang.code())).collect();
    assert_eq!(listed, on_disk);
}
