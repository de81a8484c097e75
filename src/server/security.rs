//! Security headers. Pages get a Content-Security-Policy with a per-response nonce (leptos_axum makes
//! one for every server render and puts it on Leptos's own inline scripts), built from the Lean hosts
//! in use: the strict directives Lean publishes for its Link SDK when talking to real Lean, the
//! sandbox's origin when it is embedded. Every response also gets nosniff, a referrer policy and a
//! refusal to be framed.

use axum::http::header::{HeaderName, HeaderValue, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};
use tower_http::set_header::SetResponseHeaderLayer;

/// Sources allowed per directive, besides `'self'`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Csp {
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
    /// Lean's own Link SDK: the "strict directives" from its Web SDK page (the seed document).
    pub fn real_lean(loader_url: &str) -> Csp {
        let mut csp = Csp {
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
        };
        // An overridden loader (e.g. a standalone lean-sandbox) must be allowed too.
        if let Some(origin) = origin_of(loader_url).filter(|o| o != "https://cdn.leantech.me") {
            csp.allow_origin_everywhere(&origin);
        }
        csp
    }

    /// The embedded sandbox serves the loader, the Link UI, its assets and bank logos from one origin.
    pub fn sandbox(origin: &str) -> Csp {
        let mut csp = Csp { img: strings(&["data:"]), ..Csp::default() };
        csp.allow_origin_everywhere(origin);
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
            "default-src 'self'; \
             script-src 'self'{nonce} 'wasm-unsafe-eval'{script}; \
             style-src 'self' 'unsafe-inline'{style}; \
             img-src 'self'{img}; \
             connect-src 'self'{connect}; \
             frame-src 'self'{frame}; \
             font-src 'self'{font}; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
            script = join(&self.script),
            style = join(&self.style),
            img = join(&self.img),
            connect = join(&self.connect),
            frame = join(&self.frame),
            font = join(&self.font),
        )
    }
}

/// Headers for every response. The CSP here is a fallback for non-page responses (API answers, files);
/// pages set their own, with the nonce, first.
pub fn layers() -> (
    SetResponseHeaderLayer<HeaderValue>,
    SetResponseHeaderLayer<HeaderValue>,
    SetResponseHeaderLayer<HeaderValue>,
    SetResponseHeaderLayer<HeaderValue>,
) {
    (
        SetResponseHeaderLayer::overriding(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        SetResponseHeaderLayer::overriding(X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_policy_allows_only_the_sandbox_origin() {
        let h = Csp::sandbox("http://127.0.0.1:4010").header(Some("abc"));
        assert!(h.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval' http://127.0.0.1:4010;"));
        assert!(h.contains("frame-src 'self' http://127.0.0.1:4010;"));
        assert!(h.contains("frame-ancestors 'none'"));
        assert!(!h.contains("leantech"));
    }

    #[test]
    fn real_lean_policy_follows_lean_strict_directives() {
        let h = Csp::real_lean("https://cdn.leantech.me/link/loader/prod/ae/latest/lean-link-loader.min.js")
            .header(None);
        assert!(h.contains(
            "script-src 'self' 'wasm-unsafe-eval' https://cdn.leantech.me https://cdn.segment.com"
        ));
        assert!(h.contains("https://link.sandbox.leantech.me"));
        assert!(h.contains("frame-src 'self' https://cdn.leantech.me data: blob:"));
        let overridden = Csp::real_lean("http://127.0.0.1:4010/link/loader.js").header(None);
        assert!(
            overridden.contains("frame-src 'self' https://cdn.leantech.me data: blob: http://127.0.0.1:4010")
        );
    }
}
