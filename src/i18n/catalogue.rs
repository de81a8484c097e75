//! The browser's messages. The server speaks Fluent (fluent-templates); the wasm does not carry Fluent's
//! parser, resolver and every locale's plural tables, nor both languages' files. Instead the server
//! compiles one language's `.ftl` files into this catalogue, serves it as a cacheable JSON file next to
//! the page, and the browser fills it in: text, `{ $variables }` and selections on a number or a string,
//! which is all the app's files use. Plural categories come from the browser's own `Intl.PluralRules`.
//! A test checks every message of both languages against Fluent itself.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// A message: its parts in order.
pub type Pattern = Vec<Part>;

/// Message id → pattern, for one language.
pub type Catalogue = HashMap<String, Pattern>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Part {
    /// Text as written.
    #[serde(rename = "t")]
    Text(String),
    /// `{ $name }`.
    #[serde(rename = "v")]
    Var(String),
    /// `{ $name -> [key] … *[other] … }`.
    #[serde(rename = "s")]
    Select(Select),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Select {
    /// The variable selected on.
    pub on: String,
    /// Variant keys (a number, a plural category or a word) and their patterns, in the file's order.
    pub cases: Vec<(String, Pattern)>,
    /// Index into `cases` of the `*` default.
    pub default: usize,
}

/// A value for a `{ $variable }`.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Num(i64),
}

