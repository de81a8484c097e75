//! The UI. The server renders every page; only the islands (`#[island]`: live lists, SDK launches,
//! forms that answer in place) are compiled to wasm and hydrated in the browser.

mod components;
pub mod hydrated;
mod launch;
pub mod live;
mod pages;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

use crate::api::fetch_current_user;
use crate::i18n::t;
use components::header::Header;
use pages::bank::BankPage;
use pages::connect::ConnectPage;
use pages::consents::ConsentsPage;
use pages::console::ConsolePage;
use pages::dashboard::DashboardPage;
use pages::diagnostics::DiagnosticsPage;
use pages::home::HomePage;
use pages::not_found::NotFound;
use pages::open_finance::OpenFinancePage;
use pages::payments::PaymentsPage;
use pages::sandbox_panel::SandboxPanelPage;
use pages::sign_in::SignInPage;
use pages::sign_up::SignUpPage;

/// The HTML document. The Link SDK loader is loaded with the page, as Lean advises, so it is warm by
/// the time a flow starts; `defer` keeps it from blocking the page's rendering, and, being before the
/// hydration module script (module scripts are deferred too, and deferred scripts run in document
/// order), it has run before any island can launch a flow.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let loader_url = {
        // The page's policy is set on the response by `security::page_policy`, with this nonce.
        let slot = use_context::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<crate::server::security::PageNonce>().cloned());
        if let (Some(slot), Some(nonce)) = (slot, leptos::nonce::use_nonce()) {
            slot.set(&nonce);
        }
        use_context::<crate::server::state::PublicConfig>().map(|p| p.loader_url)
    };
    #[cfg(not(feature = "ssr"))]
    let loader_url: Option<String> = None;
    let lang = crate::i18n::lang();
    // The islands' words in this page's language, fetched alongside the wasm (`i18n::catalogue`).
    #[cfg(feature = "ssr")]
    let messages = format!("/i18n/{}", crate::i18n::catalogue::Served::for_lang(lang).file);
    #[cfg(not(feature = "ssr"))]
    let messages = String::new();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() dir=lang.dir()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {loader_url.map(|src| view! { <script src=src defer=true nonce=leptos::nonce::use_nonce()></script> })}
                <AutoReload options=options.clone()/>
                <link rel="preload" id="messages" href=messages r#as="fetch" crossorigin="anonymous"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Worked out once per page: from the request on the server, from <html lang> in the browser.
    provide_context(crate::i18n::lang());
    let user = Resource::new(|| (), |_| fetch_current_user());
    provide_context(user);

    view! {
        <Stylesheet id="leptos" href="/pkg/lean-merchant.css"/>
        <Title text="lean-merchant"/>
        <Router>
            <a class="skip-link" href="#main">{t("skip-to-content")}</a>
            <Header/>
            <main id="main" class="page">
                // Every page is rendered whole before it is sent (async SSR): it reads completely without
                // JavaScript, a refusal is a real 403 and a missing page a real 404.
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("signup") view=SignUpPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("signin") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("dashboard") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("connect") view=ConnectPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("banks"), ParamSegment("id")) view=BankPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("payments") view=PaymentsPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("consents") view=ConsentsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("open-finance"), StaticSegment("success")) view=OpenFinancePage
                        ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("open-finance"), StaticSegment("fail")) view=OpenFinancePage
                        ssr=SsrMode::Async/>
                    <Route path=StaticSegment("diagnostics") view=DiagnosticsPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("console") view=ConsolePage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("sandbox") view=SandboxPanelPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="footer">{t("footer-note")}</footer>
        </Router>
    }
}

/// The user resource provided by `App`.
pub type UserResource = Resource<Result<Option<crate::model::CurrentUser>, crate::model::AppError>>;
