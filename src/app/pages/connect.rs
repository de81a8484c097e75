//! /connect: `Lean.connect` with every optional field Lean documents, each with a control and a
//! line saying what it does. The dashboard's button connects with none of them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;

use crate::api::{fetch_connect_choices, fetch_current_user, launch_connect_with};
use crate::app::components::flow_outcome::FlowOutcomeView;
use crate::app::components::form_errors::{field_message, general_message};
use crate::app::launch::launch;
use crate::i18n::{arg, t, t_with};
use crate::link_sdk::Launch;
use crate::model::connect::{MAX_END_USER_ID_CHARS, MAX_METADATA_CHARS};
use crate::model::{bank_name_shown, AppError, ConnectChoices, FlowOutcome};

#[component]
pub fn ConnectPage() -> impl IntoView {
    let user = Resource::new(|| (), |_| fetch_current_user());
    let choices = Resource::new(|| (), |_| fetch_connect_choices());
    view! {
        <p><a href="/dashboard">{t("connect-back")}</a></p>
        <h1>{t("connect-title")}</h1>
        <p class="muted">{t("connect-lead")}</p>
        <Transition fallback=|| view! { <p class="muted">{t("loading")}</p> }>
            {move || match (user.get(), choices.get()) {
                (Some(Ok(None)) | Some(Err(AppError::SignInRequired)), _) => {
                    Some(view! { <Redirect path="/signin"/> }.into_any())
                }
                (Some(Ok(Some(_))), Some(Ok(choices))) => Some(view! { <ConnectOptionsForm choices/> }.into_any()),
                (Some(Err(e)), _) | (_, Some(Err(e))) => {
                    Some(view! { <p class="form-error" role="alert">{e.localized()}</p> }.into_any())
                }
                _ => None,
            }}
        </Transition>
    }
}

