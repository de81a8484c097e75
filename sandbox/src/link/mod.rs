//! The Link SDK: the loader script merchants embed, the hosted Link UI page it frames,
//! and the sandbox-internal endpoints that page calls.

mod api;
pub(crate) mod flow;
mod payments_api;
mod ui;

use std::sync::Arc;

use axum::Router;

use crate::app::App;

/// Where Lean's CDN serves the UAE loader; the sandbox mirrors the path on its own origin.
pub const LOADER_PATH: &str = "/link/loader/prod/ae/latest/lean-link-loader.min.js";
/// The direct v2 bundle path from Lean's Postman demos; same script here.
pub const V2_BUNDLE_PATH: &str = "/link/sdk/web/v2/prod/ae/latest/Lean.min.js";

pub fn routes() -> Router<Arc<App>> {
    Router::new().merge(ui::routes()).merge(api::routes()).merge(payments_api::routes())
}
