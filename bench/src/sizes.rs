//! What a browser downloads for the dashboard besides the HTML: the wasm, its JS glue and the CSS,
//! raw and compressed as a server or CDN would send them. Lean's loader script is not ours and is
//! left out (as Plaid's is left out of the Pattern figure).
//!
//! The build is split (`cargo leptos build --split`): only the islands hydrate, and every island but
//! the dashboard's is lazy, its code in wasm chunks fetched where that island is on the page. So the
//! files counted are the ones the dashboard's HTML points at under `/pkg/` (the JS module, the wasm,
//! the stylesheet and anything it preloads), the JS modules those import, and the chunks of every lazy
//! island on the page (which nothing in the HTML names), not everything in the folder.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};

#[derive(Default)]
pub struct Sizes {
    pub files: Vec<(String, usize, usize, usize)>,
}

impl Sizes {
    pub fn total(&self) -> (usize, usize, usize) {
        self.files.iter().fold((0, 0, 0), |a, f| (a.0 + f.1, a.1 + f.2, a.2 + f.3))
    }
}

/// `dashboard_html` is the dashboard as the server sends it to a signed-in user; `served` holds the
/// files it names that the app serves itself (see [`served_refs`]), as fetched from it.
pub fn measure(site: &Path, dashboard_html: &str, served: &[(String, Vec<u8>)]) -> Result<Sizes> {
    let pkg = site.join("pkg");
    let names = first_load(&pkg, dashboard_html)?;
    if !names.iter().any(|n| n.ends_with(".wasm")) {
        bail!(
            "the dashboard's HTML points at no wasm under /pkg/ (run `cargo leptos build --release --split`)"
        );
    }
    let mut sizes = Sizes::default();
    let files = names
        .into_iter()
        .map(|name| {
            let raw = std::fs::read(pkg.join(&name)).with_context(|| format!("read pkg/{name}"))?;
            Ok((name, raw))
        })
        .chain(served.iter().map(|(path, raw)| Ok((path.clone(), raw.clone()))))
        .collect::<Result<Vec<_>>>()?;
    for (name, raw) in files {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw)?;
        let gz = gz.finish()?;
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
            w.write_all(&raw)?;
        }
        sizes.files.push((name, raw.len(), gz.len(), br.len()));
    }
    Ok(sizes)
}

/// The `/pkg/` files the page refers to, then, transitively, the modules their JS imports.
fn first_load(pkg: &Path, html: &str) -> Result<BTreeSet<String>> {
    let mut found: BTreeSet<String> = pkg_refs(html).into_iter().collect();
    found.extend(lazy_island_chunks(pkg, html)?);
    let mut queue: Vec<String> = found.iter().filter(|n| n.ends_with(".js")).cloned().collect();
    while let Some(js) = queue.pop() {
        let text = std::fs::read_to_string(pkg.join(&js)).with_context(|| format!("read pkg/{js}"))?;
        // Relative to the importing module's folder.
        let dir = js.rsplit_once('/').map(|(d, _)| format!("{d}/")).unwrap_or_default();
        for import in js_imports(&text) {
            let import = format!("{dir}{import}");
            if found.insert(import.clone()) {
                queue.push(import);
            }
        }
    }
    Ok(found)
}

/// The files under `/i18n/` the page names (its language's messages, which the JS glue fetches before
/// the islands start): the app serves them, so they are fetched from it, not read from `pkg/`.
pub fn served_refs(html: &str) -> Vec<String> {
    html.match_indices("/i18n/")
        .filter_map(|(at, _)| {
            let rest = &html[at..];
            let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || "/._-".contains(c)))? + 1;
            let path = &rest[..end];
            path.ends_with(".json").then(|| path.to_owned())
        })
        .collect()
}

/// `/pkg/NAME.{js,wasm,css}` wherever it appears in the HTML (links, the hydration script).
fn pkg_refs(html: &str) -> Vec<String> {
    html.match_indices("/pkg/")
        .filter_map(|(at, _)| {
            let rest = &html[at + "/pkg/".len()..];
            let end =
                rest.find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c))).unwrap_or(rest.len());
            let name = &rest[..end];
            [".js", ".wasm", ".css"].iter().any(|ext| name.ends_with(ext)).then(|| name.to_owned())
        })
        .collect()
}