/// The island (a wasm chunk of its own): the options, checked on the server, then Lean's dialog.
#[island(lazy)]
fn ConnectOptionsForm(choices: ConnectChoices) -> impl IntoView {
    crate::app::hydrated::island_started();
    let ready = crate::app::hydrated::use_hydrated();
    let bank = RwSignal::new(String::new());
    let account_type = RwSignal::new(String::new());
    let access_from = RwSignal::new(String::new());
    let access_to = RwSignal::new(String::new());
    let explain = RwSignal::new(false);
    let end_user_id = RwSignal::new(String::new());
    let metadata = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let outcome = RwSignal::new(None::<FlowOutcome>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        outcome.set(None);
        spawn_local(async move {
            let config = launch_connect_with(
                bank.get_untracked(),
                account_type.get_untracked(),
                access_from.get_untracked(),
                access_to.get_untracked(),
                explain.get_untracked(),
                end_user_id.get_untracked(),
                metadata.get_untracked(),
            );
            match launch(config, Launch::connect_with, |_, _| ()).await {
                Ok(o) => outcome.set(Some(o)),
                Err(crate::app::launch::LaunchError::Config(e)) => error.set(Some(e)),
                Err(e) => error.set(Some(AppError::invalid("general", e.localized()))),
            }
            busy.set(false);
        });
    };
    let field = move |name: &'static str| move || field_message(error.get(), name);
    let brand = choices.destination_alias.clone();
    view! {
        <form class="card-form connect-options" on:submit=submit data-testid="connect-options" novalidate>
            <div class="field">
                <label for="connect-bank">{t("connect-bank")}</label>
                <select id="connect-bank" data-testid="connect-option-bank" aria-describedby="connect-bank-help connect-bank-error"
                    on:change=move |ev| bank.set(event_target_value(&ev))>
                    <option value="">{t("connect-bank-any")}</option>
                    {choices.banks.iter().map(|b| view! {
                        <option value=b.identifier.clone()>
                            {bank_name_shown(&b.name.name, b.name.arabic_name.as_deref()).to_owned()}
                        </option>
                    }).collect_view()}
                </select>
                <p id="connect-bank-help" class="small muted">{t("connect-bank-help")}</p>
                <p id="connect-bank-error" class="field-error" role="alert">{field("bank_identifier")}</p>
            </div>
            <div class="field">
                <label for="connect-account-type">{t("connect-account-type")}</label>
                <select id="connect-account-type" data-testid="connect-option-account-type"
                    aria-describedby="connect-account-type-help connect-account-type-error"
                    on:change=move |ev| account_type.set(event_target_value(&ev))>
                    <option value="">{t("connect-account-type-any")}</option>
                    <option value="PERSONAL">{t("connect-account-type-personal")}</option>
                    <option value="BUSINESS">{t("connect-account-type-business")}</option>
                </select>
                <p id="connect-account-type-help" class="small muted">{t("connect-account-type-help")}</p>
                <p id="connect-account-type-error" class="field-error" role="alert">{field("account_type")}</p>
            </div>
            <fieldset>
                <legend>{t("connect-access")}</legend>
                <div class="field-row">
                    <div class="field">
                        <label for="connect-access-from">{t("connect-access-from")}</label>
                        <input id="connect-access-from" type="date" class="ltr" dir="ltr" data-testid="connect-option-access-from"
                            aria-describedby="connect-access-help connect-access-from-error"
                            on:input=move |ev| access_from.set(event_target_value(&ev))/>
                        <p id="connect-access-from-error" class="field-error" role="alert">{field("access_from")}</p>
                    </div>
                    <div class="field">
                        <label for="connect-access-to">{t("connect-access-to")}</label>
                        <input id="connect-access-to" type="date" class="ltr" dir="ltr" data-testid="connect-option-access-to"
                            aria-describedby="connect-access-help connect-access-to-error"
                            on:input=move |ev| access_to.set(event_target_value(&ev))/>
                        <p id="connect-access-to-error" class="field-error" role="alert" data-testid="connect-access-to-error">
                            {field("access_to")}
                        </p>
                    </div>
                </div>
                <p id="connect-access-help" class="small muted">{t("connect-access-help")}</p>
            </fieldset>
            <div class="field">
                <label class="inline-check">
                    <input type="checkbox" data-testid="connect-option-explain"
                        on:change=move |ev| explain.set(event_target_checked(&ev))/>
                    " " {t("connect-explain")}
                </label>
                <p class="small muted">{t("connect-explain-help")}</p>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="connect-end-user">{t("connect-end-user-id")}</label>
                    <input id="connect-end-user" type="text" autocomplete="off" maxlength=MAX_END_USER_ID_CHARS.to_string()
                        data-testid="connect-option-end-user-id" aria-describedby="connect-ids-help connect-end-user-error"
                        on:input=move |ev| end_user_id.set(event_target_value(&ev))/>
                    <p id="connect-end-user-error" class="field-error" role="alert">{field("end_user_id")}</p>
                </div>
                <div class="field">
                    <label for="connect-metadata">{t("connect-metadata")}</label>
                    <input id="connect-metadata" type="text" autocomplete="off" maxlength=MAX_METADATA_CHARS.to_string()
                        data-testid="connect-option-metadata" aria-describedby="connect-ids-help connect-metadata-error"
                        on:input=move |ev| metadata.set(event_target_value(&ev))/>
                    <p id="connect-metadata-error" class="field-error" role="alert">{field("customer_metadata")}</p>
                </div>
            </div>
            <p id="connect-ids-help" class="small muted">{t("connect-ids-help")}</p>
            <p class="small muted" data-testid="connect-brand">
                {match brand {
                    Some(name) => t_with("connect-brand-set", &[("name", arg(name))]),
                    None => t("connect-brand-unset"),
                }}
            </p>
            <button type="submit" class="button primary" data-testid="connect-with-options"
                disabled=move || busy.get() || !ready.get()>
                {move || if busy.get() { t("bank-connecting") } else { t("connect-submit") }}
            </button>
            <p class="form-error" role="alert" data-testid="connect-options-error">
                {move || general_message(error.get(), &["bank_identifier", "account_type", "access_from", "access_to", "end_user_id", "customer_metadata"])}
            </p>
        </form>
        {move || outcome.get().map(|o| view! {
            <FlowOutcomeView outcome=o away=true/>
            <p><a href="/dashboard" data-testid="connect-see-dashboard">{t("connect-see-dashboard")}</a></p>
        })}
    }
}
