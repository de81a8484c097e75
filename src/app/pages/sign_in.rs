use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::auth::form_error;
use crate::api::SignIn;
use crate::app::components::auth_form::CredentialFields;
use crate::i18n::t;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    // Server-rendered, no island: the form posts, the server signs in and sends the browser to the
    // dashboard, or back here with `?error=<code>` (see `form_error`). It works the same without JavaScript.
    let query = use_query_map();
    let came_back_with = query.with_untracked(|q| q.get("error")).and_then(|c| form_error(&c));
    let error = Signal::derive(move || came_back_with.clone());
    view! {
        <section class="auth-card">
            <h1>{t("auth-sign-in-title")}</h1>
            <ActionForm action=action>
                <CredentialFields error password_autocomplete="current-password"
                    pending=action.pending().into() submit_label=t("auth-sign-in-submit")/>
            </ActionForm>
            <p class="muted">{t("auth-new-here")} " " <A href="/signup">{t("auth-create-account-link")}</A></p>
        </section>
    }
}
