//! Messages in the browser: the page's language's catalogue, fetched by the JS glue before the islands
//! hydrate, and the browser's plural rules.

use std::cell::OnceCell;

use super::catalogue::{format, Arg, Catalogue};
use super::Lang;

thread_local! {
    static CATALOGUE: OnceCell<Catalogue> = const { OnceCell::new() };
}

/// `lang` picks the plural rules; the words are the page's language, the only one the browser has
/// (every caller passes the page's language, see `i18n::lang`).
pub fn lookup(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    CATALOGUE.with(|cell| {
        let catalogue = cell.get_or_init(load);
        match catalogue.get(key) {
            Some(pattern) => {
                let mut out = String::new();
                format(pattern, args, &|n| plural_category(lang, n), &mut out);
                out
            }
            // As on the server: a missing message shows its id.
            None => key.to_owned(),
        }
    })
}

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    // A module the glue imports before it is evaluated, so its top-level `await` holds the wasm's
    // start (and the islands' hydration) until the messages are here. The page preloads the file
    // (`<link id="messages">`), so in practice it arrives alongside the wasm, not after it.
    #[wasm_bindgen(inline_js = r#"
const link = document.getElementById("messages");
let text = null;
if (link) {
  try {
    const res = await fetch(link.href);
    if (res.ok) text = await res.text();
    else console.error(`messages: ${link.href} answered ${res.status}`);
  } catch (e) {
    console.error(`messages: ${link.href}: ${e}`);
  }
}
export function messages() { return text; }
"#)]
    extern "C" {
        pub fn messages() -> Option<String>;
    }
}

#[cfg(feature = "hydrate")]
fn load() -> Catalogue {
    // Without the file the islands still work and show message ids where words should be; the
    // server's HTML around them is unaffected.
    js::messages().and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
}

#[cfg(not(feature = "hydrate"))]
fn load() -> Catalogue {
    Catalogue::new()
}

/// The CLDR plural category of `n` (`one`, `few`, …) from the browser's `Intl.PluralRules`.
#[cfg(feature = "hydrate")]
fn plural_category(lang: Lang, n: i64) -> String {
    use js_sys::{Array, Intl::PluralRules, Object};
    use wasm_bindgen::JsValue;

    thread_local! {
        static RULES: OnceCell<[PluralRules; 2]> = const { OnceCell::new() };
    }
    RULES.with(|rules| {
        let rules = rules.get_or_init(|| {
            Lang::ALL.map(|l| PluralRules::new(&Array::of1(&JsValue::from_str(l.code())), &Object::new()))
        });
        let index = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        String::from(rules[index].select(n as f64))
    })
}

#[cfg(not(feature = "hydrate"))]
fn plural_category(_: Lang, _: i64) -> String {
    "other".into()
}
