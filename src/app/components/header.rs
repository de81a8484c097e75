use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::SignOut;
use crate::app::UserResource;
use crate::i18n::{lang, t, Lang};

#[component]
pub fn Header() -> impl IntoView {
    let user = expect_context::<UserResource>();
    // Server-rendered: signing out posts the form and the server sends the browser on.
    let sign_out = ServerAction::<SignOut>::new();

    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"L"</span>
                <span>"lean-merchant"</span>
            </A>
            <nav aria-label=t("nav-account")>
                <Transition fallback=|| ()>
                    {move || {
                        user.get()
                            .map(|u| match u.ok().flatten() {
                                Some(u) => {
                                    view! {
                                        <A href="/dashboard">{t("nav-dashboard")}</A>
                                        <A href="/payments">{t("nav-payments")}</A>
                                        <A href="/consents">{t("nav-consents")}</A>
                                        {u.is_admin.then(|| view! { <A href="/diagnostics">{t("nav-diagnostics")}</A> })}
                                        {u.console.then(|| view! { <ConsoleToggle/> })}
                                        {u.sandbox_panel.then(|| view! { <A href="/sandbox">{t("nav-sandbox")}</A> })}
                                        <span class="who" title=t("nav-signed-in")>{u.email.clone()}</span>
                                        <ActionForm action=sign_out attr:class="inline-form">
                                            // The address is hidden on narrower screens; the button still says whose session ends.
                                            <button type="submit" class="button ghost"
                                                title=format!("{}: {}", t("nav-signed-in"), u.email)>
                                                {t("nav-sign-out")}
                                            </button>
                                        </ActionForm>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <A href="/signin">{t("nav-sign-in")}</A>
                                        <A href="/signup" attr:class="button small">{t("nav-create-account")}</A>
                                    }
                                        .into_any()
                                }
                            })
                    }}
                </Transition>
                <LanguageSwitch/>
            </nav>
        </header>
    }
}

/// Opens the developer console; on the console, goes back to where you were.
#[component]
fn ConsoleToggle() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let on_console = move || location.pathname.get() == "/console";
    view! {
        <a href=move || if on_console() { "/dashboard" } else { "/console" }
            class=move || if on_console() { "console-toggle on" } else { "console-toggle" }
            aria-pressed=move || if on_console() { "true" } else { "false" }
            role="button" data-testid="console-toggle">
            {t("nav-console")}
        </a>
    }
}

/// A plain link to the other language: the server remembers the choice and sends the reader back
/// to the same page, now rendered in that language and direction (works before hydration too).
#[component]
fn LanguageSwitch() -> impl IntoView {
    let current = lang();
    let other = if current == Lang::Ar { Lang::En } else { Lang::Ar };
    let location = leptos_router::hooks::use_location();
    let href = move || {
        // `search` comes without its '?'.
        let search = location.search.get();
        let back = if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        };
        format!("/lang/{}?back={}", other.code(), urlencoding::encode(&back))
    };
    view! {
        <a href=href rel="external" class="lang-switch" hreflang=other.code() lang=other.code()
            title=t("lang-switch-to") data-testid="lang-switch">
            {other.native_name()}
        </a>
    }
}
