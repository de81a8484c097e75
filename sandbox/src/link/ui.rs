//! Serves the hand-written loader and Link UI assets (compiled into the binary).

use std::sync::Arc;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use super::{KSA_LOADER_PATH, KSA_V2_BUNDLE_PATH, LOADER_PATH, V2_BUNDLE_PATH};
use crate::app::App;

const LOADER_JS: &str = include_str!("loader.js");
const UI_HTML: &str = include_str!("ui.html");
const UI_JS: &str = include_str!("ui.js");
const UI_CSS: &str = include_str!("ui.css");
const TEST_PAGE: &str = include_str!("test_page.html");

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(LOADER_PATH, get(loader))
        .route(V2_BUNDLE_PATH, get(loader))
        .route(KSA_LOADER_PATH, get(loader))
        .route(KSA_V2_BUNDLE_PATH, get(loader))
        .route("/link/lean-sdk.html", get(page))
        .route("/link/loader/prod/ae/latest/lean-sdk.html", get(page))
        .route("/link/loader/prod/sa/latest/lean-sdk.html", get(page))
        .route("/link/assets/ui.js", get(ui_js))
        .route("/link/assets/ui.css", get(ui_css))
        .route("/sandbox/test-page", get(test_page))
}

/// A plain host page that loads the loader; used by the SDK browser tests and by hand.
async fn test_page() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), NO_CACHE], TEST_PAGE)
}

/// Always revalidate so a rebuilt sandbox never runs against a stale cached UI.
const NO_CACHE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-cache");

async fn loader() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/javascript; charset=utf-8"),
            NO_CACHE,
            // Lets merchant pages load the script with crossorigin="anonymous" / SRI.
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        LOADER_JS,
    )
}

async fn page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            NO_CACHE,
            (header::REFERRER_POLICY, "no-referrer"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors *",
            ),
        ],
        UI_HTML,
    )
}

async fn ui_js() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/javascript; charset=utf-8"), NO_CACHE], UI_JS)
}

async fn ui_css() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), NO_CACHE], UI_CSS)
}
