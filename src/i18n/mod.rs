//! English and Arabic. Every string a person reads comes from the Fluent files under
//! `locales/<lang>/<area>.ftl`. The server reads them with Fluent; the browser gets the page's
//! language compiled from the same files (`catalogue`), so the server's HTML and the hydrated page say
//! the same thing in the same language.
//!
//! The language is chosen per request (the `lang` cookie, else the browser's Accept-Language) and
//! switching it reloads the page: `<html lang dir>` is then right from the first byte, RTL included.

use leptos::prelude::use_context;
use serde::{Deserialize, Serialize};

pub mod catalogue;

pub use catalogue::Arg;

#[cfg(feature = "ssr")]
fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Fluent wraps arguments in bidi isolation marks by default; they leak into copied text and
        // test assertions. Where direction matters the views use <bdi> instead.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages the app speaks; Lean's Link SDK takes the same two codes (REFERENCE §9.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Ar,
}

/// Name of the cookie that remembers the language.
pub const COOKIE: &str = "lang";

#[cfg(feature = "ssr")]
static EN: fluent_templates::LanguageIdentifier = fluent_templates::langid!("en");
#[cfg(feature = "ssr")]
static AR: fluent_templates::LanguageIdentifier = fluent_templates::langid!("ar");

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ar];

    /// The BCP 47 code, also the `language` value for the Link SDK.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ar => "ar",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::En => "ltr",
            Lang::Ar => "rtl",
        }
    }

    /// The language's name in itself, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ar => "العربية",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "ar" => Some(Lang::Ar),
            _ => None,
        }
    }

    /// The first supported language in an Accept-Language header, by order of preference.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranked: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut bits = part.split(';');
                let tag = bits.next()?.trim();
                let primary = tag.split('-').next()?;
                let lang = Lang::parse(primary)?;
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
                    .unwrap_or(1.0);
                Some((q, lang))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|(_, l)| *l)
    }

    #[cfg(feature = "ssr")]
    fn id(self) -> &'static fluent_templates::LanguageIdentifier {
        match self {
            Lang::En => &EN,
            Lang::Ar => &AR,
        }
    }
}

/// The language of the page or server call being handled.
pub fn lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(detect)
}

/// On the server: the `lang` cookie, else Accept-Language, else English.
#[cfg(feature = "ssr")]
fn detect() -> Lang {
    use_context::<axum::http::request::Parts>().map(|p| from_headers(&p.headers)).unwrap_or_default()
}

#[cfg(feature = "ssr")]
pub fn from_headers(headers: &axum::http::HeaderMap) -> Lang {
    let cookie = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix("lang=").and_then(Lang::parse));
    cookie
        .or_else(|| {
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// In the browser: whatever the server rendered into `<html lang>`.
#[cfg(not(feature = "ssr"))]
fn detect() -> Lang {
    leptos::prelude::document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|code| Lang::parse(&code))
        .unwrap_or_default()
}

/// The text for `key` in the current language.
pub fn t(key: &str) -> String {
    lookup(lang(), key, &[])
}

/// The text for `key` with named arguments, e.g. `t_with("bank-accounts-count", &[("count", num(3))])`.
pub fn t_with(key: &str, args: &[(&str, Arg)]) -> String {
    lookup(lang(), key, args)
}

/// A text argument for [`t_with`].
pub fn arg(value: impl ToString) -> Arg {
    Arg::Text(value.to_string())
}

/// A number argument for [`t_with`] (selects plural forms, which Arabic has six of).
pub fn num(value: i64) -> Arg {
    Arg::Num(value)
}

/// On the server: Fluent itself. A missing key shows itself rather than an empty string, and a test
/// keeps the files complete.
#[cfg(feature = "ssr")]
pub fn lookup(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    use std::borrow::Cow;
    use std::collections::HashMap;

    use fluent_templates::fluent_bundle::FluentValue;
    use fluent_templates::Loader;

    let args: Option<HashMap<Cow<'static, str>, FluentValue<'static>>> = (!args.is_empty()).then(|| {
        args.iter()
            .map(|(k, v)| {
                let value = match v {
                    Arg::Text(text) => FluentValue::from(text.clone()),
                    Arg::Num(n) => FluentValue::from(*n),
                };
                (Cow::Owned(k.to_string()), value)
            })
            .collect()
    });
    LOCALES.try_lookup_complete(lang.id(), key, args.as_ref()).unwrap_or_else(|| key.to_owned())
}

/// In the browser: the catalogue the server compiled from the same files (see [`catalogue`]).
#[cfg(not(feature = "ssr"))]
pub fn lookup(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    browser::lookup(lang, key, args)
}

#[cfg(not(feature = "ssr"))]
mod browser;

#[cfg(test)]
mod tests;
