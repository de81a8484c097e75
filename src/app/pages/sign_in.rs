use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::SignIn;
use crate::app::components::auth_form::CredentialFields;
use crate::app::AuthVersion;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let auth_version = expect_context::<AuthVersion>();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            auth_version.0.update(|v| *v += 1);
        }
    });
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="auth-card">
            <h1>"Sign in"</h1>
            <ActionForm action=action>
                <CredentialFields error password_autocomplete="current-password"
                    pending=action.pending().into() submit_label="Sign in"/>
            </ActionForm>
            <p class="muted">"New here? " <A href="/signup">"Create an account"</A></p>
        </section>
    }
}
