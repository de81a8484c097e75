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
    // Islands mode: only the `#[island]` components are hydrated; each page's other parts stay the
    // server's HTML. The islands of pages other than the dashboard are wasm chunks of their own
    // (`#[island(lazy)]`, `cargo leptos build --split`), fetched where such an island is on the page.
    leptos::mount::hydrate_islands();
    app::hydrated::page_loaded();
}
