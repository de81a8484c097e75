use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::SignOut;
use crate::app::{AuthVersion, UserResource};

#[component]
pub fn Header() -> impl IntoView {
    let user = expect_context::<UserResource>();
    let auth_version = expect_context::<AuthVersion>();
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if sign_out.version().get() > 0 {
            auth_version.0.update(|v| *v += 1);
        }
    });

    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"L"</span>
                <span>"lean-merchant"</span>
            </A>
            <nav aria-label="Account">
                <Transition fallback=|| ()>
                    {move || {
                        user.get()
                            .map(|u| match u.ok().flatten() {
                                Some(u) => {
                                    view! {
                                        <A href="/dashboard">"Dashboard"</A>
                                        <A href="/payments">"Payments"</A>
                                        {u.is_admin.then(|| view! { <A href="/diagnostics">"Diagnostics"</A> })}
                                        {u.console.then(|| view! { <ConsoleToggle/> })}
                                        {u.sandbox_panel.then(|| view! { <A href="/sandbox">"Sandbox"</A> })}
                                        <span class="who" title="Signed in">{u.email}</span>
                                        <ActionForm action=sign_out attr:class="inline-form">
                                            <button type="submit" class="button ghost">"Sign out"</button>
                                        </ActionForm>
                                    }
                                        .into_any()
                                }
                                None => {
                                    view! {
                                        <A href="/signin">"Sign in"</A>
                                        <A href="/signup" attr:class="button small">"Create account"</A>
                                    }
                                        .into_any()
                                }
                            })
                    }}
                </Transition>
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
            "Console"
        </a>
    }
}
