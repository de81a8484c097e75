//! Several payments at once: a bulk payment intent of 2 to 10 payments in one currency, each to one of
//! the person's destinations, paid together with `Lean.pay({bulk_payment_intent_id})`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::create_bulk_payment;
use crate::app::components::form_errors::{field_message, general_message};
use crate::i18n::{arg, t, t_with};
use crate::model::{parse_amount, AppError, Destination, CURRENCIES, MAX_BULK};

/// One payment of the bulk being written: which destination, how much. `key` keeps a row's inputs its
/// own when another row is removed.
#[derive(Clone, Copy)]
struct Line {
    key: usize,
    destination: RwSignal<String>,
    amount: RwSignal<String>,
}

#[component]
pub(super) fn BulkPaymentForm(
    destinations: RwSignal<Vec<Destination>>,
    on_created: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let next_key = StoredValue::new(0usize);
    let new_line = move || {
        next_key.update_value(|k| *k += 1);
        let first = destinations.with_untracked(|d| d.first().map(|d| d.id.to_string()).unwrap_or_default());
        Line {
            key: next_key.get_value(),
            destination: RwSignal::new(first),
            amount: RwSignal::new(String::new()),
        }
    };
    let lines = RwSignal::new(vec![new_line(), new_line()]);
    let currency = RwSignal::new("AED".to_owned());
    let error = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let ready = crate::app::hydrated::use_hydrated();
    // Rows written before the destinations arrived get the first one.
    Effect::new(move |_| {
        let list = destinations.get();
        for line in lines.get_untracked() {
            if !list.iter().any(|d| d.id == line.destination.get_untracked()) {
                line.destination.set(list.first().map(|d| d.id.to_string()).unwrap_or_default());
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        done.set(None);
        let rows = lines.get_untracked();
        // The amounts are checked here first, so a typo is named before Lean is asked.
        for (n, line) in rows.iter().enumerate() {
            if let Err(e) = parse_amount(&line.amount.get_untracked()) {
                error.set(Some(AppError::invalid(&format!("amounts.{n}"), t(e.key()))));
                return;
            }
        }
        let destination_ids: Vec<String> = rows.iter().map(|l| l.destination.get_untracked()).collect();
        let amounts: Vec<String> = rows.iter().map(|l| l.amount.get_untracked()).collect();
        busy.set(true);
        spawn_local(async move {
            match create_bulk_payment(destination_ids, amounts, currency.get_untracked()).await {
                Ok(created) => {
                    done.set(Some(t_with("pay-bulk-created", &[("count", arg(created.len()))])));
                    for line in lines.get_untracked() {
                        line.amount.set(String::new());
                    }
                    on_created();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let field_names: Vec<String> =
        (0..MAX_BULK).flat_map(|n| [format!("amounts.{n}"), format!("destination_ids.{n}")]).collect();
    let field_names = StoredValue::new(field_names);
    view! {
        <details class="bulk-payments card-form" data-testid="bulk-payments">
            <summary><h2>{t("pay-bulk-title")}</h2></summary>
            <p class="small muted">{t("pay-bulk-intro")}</p>
            <form on:submit=submit data-testid="bulk-form" novalidate>
                <For each=move || lines.get().into_iter().enumerate() key=|(_, l)| l.key let:item>
                    {
                        let (n, line) = item;
                        let dest_id = format!("bulk-destination-{}", line.key);
                        let amount_id = format!("bulk-amount-{}", line.key);
                        view! {
                            <fieldset class="bulk-line" data-testid="bulk-line">
                                <legend>{t_with("pay-bulk-line", &[("n", arg(n + 1))])}</legend>
                                <div class="field-row">
                                    <div class="field">
                                        <label for=dest_id.clone()>{t("pay-form-to")}</label>
                                        <select id=dest_id data-testid="bulk-destination"
                                            on:change=move |ev| line.destination.set(event_target_value(&ev))
                                            prop:value=move || line.destination.get()>
                                            {move || destinations.get().into_iter().map(|d| {
                                                let id = d.id.clone();
                                                view! {
                                                    <option value=d.id.to_string() selected=move || line.destination.get() == id>
                                                        {format!("{} ({})", d.display_name, d.currency)}
                                                    </option>
                                                }
                                            }).collect_view()}
                                        </select>
                                        <p class="field-error" role="alert">
                                            {move || field_message(error.get(), &format!("destination_ids.{n}"))}
                                        </p>
                                    </div>
                                    <div class="field">
                                        <label for=amount_id.clone()>{t("pay-form-amount")}</label>
                                        <input id=amount_id class="ltr" dir="ltr" inputmode="decimal" autocomplete="off"
                                            data-testid="bulk-amount" placeholder="50.00"
                                            prop:value=move || line.amount.get()
                                            on:input=move |ev| line.amount.set(event_target_value(&ev))/>
                                        <p class="field-error" role="alert" data-testid="bulk-amount-error">
                                            {move || field_message(error.get(), &format!("amounts.{n}"))}
                                        </p>
                                    </div>
                                </div>
                                {move || (lines.with(Vec::len) > 2).then(|| view! {
                                    <button type="button" class="button ghost small-btn" data-testid="bulk-remove-line"
                                        on:click=move |_| lines.update(|l| l.retain(|x| x.key != line.key))>
                                        {t("pay-bulk-remove-line")}
                                    </button>
                                })}
                            </fieldset>
                        }
                    }
                </For>
                <div class="pay-actions">
                    <button type="button" class="button ghost small-btn" data-testid="bulk-add-line"
                        disabled=move || { lines.with(Vec::len) >= MAX_BULK }
                        on:click=move |_| lines.update(|l| l.push(new_line()))>
                        {t("pay-bulk-add-line")}
                    </button>
                    <label for="bulk-currency" class="inline-label">{t("pay-form-currency")}</label>
                    <select id="bulk-currency" data-testid="bulk-currency"
                        on:change=move |ev| currency.set(event_target_value(&ev)) prop:value=move || currency.get()>
                        {CURRENCIES.iter().map(|c| view! { <option value=*c>{*c}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button primary" data-testid="create-bulk"
                        disabled=move || busy.get() || !ready.get() || destinations.with(Vec::is_empty)>
                        {t("pay-bulk-create")}
                    </button>
                </div>
                <p class="form-error" role="alert" data-testid="bulk-error">
                    {move || field_names.with_value(|f| {
                        general_message(error.get(), &f.iter().map(String::as_str).collect::<Vec<_>>())
                    })}
                </p>
                <p class="small" role="status" data-testid="bulk-created">{move || done.get()}</p>
            </form>
        </details>
    }
    .into_any()
}