/// Fills in `pattern`. `plural` names the CLDR plural category of a number in the message's language
/// (`one`, `few`, …). A missing variable shows as `{$name}`, as Fluent shows it.
pub fn format(pattern: &[Part], args: &[(&str, Arg)], plural: &dyn Fn(i64) -> String, out: &mut String) {
    let value = |name: &str| args.iter().find(|(k, _)| *k == name).map(|(_, v)| v);
    for part in pattern {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Var(name) => match value(name) {
                Some(Arg::Text(text)) => out.push_str(text),
                Some(Arg::Num(n)) => out.push_str(&n.to_string()),
                None => {
                    out.push_str("{$");
                    out.push_str(name);
                    out.push('}');
                }
            },
            Part::Select(select) => {
                // Fluent's order: an exact number first, then the number's plural category; a string
                // matches a key spelled the same.
                let chosen = match value(&select.on) {
                    Some(Arg::Num(n)) => {
                        let n = *n;
                        select.cases.iter().position(|(k, _)| k.parse::<i64>() == Ok(n)).or_else(|| {
                            let category = plural(n);
                            select.cases.iter().position(|(k, _)| *k == category)
                        })
                    }
                    Some(Arg::Text(text)) => select.cases.iter().position(|(k, _)| k == text),
                    None => None,
                };
                if let Some((_, case)) = select.cases.get(chosen.unwrap_or(select.default)) {
                    format(case, args, plural, out);
                }
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use compile::{compile, Served, SOURCES};

#[cfg(feature = "ssr")]
mod compile {
    use fluent_syntax::ast::{self, Expression, InlineExpression, PatternElement, VariantKey};

    use super::{Catalogue, Part, Pattern, Select};
    use crate::i18n::Lang;

    /// Every `.ftl` file, by language. A test keeps this list the same as the `locales` folder.
    pub const SOURCES: &[(Lang, &str, &str)] = &[
        (Lang::En, "app", include_str!("../../locales/en/app.ftl")),
        (Lang::En, "bank", include_str!("../../locales/en/bank.ftl")),
        (Lang::En, "consents", include_str!("../../locales/en/consents.ftl")),
        (Lang::En, "pages", include_str!("../../locales/en/pages.ftl")),
        (Lang::En, "payments", include_str!("../../locales/en/payments.ftl")),
        (Lang::Ar, "app", include_str!("../../locales/ar/app.ftl")),
        (Lang::Ar, "bank", include_str!("../../locales/ar/bank.ftl")),
        (Lang::Ar, "consents", include_str!("../../locales/ar/consents.ftl")),
        (Lang::Ar, "pages", include_str!("../../locales/ar/pages.ftl")),
        (Lang::Ar, "payments", include_str!("../../locales/ar/payments.ftl")),
    ];

    /// One language's messages for the browser. Anything the browser could not fill in the same way
    /// as Fluent (terms, message references, functions, literals) is an error, caught by the tests.
    pub fn compile(lang: Lang) -> Result<Catalogue, String> {
        let mut catalogue = Catalogue::new();
        for (_, area, text) in SOURCES.iter().filter(|(l, _, _)| *l == lang) {
            let resource = fluent_syntax::parser::parse(*text)
                .map_err(|(_, errors)| format!("{}/{area}.ftl: {errors:?}", lang.code()))?;
            for entry in resource.body {
                match entry {
                    ast::Entry::Message(message) => {
                        let id = message.id.name;
                        let value =
                            message.value.ok_or_else(|| format!("{id}: a message without a value"))?;
                        let pattern = pattern(&value).map_err(|e| format!("{id}: {e}"))?;
                        catalogue.insert(id.to_owned(), pattern);
                    }
                    ast::Entry::Term(term) => {
                        return Err(format!("-{}: terms are not supported", term.id.name))
                    }
                    ast::Entry::Junk { content } => return Err(format!("cannot parse: {content}")),
                    _ => {}
                }
            }
        }
        Ok(catalogue)
    }

    fn pattern(p: &ast::Pattern<&str>) -> Result<Pattern, String> {
        let mut parts: Pattern = Vec::new();
        for element in &p.elements {
            let part = match element {
                PatternElement::TextElement { value } => Part::Text((*value).to_owned()),
                PatternElement::Placeable { expression } => match expression {
                    Expression::Inline(InlineExpression::VariableReference { id }) => {
                        Part::Var(id.name.to_owned())
                    }
                    Expression::Select { selector: InlineExpression::VariableReference { id }, variants } => {
                        let mut cases = Vec::new();
                        let mut default = 0;
                        for (i, variant) in variants.iter().enumerate() {
                            let key = match &variant.key {
                                VariantKey::Identifier { name } => (*name).to_owned(),
                                VariantKey::NumberLiteral { value } => (*value).to_owned(),
                            };
                            if variant.default {
                                default = i;
                            }
                            cases.push((key, pattern(&variant.value)?));
                        }
                        Part::Select(Select { on: id.name.to_owned(), cases, default })
                    }
                    other => return Err(format!("unsupported placeable {other:?}")),
                },
            };
            // Neighbouring text joined: fewer parts to send.
            match (parts.last_mut(), part) {
                (Some(Part::Text(before)), Part::Text(text)) => before.push_str(&text),
                (_, part) => parts.push(part),
            }
        }
        Ok(parts)
    }

    /// A language's catalogue as the server sends it: the JSON and the name it is served under, which
    /// carries a hash of the content so browsers may keep it for good.
    pub struct Served {
        pub json: String,
        pub file: String,
    }

    impl Served {
        pub fn for_lang(lang: Lang) -> &'static Served {
            use std::sync::OnceLock;
            static EN: OnceLock<Served> = OnceLock::new();
            static AR: OnceLock<Served> = OnceLock::new();
            let cell = match lang {
                Lang::En => &EN,
                Lang::Ar => &AR,
            };
            cell.get_or_init(|| {
                use sha2::Digest;
                // The files are part of the binary and checked by the tests: they compile.
                let catalogue = compile(lang).expect("the locale files compile for the browser");
                // Sorted, so the same files always give the same bytes and the same name.
                let sorted: std::collections::BTreeMap<_, _> = catalogue.iter().collect();
                let json = serde_json::to_string(&sorted).expect("a catalogue serialises");
                let hash = hex::encode(&sha2::Sha256::digest(json.as_bytes())[..8]);
                Served { file: format!("{}.{hash}.json", lang.code()), json }
            })
        }
    }
}
