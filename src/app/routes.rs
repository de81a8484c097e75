//! Pages the browser loads on demand. Each type here is a route whose view is compiled into a wasm
//! chunk of its own (`cargo leptos build --split`), fetched the first time the page is shown, so the
//! dashboard's first load does not carry the code of every other page. The server renders them like
//! any other route; hydration waits for the chunk (`hydrate_lazy`).

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use super::pages::bank::BankPage;
use super::pages::consents::ConsentsPage;
use super::pages::console::ConsolePage;
use super::pages::diagnostics::DiagnosticsPage;
use super::pages::home::HomePage;
use super::pages::open_finance::OpenFinancePage;
use super::pages::payments::PaymentsPage;
use super::pages::sandbox_panel::SandboxPanelPage;
use super::pages::sign_in::SignInPage;
use super::pages::sign_up::SignUpPage;

/// A lazily loaded route that only wraps a page component; it loads no data of its own (the pages
/// fetch through resources, which the server has already resolved into the HTML).
macro_rules! lazy_page {
    ($($(#[$doc:meta])* $route:ident => $page:ident;)*) => {$(
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(this: Self) -> AnyView {
                let _ = this;
                view! { <$page/> }.into_any()
            }
        }
    )*};
}

lazy_page! {
    /// `/` for visitors who are not signed in (signed-in ones are sent to the dashboard).
    Home => HomePage;
    SignUp => SignUpPage;
    SignIn => SignInPage;
    Bank => BankPage;
    Payments => PaymentsPage;
    Consents => ConsentsPage;
    /// Both `/open-finance/success` and `/open-finance/fail`.
    OpenFinance => OpenFinancePage;
    Diagnostics => DiagnosticsPage;
    Console => ConsolePage;
    SandboxPanel => SandboxPanelPage;
}
