//! Refuses state-changing requests that another site's page made the browser send (cross-site request
//! forgery, including login CSRF).
//!
//! The check is Fetch Metadata with an `Origin` fallback, the same algorithm as Go's
//! `http.CrossOriginProtection` and OWASP's "verifying origin with standard headers":
//! 1. GET, HEAD and OPTIONS change nothing here and pass.
//! 2. `Sec-Fetch-Site` (every current browser sends it): `same-origin` or `none` (typed address,
//!    bookmark) pass; `same-site` and `cross-site` are refused.
//! 3. Without it, an `Origin` header must name this app (its `Host`, or `PUBLIC_URL`).
//! 4. A request with neither header did not come from a current browser's page (curl, Lean, a test),
//!    so no victim's cookies ride on it, and it passes.
//!
//! Written here rather than taken from a crate: no maintained crate implements this check for axum,
//! and token crates would need a hidden field in every form and a session before sign-in.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Paths that other sites may post to: they authenticate the request themselves.
const EXEMPT: &[&str] = &[
    // Lean's webhooks: verified by their HMAC signature.
    "/webhooks/lean",
];

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    CrossOrigin,
}

/// The decision for one request, from its method, path and headers alone.
pub fn judge(method: &Method, path: &str, headers: &HeaderMap, public_origin: Option<&str>) -> Verdict {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) || EXEMPT.contains(&path) {
        return Verdict::Allowed;
    }
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return match site {
            "same-origin" | "none" => Verdict::Allowed,
            _ => Verdict::CrossOrigin,
        };
    }
    let Some(origin) = text(header::ORIGIN) else {
        return Verdict::Allowed;
    };
    let host_matches = origin
        .split_once("://")
        .map(|(_, host)| host)
        .is_some_and(|host| text(header::HOST).is_some_and(|own| own.eq_ignore_ascii_case(host)));
    if host_matches || public_origin.is_some_and(|p| p.eq_ignore_ascii_case(origin)) {
        Verdict::Allowed
    } else {
        Verdict::CrossOrigin
    }
}

/// Middleware: 403 with a plain message (in the reader's language) for a cross-origin request.
pub async fn guard(State(public_origin): State<Option<String>>, req: Request, next: Next) -> Response {
    match judge(req.method(), req.uri().path(), req.headers(), public_origin.as_deref()) {
        Verdict::Allowed => next.run(req).await,
        Verdict::CrossOrigin => {
            tracing::warn!(
                method = %req.method(),
                path = req.uri().path(),
                origin = ?req.headers().get(header::ORIGIN),
                "cross-origin request refused"
            );
            let lang = crate::i18n::from_headers(req.headers());
            let message = crate::i18n::lookup(lang, "error-cross-origin", &[]);
            (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message)
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn browsers_say_where_a_request_comes_from() {
        let post = Method::POST;
        let judge =
            |pairs: &[(&'static str, &'static str)]| judge(&post, "/api/sign_in", &headers(pairs), None);
        assert_eq!(judge(&[("sec-fetch-site", "same-origin")]), Verdict::Allowed);
        assert_eq!(judge(&[("sec-fetch-site", "none")]), Verdict::Allowed);
        assert_eq!(judge(&[("sec-fetch-site", "cross-site")]), Verdict::CrossOrigin);
        assert_eq!(judge(&[("sec-fetch-site", "same-site")]), Verdict::CrossOrigin);
        // Fetch Metadata wins over a matching Origin.
        assert_eq!(
            judge(&[("sec-fetch-site", "cross-site"), ("origin", "http://app.test"), ("host", "app.test")]),
            Verdict::CrossOrigin
        );
        assert_eq!(judge(&[("origin", "http://app.test"), ("host", "app.test")]), Verdict::Allowed);
        assert_eq!(judge(&[("origin", "https://evil.test"), ("host", "app.test")]), Verdict::CrossOrigin);
        assert_eq!(judge(&[("origin", "null"), ("host", "app.test")]), Verdict::CrossOrigin);
        assert_eq!(judge(&[]), Verdict::Allowed, "not a browser page: no cookies of a victim");
    }

    #[test]
    fn reads_and_webhooks_pass() {
        let cross = headers(&[("sec-fetch-site", "cross-site")]);
        assert_eq!(judge(&Method::GET, "/dashboard", &cross, None), Verdict::Allowed);
        assert_eq!(judge(&Method::POST, "/webhooks/lean", &cross, None), Verdict::Allowed);
        assert_eq!(judge(&Method::DELETE, "/api/x", &cross, None), Verdict::CrossOrigin);
    }

    #[test]
    fn the_public_url_is_this_app_behind_a_proxy() {
        let h = headers(&[("origin", "https://shop.example"), ("host", "10.0.0.5:3000")]);
        assert_eq!(judge(&Method::POST, "/api/a", &h, Some("https://shop.example")), Verdict::Allowed);
        assert_eq!(judge(&Method::POST, "/api/a", &h, None), Verdict::CrossOrigin);
    }
}
