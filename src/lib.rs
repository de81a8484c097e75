//! lean-merchant: the reference merchant app for Lean's Link SDK.
// Leptos views are deeply nested types; release builds of the larger pages need more room.
#![recursion_limit = "256"]

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
    // Waits for the chunk of a lazily loaded page before hydrating it (see `app::routes`).
    leptos::mount::hydrate_lazy(app::App);
}
