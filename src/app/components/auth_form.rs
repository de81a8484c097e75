use leptos::prelude::*;

use crate::api::{SignIn, SignUp};
use crate::i18n::t;
use crate::model::AppError;

/// The sign-up or sign-in form, an island (a wasm chunk of its own): it says "Please wait" while the
/// server checks and shows a refusal in place. Before hydration, or without JavaScript, it posts like
/// any form: the server signs in and sends the browser to the dashboard, or back to the page with
/// `?error=<code>` (see `form_error`), which the page hands in as `came_back_with`.
#[island(lazy)]
pub fn CredentialsForm(sign_up: bool, came_back_with: Option<AppError>) -> impl IntoView {
    crate::app::hydrated::island_started();
    // Two server functions, so two action types; the fields are the same.
    if sign_up {
        let action = ServerAction::<SignUp>::new();
        let fields = fields(action.value(), action.pending(), came_back_with, true);
        view! { <ActionForm action>{fields}</ActionForm> }.into_any()
    } else {
        let action = ServerAction::<SignIn>::new();
        let fields = fields(action.value(), action.pending(), came_back_with, false);
        view! { <ActionForm action>{fields}</ActionForm> }.into_any()
    }
}

fn fields(
    answer: MappedSignal<Option<Result<(), AppError>>>,
    pending: Memo<bool>,
    came_back_with: Option<AppError>,
    sign_up: bool,
) -> impl IntoView {
    let error = Signal::derive(move || match answer.get() {
        Some(result) => result.err(),
        None => came_back_with.clone(),
    });
    let (autocomplete, label) = if sign_up {
        ("new-password", t("auth-sign-up-submit"))
    } else {
        ("current-password", t("auth-sign-in-submit"))
    };
    view! { <CredentialFields error password_autocomplete=autocomplete pending=pending.into() submit_label=label/> }
}

/// The email + password fields shared by sign-up and sign-in, with the server's error shown in words
/// next to the field it is about.
#[component]
fn CredentialFields(
    error: Signal<Option<AppError>>,
    #[prop(into)] password_autocomplete: String,
    pending: Signal<bool>,
    #[prop(into)] submit_label: String,
) -> impl IntoView {
    let field_error = move |field: &'static str| {
        move || match error.get() {
            Some(AppError::Invalid { field: f, message }) if f == field => Some(message),
            _ => None,
        }
    };
    let general_error = move || match error.get() {
        Some(AppError::Invalid { field, .. }) if field == "email" || field == "password" => None,
        Some(e) => Some(e.localized()),
        None => None,
    };
    view! {
        <div class="field">
            <label for="email">{t("auth-email")}</label>
            <input id="email" name="email" type="email" autocomplete="email" required dir="ltr"
                aria-describedby="email-error"/>
            <p id="email-error" class="field-error" role="alert">{field_error("email")}</p>
        </div>
        <div class="field">
            <label for="password">{t("auth-password")}</label>
            <input id="password" name="password" type="password" autocomplete=password_autocomplete required
                minlength="8" aria-describedby="password-error"/>
            <p id="password-error" class="field-error" role="alert">{field_error("password")}</p>
        </div>
        <p class="form-error" role="alert" data-testid="form-error">{general_error}</p>
        <button type="submit" class="button primary wide" disabled=move || pending.get()>
            {move || if pending.get() { t("auth-please-wait") } else { submit_label.clone() }}
        </button>
    }
}
