//! `Lean.verifyAddress`, with the full name the server keeps for the user.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::timestamp;
use crate::api::{fetch_customer_name, last_flow, launch_verify_address, save_customer_name};
use crate::app::components::form_errors::{field_message, general_message};
use crate::app::launch::launch;
use crate::i18n::{arg, t, t_with};
use crate::link_sdk::Launch;
use crate::model::{parse_full_name, AppError, CallbackData, FlowOutcome};

/// `Lean.verifyAddress`: the bank compares the account holder with the name the app keeps for the user.
/// The name is asked for here (sign-up has none) and kept on the server; the last outcome recorded in
/// the flow history is shown on load, and each new one as soon as the SDK closes.
#[component]
pub(super) fn VerifyAddress() -> impl IntoView {
    let saved = Resource::new(|| (), |_| fetch_customer_name());
    let last = Resource::new(|| (), |_| last_flow("verifyAddress".to_owned()));
    let name = RwSignal::new(String::new());
    let kept = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(Some(n))) = saved.get() {
            name.set(n.clone());
            kept.set(Some(n));
        }
    });
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    let result = RwSignal::new(None::<(FlowOutcome, String)>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let typed = match parse_full_name(&name.get_untracked()) {
            Ok(n) => n,
            Err(e) => {
                error.set(Some(AppError::invalid("customer_name", t(e.key()))));
                return;
            }
        };
        busy.set(true);
        result.set(None);
        spawn_local(async move {
            // The server keeps the name and launches with its copy, never with one the browser sends.
            if kept.get_untracked().as_deref() != Some(typed.as_str()) {
                match save_customer_name(typed).await {
                    Ok(n) => {
                        name.set(n.clone());
                        kept.set(Some(n));
                    }
                    Err(e) => {
                        error.set(Some(e));
                        busy.set(false);
                        return;
                    }
                }
            }
            let ended = launch(launch_verify_address(), Launch::verify_address, |launch, data| {
                // Shown at once from the callback; the stored record replaces it once saved.
                result.set(Some((unsaved(data), launch.customer_name.clone())));
            })
            .await;
            match ended {
                Ok(stored) => result.update(|shown| {
                    if let Some((outcome, _)) = shown {
                        *outcome = stored;
                    }
                }),
                Err(e) => error.set(Some(AppError::invalid("general", e.localized()))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="history" aria-labelledby="verify-title" data-testid="verify-address">
            <h2 id="verify-title">{t("pay-verify-title")}</h2>
            <p class="small muted">{t("pay-verify-intro")}</p>
            <form class="card-form verify-form" on:submit=submit data-testid="verify-form" novalidate>
                <div class="field">
                    <label for="verify-name">{t("pay-verify-name-label")}</label>
                    <input id="verify-name" autocomplete="name" aria-describedby="verify-name-hint verify-name-error"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <p id="verify-name-hint" class="small muted">{t("pay-verify-name-hint")}</p>
                    <p id="verify-name-error" class="field-error" role="alert" data-testid="verify-name-error">
                        {move || field_message(error.get(), "customer_name")}
                    </p>
                </div>
                <p class="form-error" role="alert" data-testid="verify-error">
                    {move || general_message(error.get(), &["customer_name"])}
                </p>
                <button type="submit" class="button primary" data-testid="verify-address-button"
                disabled=move || busy.get() || !ready.get()>
                    {move || if busy.get() { t("pay-verify-busy") } else { t("pay-verify-button") }}
                </button>
            </form>
            {move || match result.get() {
                Some((outcome, checked)) => view! { <VerifyOutcome outcome name=checked latest=true/> }.into_any(),
                None => view! {
                    <Transition fallback=|| ()>
                        {move || last.get().and_then(Result::ok).flatten().map(|outcome| view! {
                            <VerifyOutcome outcome name=kept.get().unwrap_or_default() latest=false/>
                        })}
                    </Transition>
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}

/// An outcome as the SDK reported it, before the server has stored it.
fn unsaved(data: &CallbackData) -> FlowOutcome {
    FlowOutcome::from_callback(String::new(), "verifyAddress", data, String::new())
}

/// How `verifyAddress` ended, in plain words, with Lean's own fields for support.
#[component]
fn VerifyOutcome(outcome: FlowOutcome, name: String, latest: bool) -> impl IntoView {
    let secondary = outcome.secondary_status.clone().unwrap_or_default();
    let (class, headline) = match (outcome.status.as_str(), secondary.as_str()) {
        ("SUCCESS", _) => ("notice ok", t_with("pay-verify-success", &[("name", arg(&name))])),
        ("ERROR", "NAME_MISMATCH") => {
            ("notice error", t_with("pay-verify-mismatch", &[("name", arg(&name))]))
        }
        ("CANCELLED", _) => ("notice", t("pay-verify-cancelled")),
        _ => ("notice error", t("pay-verify-failed")),
    };
    let row = |label: String, value: Option<String>, testid: &'static str| {
        value.filter(|v| !v.is_empty()).map(|v| {
            view! { <dt>{label}</dt><dd><bdi class="ltr" data-testid=testid>{v}</bdi></dd> }
        })
    };
    view! {
        <div class=class role="status" data-testid="verify-outcome" data-status=outcome.status.to_string()
            data-secondary-status=secondary.clone()>
            {(!latest).then(|| view! { <p class="small muted">{t("pay-verify-last-check")}
                " " <bdi class="ltr">{timestamp(&outcome.created_at)}</bdi></p> })}
            <p data-testid="verify-headline">{headline}</p>
            <dl class="verify-facts">
                {row(t("pay-verify-field-status"), Some(outcome.status.to_string()), "verify-status")}
                {row(t("pay-verify-field-secondary"), outcome.secondary_status.clone(), "verify-secondary-status")}
                {row(t("pay-verify-field-message"), outcome.message.clone(), "verify-message")}
                {row(t("pay-verify-field-correlation"), outcome.lean_correlation_id.clone(), "verify-correlation-id")}
            </dl>
        </div>
    }
    .into_any()
}
