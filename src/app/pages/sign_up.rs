use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::auth::form_error;
use crate::api::SignUp;
use crate::app::components::auth_form::CredentialFields;
use crate::i18n::t;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    // Server-rendered, no island: the form posts, the server signs in and sends the browser to the
    // dashboard, or back here with `?error=<code>` (see `form_error`). It works the same without JavaScript.
    let query = use_query_map();
    let came_back_with = query.with_untracked(|q| q.get("error")).and_then(|c| form_error(&c));
    let error = Signal::derive(move || came_back_with.clone());
    view! {
        <section class="auth-card">
            <h1>{t("auth-sign-up-title")}</h1>
            <p class="muted">{t("auth-sign-up-intro")}</p>
            <ActionForm action=action>
                <CredentialFields error password_autocomplete="new-password"
                    pending=action.pending().into() submit_label=t("auth-sign-up-submit")/>
            </ActionForm>
            <p class="muted">{t("auth-have-account")} " " <A href="/signin">{t("auth-sign-in-link")}</A></p>
        </section>
    }
}
