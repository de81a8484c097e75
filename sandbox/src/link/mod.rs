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
/// The KSA loader (REFERENCE §1.4). Launched from it, Link lists the Saudi banks only.
pub const KSA_LOADER_PATH: &str = "/link/loader/prod/sa/latest/lean-link-loader.min.js";
/// The direct v2 bundle path from Lean's Postman demos; same script here.
pub const V2_BUNDLE_PATH: &str = "/link/sdk/web/v2/prod/ae/latest/Lean.min.js";
pub const KSA_V2_BUNDLE_PATH: &str = "/link/sdk/web/v2/prod/sa/latest/Lean.min.js";

/// Lean's two regions, each with its own loader.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Region {
    /// The UAE (`ae`).
    #[default]
    Uae,
    /// Saudi Arabia (`sa`).
    Ksa,
}

impl Region {
    /// `ae` or `sa`, as in Lean's URLs and the `LEAN_REGION` setting.
    pub fn parse(code: &str) -> Option<Region> {
        match code.trim() {
            "ae" => Some(Region::Uae),
            "sa" => Some(Region::Ksa),
            _ => None,
        }
    }

    pub fn loader_path(self) -> &'static str {
        match self {
            Region::Uae => LOADER_PATH,
            Region::Ksa => KSA_LOADER_PATH,
        }
    }
}

pub fn routes() -> Router<Arc<App>> {
    Router::new().merge(ui::routes()).merge(api::routes()).merge(payments_api::routes())
}
