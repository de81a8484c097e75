//! The app's defences, each a layer or a check with one job: the page policy ([`csp`]), the refusal of
//! cross-site state changes ([`cross_origin`]), who the client is behind a proxy ([`client`]), and
//! sign-in throttling ([`throttle`]). README's *Security* section says what each defends against.

pub mod client;
pub mod cross_origin;
pub mod csp;
pub mod throttle;

use axum::http::header::{HeaderName, HeaderValue, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};
use tower_http::set_header::SetResponseHeaderLayer;

pub use csp::{page_policy, Csp, CspMode, PageNonce};

/// The most a request body may hold. Server functions take a few short fields and Lean's webhooks
/// are a few kilobytes; anything larger is refused (413) before it is read into memory.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

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
