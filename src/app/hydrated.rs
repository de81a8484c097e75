//! Only the islands (`#[island]`) of a page run in the browser; the rest is server-rendered HTML. The
//! browser hydrates them one by one once the page is idle, so `<body data-hydrated="true">` is set
//! when every island on the page is live: tests wait for it, and so can a person's script.

/// Called by every island as it starts. Islands see no context from the server-rendered page around
/// them, so the language (read once from `<html lang>`) is provided again here.
pub fn island_started() {
    leptos::prelude::provide_context(crate::i18n::lang());
    #[cfg(feature = "hydrate")]
    leptos::prelude::Effect::new(|_| {
        HYDRATED.with(|n| n.set(n.get() + 1));
        mark_when_done();
    });
}

/// False until the island around the caller is hydrated (so always false in the server's HTML).
/// Buttons that only work with the wasm are sent disabled and enabled here: a click before the page
/// is interactive is never silently lost, and a test's click waits for it.
pub fn use_hydrated() -> leptos::prelude::Signal<bool> {
    use leptos::prelude::*;
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    ready.into()
}

/// Runs `view` as part of the island's hydrated state. Resources are numbered in the order they are
/// created, on the server and again in the browser, to match the data the server sent. An island's
/// own body is numbered that way, but on the server the children of a `Suspense`/`Transition` run
/// later, outside it, so a resource created there (inside a component shown once another resource
/// has loaded) would get a number the browser cannot match: it would load again and fail hydration.
pub fn hydrating<T>(view: impl FnOnce() -> T + 'static) -> T {
    leptos::prelude::Owner::with_hydration(view)
}

/// Called once the wasm has loaded, before the islands hydrate: a page without islands is done.
#[cfg(feature = "hydrate")]
pub fn page_loaded() {
    mark_when_done();
}

#[cfg(feature = "hydrate")]
thread_local! {
    static HYDRATED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

#[cfg(feature = "hydrate")]
fn mark_when_done() {
    let document = leptos::prelude::document();
    let islands = document.query_selector_all("leptos-island").map(|l| l.length()).unwrap_or(0);
    if HYDRATED.with(|n| n.get()) >= islands {
        if let Some(body) = document.body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    }
}
