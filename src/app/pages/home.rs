use leptos::prelude::*;
use leptos_router::components::{Redirect, A};

use crate::app::UserResource;

#[component]
pub fn HomePage() -> impl IntoView {
    let user = expect_context::<UserResource>();
    view! {
        <Transition fallback=|| ()>
            {move || {
                user.get()
                    .map(|u| match u.ok().flatten() {
                        Some(_) => view! { <Redirect path="/dashboard"/> }.into_any(),
                        None => view! { <Intro/> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn Intro() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>"Link a bank account in under a minute"</h1>
            <p class="lead">
                "lean-merchant shows every step of Lean's open-banking Link SDK: sign in, connect a bank, "
                "and watch the connection arrive live as Lean's signed webhooks come in."
            </p>
            <div class="hero-actions">
                <A href="/signup" attr:class="button primary">"Create an account"</A>
                <A href="/signin" attr:class="button ghost">"Sign in"</A>
            </div>
            <ol class="steps">
                <li><strong>"Sign up"</strong>" — we create your Lean customer."</li>
                <li><strong>"Connect a bank"</strong>" — Lean's Link SDK opens over this page."</li>
                <li><strong>"See it live"</strong>" — the bank appears when Lean's webhook lands."</li>
            </ol>
        </section>
    }
}
