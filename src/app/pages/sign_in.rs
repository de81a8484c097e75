use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::auth::form_error;
use crate::app::components::auth_form::CredentialsForm;
use crate::i18n::t;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let came_back_with = query.with_untracked(|q| q.get("error")).and_then(|c| form_error(&c));
    view! {
        <section class="auth-card">
            <h1>{t("auth-sign-in-title")}</h1>
            <CredentialsForm sign_up=false came_back_with/>
            <p class="muted">{t("auth-new-here")} " " <A href="/signup">{t("auth-create-account-link")}</A></p>
        </section>
    }
}
