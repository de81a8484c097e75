//! Content-Security-Policy for pages. Each page gets a nonce (leptos_axum makes one for every server
//! render and puts it on Leptos's own inline scripts) and the Lean hosts in use: one of the two sets of
//! directives Lean publishes for its Link SDK when talking to real Lean, the sandbox's origin when it
//! is embedded.
//!
//! The header is set by [`page_policy`], a middleware around the whole app, on every HTML response
//! whose render reported its nonce ([`PageNonce`]). It used to be inserted by the page shell through
//! leptos_axum's `ResponseOptions`, which only reach the response if that render's reactive context
//! is the one leptos_axum reads back; a page that arrived without it got the API fallback policy
//! (`default-src 'none'`) and could not load its styles, islands or Lean's loader.

use std::sync::{Arc, OnceLock};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Which of Lean's two published sets of CSP directives pages use with real Lean (`LEAN_CSP`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CspMode {
    /// `*.leantech.me`: what Lean recommends, since its list of hosts may change without notice.
    #[default]
    Relaxed,
    /// Each of Lean's hosts by name: tighter, but a host Lean adds later is blocked until listed.
    Strict,
}

impl CspMode {
    pub fn parse(raw: &str) -> Option<CspMode> {
        match raw {
            "relaxed" => Some(CspMode::Relaxed),
            "strict" => Some(CspMode::Strict),
            _ => None,
        }
    }
}

/// Sources allowed per directive, besides `'self'`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Csp {
    pub default: Vec<String>,
    pub script: Vec<String>,
    pub style: Vec<String>,
    pub img: Vec<String>,
    pub connect: Vec<String>,
    pub frame: Vec<String>,
    pub font: Vec<String>,
}

fn origin_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?;
    let host = rest.1.split('/').next()?;
    Some(format!("{}://{host}", rest.0))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl Csp {
    /// Lean's own Link SDK, with the set of directives `mode` names from Lean's Web SDK page.
    pub fn real_lean(loader_url: &str, mode: CspMode) -> Csp {
        let mut csp = match mode {
            CspMode::Strict => Csp::lean_strict(),
            CspMode::Relaxed => Csp::lean_relaxed(),
        };
        // An overridden loader (e.g. a standalone lean-sandbox) must be allowed too.
        if let Some(origin) = origin_of(loader_url).filter(|o| !csp.script.contains(o)) {
            if !(mode == CspMode::Relaxed && origin.ends_with(".leantech.me")) {
                csp.allow_origin_everywhere(&origin);
            }
        }
        csp
    }

    /// Lean's "strict directives": every host its SDK loads from today, by name.
    fn lean_strict() -> Csp {
        Csp {
            default: strings(&["https://cdn.leantech.me", "data:", "blob:"]),
            script: strings(&["https://cdn.leantech.me", "https://cdn.segment.com", "http://cdn.mxpnl.com"]),
            style: strings(&[
                "https://cdn.leantech.me",
                "https://fonts.googleapis.com",
                "https://cdn.segment.com",
            ]),
            connect: strings(&[
                "blob:",
                "https://apm.ae01.leantech.me",
                "https://apm.sa01.leantech.me",
                "https://link.sandbox.leantech.me",
                "https://link.leantech.me",
                "https://link.sandbox.sa.leantech.me",
                "https://link.sa.leantech.me",
                "https://graphql.contentful.com",
                "https://api.segment.io",
                "https://cdn.segment.com",
                "https://api-js.mixpanel.com",
                "https://cdn.growthbook.io",
            ]),
            img: strings(&[
                "data:",
                "https://cdn.leantech.me",
                "https://images.leantech.me",
                "https://images.sandbox.leantech.me",
                "https://images.sa.leantech.me",
                "https://images.sandbox.sa.leantech.me",
                "https://images.ctfassets.net",
                "http://images.contentful.com",
                "https://graphql.contentful.com",
            ]),
            font: strings(&["https://fonts.gstatic.com"]),
            frame: strings(&["https://cdn.leantech.me", "data:", "blob:"]),
        }
    }

    /// Lean's "relaxed directives": `*.leantech.me` wherever Lean's own hosts appear, plus the
    /// third-party hosts by name. Lean recommends these because its host list "may change without
    /// notice".
    fn lean_relaxed() -> Csp {
        const LEAN: &str = "https://*.leantech.me";
        Csp {
            default: strings(&[LEAN, "data:", "blob:"]),
            script: strings(&[LEAN, "https://cdn.segment.com", "http://cdn.mxpnl.com"]),
            style: strings(&[LEAN, "https://fonts.googleapis.com", "https://cdn.segment.com"]),
            connect: strings(&[
                "blob:",
                LEAN,
                "https://graphql.contentful.com",
                "https://api.segment.io",
                "https://cdn.segment.com",
                "https://api-js.mixpanel.com",
                "https://cdn.growthbook.io",
            ]),
            img: strings(&[
                "data:",
                LEAN,
                "https://images.ctfassets.net",
                "http://images.contentful.com",
                "https://graphql.contentful.com",
            ]),
            font: strings(&["https://fonts.gstatic.com"]),
            frame: strings(&[LEAN, "data:", "blob:"]),
        }
    }

    /// The embedded sandbox serves the loader, the Link UI, its assets and bank logos from one origin.
    pub fn sandbox(origin: &str) -> Csp {
        let mut csp = Csp { img: strings(&["data:"]), ..Csp::default() };
        csp.allow_origin_everywhere(origin);
        csp.default = vec![origin.to_owned(), "data:".into(), "blob:".into()];
        csp
    }

    fn allow_origin_everywhere(&mut self, origin: &str) {
        for list in [&mut self.script, &mut self.style, &mut self.img, &mut self.connect, &mut self.frame] {
            list.push(origin.to_owned());
        }
    }

    /// The header value for one page; `nonce` is the one Leptos put on this page's inline scripts.
    pub fn header(&self, nonce: Option<&str>) -> String {
        let join = |extra: &[String]| extra.iter().map(|s| format!(" {s}")).collect::<String>();
        let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
        format!(
            "default-src 'self'{default}; \
             script-src 'self'{nonce} 'wasm-unsafe-eval'{script}; \
             style-src 'self' 'unsafe-inline'{style}; \
             img-src 'self'{img}; \
             connect-src 'self'{connect}; \
             frame-src 'self'{frame}; \
             font-src 'self'{font}; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
            default = join(&self.default),
            script = join(&self.script),
            style = join(&self.style),
            img = join(&self.img),
            connect = join(&self.connect),
            frame = join(&self.frame),
            font = join(&self.font),
        )
    }
}

