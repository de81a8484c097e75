//! lean-merchant: the reference merchant app for Lean's Link SDK.

pub mod api;
pub mod app;
pub mod i18n;
pub mod link_sdk;
pub mod model;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
