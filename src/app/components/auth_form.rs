use leptos::prelude::*;

use crate::i18n::t;
use crate::model::AppError;

/// The email + password fields shared by sign-up and sign-in, with the server's error shown in words
/// next to the field it is about.
#[component]
pub fn CredentialFields(
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