/// The nonce of the page being rendered for one request: put in the request's extensions by
/// [`page_policy`], filled in by the page shell (which sees a copy of the request's parts; the slot is
/// shared), read back when the response passes the middleware again.
#[derive(Clone, Debug, Default)]
pub struct PageNonce(Arc<OnceLock<String>>);

impl PageNonce {
    pub fn set(&self, nonce: &str) {
        let _ = self.0.set(nonce.to_owned());
    }
}

/// Middleware: gives each rendered page its policy, with the nonce its render used.
pub async fn page_policy(State(csp): State<Arc<Csp>>, mut req: Request, next: Next) -> Response {
    let slot = PageNonce::default();
    req.extensions_mut().insert(slot.clone());
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if let (true, Some(nonce)) = (html, slot.0.get()) {
        if let Ok(value) = HeaderValue::from_str(&csp.header(Some(nonce))) {
            res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_policy_allows_only_the_sandbox_origin() {
        let h = Csp::sandbox("http://127.0.0.1:4010").header(Some("abc"));
        assert!(h.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval' http://127.0.0.1:4010;"));
        assert!(h.contains("frame-src 'self' http://127.0.0.1:4010;"));
        assert!(h.starts_with("default-src 'self' http://127.0.0.1:4010 data: blob:;"), "{h}");
        assert!(h.contains("frame-ancestors 'none'"));
        assert!(!h.contains("leantech"));
    }

    #[test]
    fn real_lean_policy_follows_lean_strict_directives() {
        let loader = "https://cdn.leantech.me/link/loader/prod/ae/latest/lean-link-loader.min.js";
        let h = Csp::real_lean(loader, CspMode::Strict).header(None);
        assert!(h.starts_with("default-src 'self' https://cdn.leantech.me data: blob:;"), "{h}");
        assert!(h.contains(
            "script-src 'self' 'wasm-unsafe-eval' https://cdn.leantech.me https://cdn.segment.com"
        ));
        assert!(h.contains("https://link.sandbox.leantech.me"));
        assert!(h.contains("frame-src 'self' https://cdn.leantech.me data: blob:"));
        let overridden = Csp::real_lean("http://127.0.0.1:4010/link/loader.js", CspMode::Strict).header(None);
        assert!(
            overridden.contains("frame-src 'self' https://cdn.leantech.me data: blob: http://127.0.0.1:4010")
        );
    }

    #[test]
    fn relaxed_policy_is_lean_wildcard_set() {
        let loader = "https://cdn.leantech.me/link/loader/prod/sa/latest/lean-link-loader.min.js";
        let h = Csp::real_lean(loader, CspMode::Relaxed).header(Some("n"));
        assert!(h.starts_with("default-src 'self' https://*.leantech.me data: blob:;"), "{h}");
        assert!(h.contains("script-src 'self' 'nonce-n' 'wasm-unsafe-eval' https://*.leantech.me https://cdn.segment.com http://cdn.mxpnl.com;"), "{h}");
        assert!(h.contains("frame-src 'self' https://*.leantech.me data: blob:;"), "{h}");
        assert!(!h.contains("link.sandbox.leantech.me"), "no host by name: {h}");
    }
}
