use leptos::prelude::*;
use leptos_router::components::{Redirect, A};

use crate::app::UserResource;
use crate::i18n::t;

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
            <h1>{t("home-title")}</h1>
            <p class="lead">{t("home-lead")}</p>
            <div class="hero-actions">
                <A href="/signup" attr:class="button primary">{t("home-create-account")}</A>
                <A href="/signin" attr:class="button ghost">{t("home-sign-in")}</A>
            </div>
            <ol class="steps">
                <li><strong>{t("home-step-sign-up")}</strong>" — "{t("home-step-sign-up-detail")}</li>
                <li><strong>{t("home-step-connect")}</strong>" — "{t("home-step-connect-detail")}</li>
                <li><strong>{t("home-step-live")}</strong>" — "{t("home-step-live-detail")}</li>
            </ol>
        </section>
    }
}
