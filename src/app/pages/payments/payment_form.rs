//! The form that creates a payment intent to one of the user's destinations.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::create_payment;
use crate::app::components::form_errors::{field_message, general_message};
use crate::i18n::t;
use crate::model::{parse_amount, AppError, Destination, CURRENCIES};

#[component]
pub(super) fn NewPaymentForm(
    destinations: RwSignal<Vec<Destination>>,
    on_created: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let destination = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let currency = RwSignal::new("AED".to_owned());
    let description = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    // The first destination is picked until the user picks another.
    Effect::new(move |_| {
        let list = destinations.get();
        if !list.iter().any(|d| d.id == destination.get_untracked()) {
            destination.set(list.first().map(|d| d.id.to_string()).unwrap_or_default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        if destination.get_untracked().is_empty() {
            error.set(Some(AppError::invalid("destination_id", t("pay-add-destination-first"))));
            return;
        }
        if let Err(e) = parse_amount(&amount.get_untracked()) {
            error.set(Some(AppError::invalid("amount", t(e.key()))));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let created = create_payment(
                destination.get_untracked(),
                amount.get_untracked(),
                currency.get_untracked(),
                description.get_untracked(),
            )
            .await;
            match created {
                Ok(_) => {
                    amount.set(String::new());
                    description.set(String::new());
                    on_created();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card-form" on:submit=submit data-testid="payment-form" novalidate>
            <h2>{t("pay-form-title")}</h2>
            <div class="field">
                <label for="pay-destination">{t("pay-form-to")}</label>
                <select id="pay-destination" aria-describedby="pay-destination-error"
                    on:change=move |ev| destination.set(event_target_value(&ev))
                    prop:value=move || destination.get() disabled=move || destinations.with(Vec::is_empty)>
                    {move || destinations.with(Vec::is_empty).then(|| view! {
                        <option value="">{t("pay-no-destinations-option")}</option>
                    })}
                    {move || destinations.get().into_iter().map(|d| {
                        let id = d.id.clone();
                        view! {
                            <option value=d.id.to_string() selected=move || destination.get() == id>
                                {format!("{} ({})", d.display_name, d.currency)}
                            </option>
                        }
                    }).collect_view()}
                </select>
                <p id="pay-destination-error" class="field-error" role="alert">
                    {move || field_message(error.get(), "destination_id")}
                </p>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="pay-amount">{t("pay-form-amount")}</label>
                    <input id="pay-amount" class="ltr" dir="ltr" inputmode="decimal" autocomplete="off" placeholder="125.50"
                        aria-describedby="pay-amount-error"
                        prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                    <p id="pay-amount-error" class="field-error" role="alert" data-testid="pay-amount-error">
                        {move || field_message(error.get(), "amount")}
                    </p>
                </div>
                <div class="field">
                    <label for="pay-currency">{t("pay-form-currency")}</label>
                    <select id="pay-currency" aria-describedby="pay-currency-error"
                        on:change=move |ev| currency.set(event_target_value(&ev)) prop:value=move || currency.get()>
                        {CURRENCIES.iter().map(|c| view! { <option value=*c>{*c}</option> }).collect_view()}
                    </select>
                    <p id="pay-currency-error" class="field-error" role="alert">
                        {move || field_message(error.get(), "currency")}
                    </p>
                </div>
            </div>
            <div class="field">
                <label for="pay-description">{t("pay-form-reference")}</label>
                <input id="pay-description" maxlength="32" autocomplete="off" aria-describedby="pay-description-error"
                    prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/>
                <p id="pay-description-error" class="field-error" role="alert">
                    {move || field_message(error.get(), "description")}
                </p>
            </div>
            <p class="form-error" role="alert" data-testid="payment-form-error">
                {move || general_message(error.get(), &["destination_id", "amount", "currency", "description"])}
            </p>
            <button type="submit" class="button primary" data-testid="create-payment"
                disabled=move || busy.get() || !ready.get()>
                {move || if busy.get() { t("pay-form-creating") } else { t("pay-form-create") }}
            </button>
        </form>
    }
    .into_any()
}
