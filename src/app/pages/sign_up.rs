use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::SignUp;
use crate::app::components::auth_form::CredentialFields;
use crate::app::AuthVersion;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let auth_version = expect_context::<AuthVersion>();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            auth_version.0.update(|v| *v += 1);
        }
    });
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="auth-card">
            <h1>"Create your account"</h1>
            <p class="muted">"You'll connect a sandbox bank next. No real bank details are needed."</p>
            <ActionForm action=action>
                <CredentialFields error password_autocomplete="new-password"
                    pending=action.pending().into() submit_label="Create account"/>
            </ActionForm>
            <p class="muted">"Already have an account? " <A href="/signin">"Sign in"</A></p>
        </section>
    }
}
