//! UI shared by server rendering and hydration.

mod components;
pub mod live;
mod pages;
mod routes;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, ParamSegment, SsrMode, StaticSegment};

use crate::api::fetch_current_user;
use crate::i18n::t;
use components::header::Header;
use pages::{dashboard::DashboardPage, not_found::NotFound};

/// The HTML document. The Link SDK loader is loaded with the page, as Lean advises, so it is warm by
/// the time a flow starts.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let loader_url = {
        let public = use_context::<crate::server::state::PublicConfig>();
        if let (Some(public), Some(res)) = (&public, use_context::<leptos_axum::ResponseOptions>()) {
            let nonce = leptos::nonce::use_nonce();
            if let Ok(value) = axum::http::HeaderValue::from_str(&public.csp.header(nonce.as_deref())) {
                res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
            }
        }
        public.map(|p| p.loader_url)
    };
    #[cfg(not(feature = "ssr"))]
    let loader_url: Option<String> = None;
    let lang = crate::i18n::lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() dir=lang.dir()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {loader_url.map(|src| view! { <script src=src nonce=leptos::nonce::use_nonce()></script> })}
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Bumped after sign-in and sign-out so everything that shows the user reloads it.
#[derive(Clone, Copy)]
pub struct AuthVersion(pub RwSignal<u32>);

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Worked out once per page: from the request on the server, from <html lang> in the browser.
    provide_context(crate::i18n::lang());
    let auth_version = AuthVersion(RwSignal::new(0));
    provide_context(auth_version);
    let user = Resource::new(move || auth_version.0.get(), |_| fetch_current_user());
    provide_context(user);

    // Tests (and people) can tell when the page has become interactive.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

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
                    // Only the dashboard is in the main bundle; every other page is a chunk of its own,
                    // loaded when it is first shown (see `routes`).
                    <Route path=StaticSegment("") view={Lazy::<routes::Home>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("signup") view={Lazy::<routes::SignUp>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("signin") view={Lazy::<routes::SignIn>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("dashboard") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("banks"), ParamSegment("id")) view={Lazy::<routes::Bank>::new()}
                        ssr=SsrMode::Async/>
                    <Route path=StaticSegment("payments") view={Lazy::<routes::Payments>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("consents") view={Lazy::<routes::Consents>::new()} ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("open-finance"), StaticSegment("success"))
                        view={Lazy::<routes::OpenFinance>::new()} ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("open-finance"), StaticSegment("fail"))
                        view={Lazy::<routes::OpenFinance>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("diagnostics") view={Lazy::<routes::Diagnostics>::new()}
                        ssr=SsrMode::Async/>
                    <Route path=StaticSegment("console") view={Lazy::<routes::Console>::new()} ssr=SsrMode::Async/>
                    <Route path=StaticSegment("sandbox") view={Lazy::<routes::SandboxPanel>::new()}
                        ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="footer">{t("footer-note")}</footer>
        </Router>
    }
}

/// The user resource provided by `App`.
pub type UserResource = Resource<Result<Option<crate::model::CurrentUser>, crate::model::AppError>>;