/// The wasm files a lazy island loads before it hydrates: the split manifest lists them under the
/// island's loader (`payments_loader_<hash>` for the island `Payments`).
fn lazy_island_chunks(pkg: &Path, html: &str) -> Result<BTreeSet<String>> {
    let path = pkg.join("__wasm_split_manifest.json");
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(BTreeSet::new()) };
    let manifest: BTreeMap<String, Vec<String>> =
        serde_json::from_str(&text).with_context(|| format!("parse {}", path.display()))?;
    let mut files = BTreeSet::new();
    for island in island_names(html) {
        let loader = format!("{}_loader_", snake_case(&island));
        for (split, chunks) in &manifest {
            if split.starts_with(&loader) {
                files.extend(chunks.iter().map(|c| format!("{c}.wasm")));
            }
        }
    }
    Ok(files)
}

/// The components of the islands on the page (`<leptos-island data-component="Payments_123…">`).
fn island_names(html: &str) -> Vec<String> {
    let key = "data-component=\"";
    html.match_indices(key)
        .filter_map(|(at, _)| {
            let rest = &html[at + key.len()..];
            let id = &rest[..rest.find('"')?];
            // The component's name, then `_` and a hash of its source.
            Some(id.rsplit_once('_').map_or(id, |(name, _)| name).to_owned())
        })
        .collect()
}

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Relative modules a JS file imports statically (`from"./x.js"`, `import "./x.js"`), minified or not,
/// in its folder or below it (wasm-bindgen's `./snippets/…`).
fn js_imports(js: &str) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let opener = format!("{quote}./");
        for (at, _) in js.match_indices(&opener) {
            let before = js[..at].trim_end();
            if !(before.ends_with("from") || before.ends_with("import")) {
                continue;
            }
            let rest = &js[at + opener.len()..];
            if let Some(end) = rest.find(quote) {
                let name = &rest[..end];
                if name.ends_with(".js") && !name.split('/').any(|p| p == ".." || p.is_empty()) {
                    out.push(name.to_owned());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_files_a_page_points_at() {
        let html = r#"<link rel="modulepreload" href="/pkg/app.js"><link rel="preload" href="/pkg/app.wasm" as="fetch">
            <link rel="stylesheet" id="leptos" href="/pkg/app.css"><script>x("", "pkg", "app", "app")</script>"#;
        assert_eq!(pkg_refs(html), ["app.js", "app.wasm", "app.css"]);
    }

    #[test]
    fn finds_the_messages_the_app_serves() {
        let html = r#"<link rel="preload" id="messages" href="/i18n/ar.0123abcd.json" as="fetch"><a href="/i18n/">x</a>"#;
        assert_eq!(served_refs(html), ["/i18n/ar.0123abcd.json"]);
    }

    #[test]
    fn finds_the_chunks_of_lazy_islands() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("__wasm_split_manifest.json"),
            r#"{"catch_up_button_loader_42": ["chunk_8", "split_catch_up_button_loader_42"], "bank_loader_7": ["chunk_9"]}"#,
        )
        .unwrap();
        let html = r#"<leptos-island data-component="CatchUpButton_123"><button></button></leptos-island>
            <leptos-island data-component="Dashboard_9"></leptos-island>"#;
        let found = lazy_island_chunks(dir.path(), html).unwrap();
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            ["chunk_8.wasm", "split_catch_up_button_loader_42.wasm"]
        );
    }

    #[test]
    fn follows_static_imports_only() {
        let js = r#"import*as n from"./__wasm_split.abc.js";import { a } from './b.js';const c=import("./lazy.js");import{m}from"./snippets/x-1/inline0.js";import "./../up.js";"#;
        let mut found = js_imports(js);
        found.sort();
        assert_eq!(found, ["__wasm_split.abc.js", "b.js", "snippets/x-1/inline0.js"]);
    }
}
